package dev.licensor.server.usage;

import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import org.jspecify.annotations.Nullable;

/** The period a quota counts over, in UTC: a calendar day, a calendar month, or the license's lifetime. */
public enum Period {
    DAY,
    MONTH,
    TOTAL;

    /** The start of the period holding {@code at}: the period's count is what was used from then on. */
    Instant start(Instant at) {
        LocalDate day = LocalDate.ofInstant(at, ZoneOffset.UTC);
        return switch (this) {
            case DAY -> day.atStartOfDay(ZoneOffset.UTC).toInstant();
            case MONTH -> day.withDayOfMonth(1).atStartOfDay(ZoneOffset.UTC).toInstant();
            case TOTAL -> Instant.EPOCH;
        };
    }

    /** When the period holding {@code at} ends and the count starts again; null for a lifetime. */
    @Nullable
    Instant end(Instant at) {
        LocalDate first = LocalDate.ofInstant(start(at), ZoneOffset.UTC);
        return switch (this) {
            case DAY -> first.plusDays(1).atStartOfDay(ZoneOffset.UTC).toInstant();
            case MONTH -> first.plusMonths(1).atStartOfDay(ZoneOffset.UTC).toInstant();
            case TOTAL -> null;
        };
    }
}
