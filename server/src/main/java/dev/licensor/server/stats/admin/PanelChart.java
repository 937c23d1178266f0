package dev.licensor.server.stats.admin;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.time.LocalDate;
import java.util.List;
import org.jspecify.annotations.Nullable;
import org.springframework.context.MessageSource;
import org.springframework.context.i18n.LocaleContextHolder;

/**
 * What a panel chart draws ({@code <canvas data-chart="url">}, panel.js): {@code {labels, series:
 * [{label, values, axis?}]}}, one label per day; a series with axis {@code right} gets a scale of
 * its own on the right.
 */
record PanelChart(List<String> labels, List<Series> series) {
    @JsonInclude(JsonInclude.Include.NON_NULL)
    record Series(String label, List<Long> values, @Nullable String axis) {}

    static PanelChart daily(List<LocalDate> days, List<Series> series) {
        return new PanelChart(days.stream().map(Object::toString).toList(), series);
    }

    /** A series labelled by a message key, in the request's locale; {@code axis} null for the left one. */
    static Series series(MessageSource messages, String labelKey, List<Long> values, @Nullable String axis) {
        return new Series(messages.getMessage(labelKey, null, LocaleContextHolder.getLocale()), values, axis);
    }
}
