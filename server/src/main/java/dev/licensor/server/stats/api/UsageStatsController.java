package dev.licensor.server.stats.api;

import dev.licensor.server.stats.UsageDaily;
import dev.licensor.server.web.PageResponse;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;
import org.jspecify.annotations.Nullable;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/** {@code GET /api/admin/usage-stats}: any admin role. */
@RestController
@Tag(name = "Admin: statistics", description = "Counts for dashboards and monitoring")
class UsageStatsController {
    private final UsageDaily usage;

    UsageStatsController(UsageDaily usage) {
        this.usage = usage;
    }

    @GetMapping("/api/admin/usage-stats")
    @Operation(
            summary = "Daily usage statistics",
            description = "Per license and UTC day: active_devices (distinct devices with a session overlapping the"
                    + " day) and session_minutes (the sessions' time within the day, summed, rounded down). Days"
                    + " from..to inclusive (yyyy-MM-dd; default: the 30 days up to yesterday; at most 366 days);"
                    + " items paged, newest day first; totals per day and product over all matching rows. A license"
                    + " without use on a day has no row.")
    UsageDaily.Report usageStats(
            @RequestParam(name = "product_id", required = false) @Nullable Long productId,
            @RequestParam(name = "license_key", required = false) @Nullable String licenseKey,
            @RequestParam(required = false) @Nullable String from,
            @RequestParam(required = false) @Nullable String to,
            @RequestParam(defaultValue = "0") int page,
            @RequestParam(defaultValue = "50") int size) {
        PageResponse.Paging paging = new PageResponse.Paging(page, size);
        return usage.report(usage.query(productId, licenseKey, from, to), paging);
    }
}
