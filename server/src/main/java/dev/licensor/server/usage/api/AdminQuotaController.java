package dev.licensor.server.usage.api;

import dev.licensor.server.usage.Usage;
import dev.licensor.server.web.PageResponse;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;
import org.jspecify.annotations.Nullable;
import org.springframework.http.HttpStatus;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.ResponseStatus;
import org.springframework.web.bind.annotation.RestController;
import tools.jackson.databind.JsonNode;

/** Admin API: a license's usage quotas. Writes: ADMIN or SUPPORT (as for every license route). */
@RestController
@RequestMapping("/api/admin/licenses/{key}/quotas")
@Tag(name = "Admin: usage quotas", description = "Per-license quotas of metered metrics, per day, month or lifetime")
class AdminQuotaController {
    private final Usage usage;

    AdminQuotaController(Usage usage) {
        this.usage = usage;
    }

    @GetMapping
    @Operation(summary = "The license's quotas with the current period's counts, by metric")
    PageResponse<Usage.QuotaView> list(
            @PathVariable String key,
            @RequestParam(defaultValue = "0") int page,
            @RequestParam(defaultValue = "50") int size) {
        return usage.quotas(key, new PageResponse.Paging(page, size));
    }

    @PutMapping("/{metric}")
    @Operation(summary = "Set a quota: {limit, period} with period DAY, MONTH or TOTAL (UTC)")
    Usage.QuotaView set(
            @PathVariable String key,
            @PathVariable String metric,
            @RequestBody(required = false) @Nullable JsonNode body) {
        return usage.setQuota(key, metric, body);
    }

    @DeleteMapping("/{metric}")
    @Operation(summary = "Remove a quota; the metric is then counted without a limit")
    @ResponseStatus(HttpStatus.NO_CONTENT)
    void delete(@PathVariable String key, @PathVariable String metric) {
        usage.deleteQuota(key, metric);
    }
}
