package dev.licensor.server.abuse.admin;

import dev.licensor.server.abuse.Anomalies;
import dev.licensor.server.web.PageResponse;
import dev.licensor.server.web.admin.Csv;
import dev.licensor.server.web.admin.Flash;
import dev.licensor.server.web.admin.Pager;
import dev.licensor.server.web.admin.PanelController;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import org.jspecify.annotations.Nullable;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.servlet.mvc.support.RedirectAttributes;
import org.springframework.web.util.UriUtils;

/** Anomalies raised by the detection rules, filtered by status (open by default); resolve (ADMIN). */
@PanelController
@RequestMapping("/admin/anomalies")
class AnomalyController {
    static final String VIEW = "admin/anomalies";
    static final List<String> STATUSES = List.of("OPEN", "RESOLVED");
    static final List<String> CSV_HEADER =
            List.of("id", "license_key", "rule", "evidence", "status", "created_at", "resolved_at", "resolved_by");

    private final Anomalies anomalies;

    AnomalyController(Anomalies anomalies) {
        this.anomalies = anomalies;
    }

    /** {@code status} absent means open ones; {@code all} (or blank) lists every status. */
    private static @Nullable String status(@Nullable String status) {
        if (status == null) {
            return "OPEN";
        }
        return STATUSES.contains(status) ? status : null;
    }

    @GetMapping
    String list(
            @RequestParam(required = false) @Nullable String status,
            @RequestParam(defaultValue = "0") int page,
            Model model) {
        String filter = status(status);
        PageResponse<Anomalies.AnomalyView> result = anomalies.list(filter, null, Pager.paging(page));
        model.addAttribute("anomalies", result.items());
        model.addAttribute("pager", Pager.of(result));
        model.addAttribute("status", filter == null ? "" : filter);
        model.addAttribute("statuses", STATUSES);
        return VIEW;
    }

    @GetMapping("/export.csv")
    void export(@RequestParam(required = false) @Nullable String status, HttpServletResponse response)
            throws IOException {
        String filter = status(status);
        Csv.write(
                response,
                "anomalies.csv",
                CSV_HEADER,
                Csv.pages(paging -> anomalies.list(filter, null, paging)),
                a -> Arrays.asList(
                        a.id(),
                        a.licenseKey(),
                        a.rule(),
                        a.evidence().toString(),
                        a.status(),
                        a.createdAt(),
                        a.resolvedAt(),
                        a.resolvedBy()));
    }

    /** Resolves one; {@code back=license} returns to the license page it was resolved on. */
    @PostMapping("/{id}/resolve")
    String resolve(
            @PathVariable long id, @RequestParam(required = false) @Nullable String back, RedirectAttributes redirect) {
        Anomalies.AnomalyView resolved = anomalies.resolve(id, null);
        Flash.success(redirect, "panel.anomalies.resolved", resolved.licenseKey());
        return "license".equals(back)
                ? "redirect:/admin/licenses/"
                        + UriUtils.encodePathSegment(resolved.licenseKey(), StandardCharsets.UTF_8)
                : "redirect:/admin/anomalies";
    }
}
