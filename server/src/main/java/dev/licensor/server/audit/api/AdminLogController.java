package dev.licensor.server.audit.api;

import dev.licensor.server.audit.LogQueries;
import dev.licensor.server.web.PageResponse;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.Parameter;
import io.swagger.v3.oas.annotations.tags.Tag;
import org.jspecify.annotations.Nullable;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/** Admin API: the audit log and the validation log (read only, every role). */
@RestController
@RequestMapping("/api/admin")
@Tag(name = "Admin: logs", description = "Who changed what, and every client-API decision")
class AdminLogController {
    private final LogQueries logs;

    AdminLogController(LogQueries logs) {
        this.logs = logs;
    }

    @GetMapping("/audit")
    @Operation(summary = "Audit log, newest first")
    PageResponse<LogQueries.AuditEntry> audit(
            @Parameter(description = "e.g. license, customer, license_type, device, product")
                    @RequestParam(name = "entity_type", required = false)
                    @Nullable
                    String entityType,
            @RequestParam(name = "entity_id", required = false) @Nullable String entityId,
            @Parameter(description = "e.g. token:billing or user:admin") @RequestParam(required = false) @Nullable
                    String actor,
            @Parameter(description = "ISO 8601 instant, e.g. 2026-11-23T00:00:00Z")
                    @RequestParam(required = false)
                    @Nullable
                    String since,
            @RequestParam(defaultValue = "0") int page,
            @RequestParam(defaultValue = "50") int size) {
        return logs.audit(entityType, entityId, actor, since, new PageResponse.Paging(page, size));
    }

    @GetMapping("/validations")
    @Operation(summary = "Validation log (activate, deactivate, verify, session start), newest first")
    PageResponse<LogQueries.ValidationEntry> validations(
            @Parameter(description = "The license key as typed; case and dashes do not matter")
                    @RequestParam(name = "license_key", required = false)
                    @Nullable
                    String licenseKey,
            @Parameter(description = "ISO 8601 instant") @RequestParam(required = false) @Nullable String since,
            @RequestParam(defaultValue = "0") int page,
            @RequestParam(defaultValue = "50") int size) {
        return logs.validations(licenseKey, since, new PageResponse.Paging(page, size));
    }
}
