package dev.licensor.server.audit.admin;

import dev.licensor.server.audit.LogQueries;
import dev.licensor.server.web.PageResponse;
import dev.licensor.server.web.admin.Csv;
import dev.licensor.server.web.admin.Forms;
import dev.licensor.server.web.admin.Pager;
import dev.licensor.server.web.admin.PanelController;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import org.jspecify.annotations.Nullable;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.ModelAttribute;
import org.springframework.web.bind.annotation.RequestParam;

/** The audit log and the validation log, filtered and paged, with CSV export. */
@PanelController
class LogController {
    static final String AUDIT_VIEW = "admin/audit";
    static final String VALIDATIONS_VIEW = "admin/validations";

    private final LogQueries logs;

    LogController(LogQueries logs) {
        this.logs = logs;
    }

    record AuditFilter(
            @Nullable String entityType, @Nullable String entityId, @Nullable String actor, @Nullable String since) {
        PageResponse<LogQueries.AuditEntry> page(LogQueries logs, PageResponse.Paging paging) {
            return logs.audit(blank(entityType), blank(entityId), blank(actor), day(since), paging);
        }
    }

    record ValidationFilter(@Nullable String licenseKey, @Nullable String since) {
        PageResponse<LogQueries.ValidationEntry> page(LogQueries logs, PageResponse.Paging paging) {
            return logs.validations(blank(licenseKey), day(since), paging);
        }
    }

    private static @Nullable String blank(@Nullable String value) {
        return value == null || value.isBlank() ? null : value.strip();
    }

    private static @Nullable String day(@Nullable String date) {
        Instant start = Forms.startOfDay(date);
        return start == null ? blank(date) : start.toString();
    }

    @GetMapping("/admin/audit")
    String audit(@ModelAttribute AuditFilter filter, @RequestParam(defaultValue = "0") int page, Model model) {
        PageResponse<LogQueries.AuditEntry> result = filter.page(logs, Pager.paging(page));
        model.addAttribute("entries", result.items());
        model.addAttribute("pager", Pager.of(result));
        model.addAttribute("filter", filter);
        return AUDIT_VIEW;
    }

    @GetMapping("/admin/audit/export.csv")
    void exportAudit(@ModelAttribute AuditFilter filter, HttpServletResponse response) throws IOException {
        Csv.write(
                response,
                "audit-log.csv",
                List.of(
                        "at",
                        "actor",
                        "action",
                        "entity_type",
                        "entity_id",
                        "old_value",
                        "new_value",
                        "ip",
                        "user_agent"),
                Csv.pages(paging -> filter.page(logs, paging), Csv.LOG_EXPORT_PAGES),
                e -> Arrays.asList(
                        e.at(),
                        e.actor(),
                        e.action(),
                        e.entityType(),
                        e.entityId(),
                        e.oldValue(),
                        e.newValue(),
                        e.ip(),
                        e.userAgent()));
    }

    @GetMapping("/admin/validations")
    String validations(
            @ModelAttribute ValidationFilter filter, @RequestParam(defaultValue = "0") int page, Model model) {
        PageResponse<LogQueries.ValidationEntry> result = filter.page(logs, Pager.paging(page));
        model.addAttribute("entries", result.items());
        model.addAttribute("pager", Pager.of(result));
        model.addAttribute("filter", filter);
        return VALIDATIONS_VIEW;
    }

    @GetMapping("/admin/validations/export.csv")
    void exportValidations(@ModelAttribute ValidationFilter filter, HttpServletResponse response) throws IOException {
        Csv.write(
                response,
                "validation-log.csv",
                List.of("at", "license_key", "action", "result_code", "ip", "user_agent", "hardware_hash", "version"),
                Csv.pages(paging -> filter.page(logs, paging), Csv.LOG_EXPORT_PAGES),
                e -> Arrays.asList(
                        e.at(),
                        e.licenseKey(),
                        e.action(),
                        e.resultCode(),
                        e.ip(),
                        e.userAgent(),
                        e.hardwareHash(),
                        e.version()));
    }
}
