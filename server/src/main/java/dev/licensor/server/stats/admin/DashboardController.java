package dev.licensor.server.stats.admin;

import dev.licensor.server.abuse.Anomalies;
import dev.licensor.server.stats.Statistics;
import dev.licensor.server.stats.Timeline;
import dev.licensor.server.web.admin.PanelController;
import java.util.List;
import org.springframework.context.MessageSource;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.ResponseBody;

/** The dashboard: figures that refresh themselves every few seconds, and two charts. */
@PanelController
class DashboardController {
    static final String VIEW = "admin/dashboard";
    static final String FIGURES_FRAGMENT = "admin/dashboard :: figures";
    private static final int CHART_DAYS = 14;

    private final Statistics statistics;
    private final Timeline timeline;
    private final MessageSource messages;
    private final Anomalies anomalies;

    DashboardController(Statistics statistics, Timeline timeline, MessageSource messages, Anomalies anomalies) {
        this.statistics = statistics;
        this.timeline = timeline;
        this.messages = messages;
        this.anomalies = anomalies;
    }

    @GetMapping("/admin")
    String dashboard(Model model) {
        figures(model);
        return VIEW;
    }

    /** The figures alone, polled by htmx. */
    @GetMapping("/admin/dashboard/figures")
    String figures(Model model) {
        model.addAttribute("stats", statistics.snapshot());
        model.addAttribute("verifications", timeline.verifications());
        model.addAttribute("openAnomalies", anomalies.openCount());
        return FIGURES_FRAGMENT;
    }

    /** Chart data: sessions started and devices activated per day. */
    @GetMapping(value = "/admin/dashboard/chart", produces = "application/json")
    @ResponseBody
    PanelChart chart() {
        Timeline.Daily daily = timeline.daily(CHART_DAYS);
        return PanelChart.daily(
                daily.days(),
                List.of(
                        PanelChart.series(messages, "panel.dashboard.sessions-started", daily.sessions(), null),
                        PanelChart.series(messages, "panel.dashboard.activations", daily.activations(), null)));
    }
}
