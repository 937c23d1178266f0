package dev.licensor.server.usage.api;

import dev.licensor.server.security.ClientContext;
import dev.licensor.server.usage.Usage;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.validation.Valid;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RestController;

/** Client API: metered usage counted against per-license quotas. */
@RestController
@Tag(
        name = "Client: usage",
        description = "Report usage of a metered metric; refused whole when it would exceed the quota")
class ClientUsageController {
    private final Usage usage;

    ClientUsageController(Usage usage) {
        this.usage = usage;
    }

    @PostMapping("/api/license/usage")
    @Operation(
            summary = "Count an amount of a metric against the license's quota (amount 0 reads the count)",
            description = "409 QUOTA_EXCEEDED when the amount would take the count past the quota of the period;"
                    + " nothing is counted then. A metric without a quota is counted without a limit.")
    Usage.Counted report(@Valid @RequestBody Usage.Report body, HttpServletRequest request) {
        return usage.report(ClientContext.of(request).productId(), body);
    }
}
