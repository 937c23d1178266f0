package dev.licensor.server.session.admin;

import dev.licensor.server.session.EndReason;
import dev.licensor.server.session.SessionView;
import dev.licensor.server.session.Sessions;
import dev.licensor.server.web.PageResponse;
import dev.licensor.server.web.admin.Csv;
import dev.licensor.server.web.admin.Flash;
import dev.licensor.server.web.admin.Forms;
import dev.licensor.server.web.admin.Pager;
import dev.licensor.server.web.admin.PanelController;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import org.jspecify.annotations.Nullable;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.ModelAttribute;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.servlet.mvc.support.RedirectAttributes;

/** Live sessions (refreshing), force-terminate (ADMIN, confirmed), and the history with filters. */
@PanelController
@RequestMapping("/admin/sessions")
class SessionController {
    static final String LIVE_VIEW = "admin/sessions";
    static final String HISTORY_VIEW = "admin/session-history";
    static final List<String> CSV_HEADER = List.of(
            "id",
            "license_key",
            "customer",
            "hardware_hash",
            "machine_id",
            "ip",
            "version",
            "started_at",
            "last_heartbeat",
            "ended_at",
            "end_reason");

    private final Sessions sessions;
    private final Clock clock;

    SessionController(Sessions sessions, Clock clock) {
        this.sessions = sessions;
        this.clock = clock;
    }

    /** History filters: key, end reason, and a day range (default: the last 24 hours). */
    record HistoryFilter(
            @Nullable String licenseKey, @Nullable String reason, @Nullable String since, @Nullable String until) {
        Sessions.Query query(Instant now) {
            Instant from = Forms.startOfDay(since);
            Instant to = Forms.startOfDay(until);
            return new Sessions.Query(
                    licenseKey == null || licenseKey.isBlank() ? null : licenseKey.strip(),
                    null,
                    from == null && to == null ? now.minus(Duration.ofDays(1)) : from,
                    to == null ? null : to.plus(Duration.ofDays(1)),
                    reason == null || reason.isBlank()
                            ? null
                            : EndReason.parse(reason).orElse(null));
        }
    }

    @GetMapping
    String live(
            @RequestParam(required = false) @Nullable String licenseKey,
            @RequestParam(defaultValue = "0") int page,
            Model model) {
        PageResponse<SessionView> result = sessions.live(liveQuery(licenseKey), Pager.paging(page));
        model.addAttribute("sessions", result.items());
        model.addAttribute("pager", Pager.of(result));
        model.addAttribute("licenseKey", licenseKey == null ? "" : licenseKey);
        return LIVE_VIEW;
    }

    private static Sessions.Query liveQuery(@Nullable String licenseKey) {
        return new Sessions.Query(
                licenseKey == null || licenseKey.isBlank() ? null : licenseKey.strip(), null, null, null, null);
    }

    @GetMapping("/export.csv")
    void exportLive(@RequestParam(required = false) @Nullable String licenseKey, HttpServletResponse response)
            throws IOException {
        export(response, "live-sessions.csv", Csv.pages(page -> sessions.live(liveQuery(licenseKey), page)));
    }

    @PostMapping("/{id}/terminate")
    String terminate(@PathVariable long id, RedirectAttributes redirect) {
        SessionView ended = sessions.terminate(id, null);
        Flash.success(redirect, "panel.sessions.terminated", ended.licenseKey());
        return "redirect:/admin/sessions";
    }

    @GetMapping("/history")
    String history(@ModelAttribute HistoryFilter filter, @RequestParam(defaultValue = "0") int page, Model model) {
        PageResponse<SessionView> result = sessions.history(filter.query(clock.instant()), Pager.paging(page));
        model.addAttribute("sessions", result.items());
        model.addAttribute("pager", Pager.of(result));
        model.addAttribute("filter", filter);
        model.addAttribute(
                "reasons",
                Arrays.stream(EndReason.values()).map(EndReason::wire).toList());
        return HISTORY_VIEW;
    }

    @GetMapping("/history/export.csv")
    void exportHistory(@ModelAttribute HistoryFilter filter, HttpServletResponse response) throws IOException {
        Sessions.Query query = filter.query(clock.instant());
        export(response, "session-history.csv", Csv.pages(page -> sessions.history(query, page), Csv.LOG_EXPORT_PAGES));
    }

    private void export(HttpServletResponse response, String filename, Iterable<SessionView> rows) throws IOException {
        Csv.write(
                response,
                filename,
                CSV_HEADER,
                rows,
                s -> Arrays.asList(
                        s.id(),
                        s.licenseKey(),
                        s.customer(),
                        s.hardwareHash(),
                        s.machineId(),
                        s.ip(),
                        s.version(),
                        s.startedAt(),
                        s.lastHeartbeat(),
                        s.endedAt(),
                        s.endReason()));
    }
}
