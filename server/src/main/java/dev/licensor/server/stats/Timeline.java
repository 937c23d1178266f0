package dev.licensor.server.stats;

import dev.licensor.server.support.Db;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/**
 * The dashboard's time series and rates: sessions started and devices activated per day (UTC),
 * and the share of successful verifications in the last 24 hours. A read model over the session,
 * device and validation-log tables.
 */
@Service
public class Timeline {
    private final JdbcClient jdbc;
    private final Clock clock;

    Timeline(JdbcClient jdbc, Clock clock) {
        this.jdbc = jdbc;
        this.clock = clock;
    }

    /** Days (oldest first) and one count per day for each series. */
    public record Daily(List<LocalDate> days, List<Long> sessions, List<Long> activations) {}

    /** Verifications of the last 24 h, and how many said the license is valid. */
    public record Verifications(long total, long valid) {
        /** Percent valid, or -1 when there were none. */
        public int percentValid() {
            return total == 0 ? -1 : (int) Math.round(100.0 * valid / total);
        }
    }

    @Transactional(readOnly = true)
    public Daily daily(int dayCount) {
        LocalDate today = LocalDate.ofInstant(clock.instant(), ZoneOffset.UTC);
        LocalDate first = today.minusDays(dayCount - 1L);
        Instant since = first.atStartOfDay(ZoneOffset.UTC).toInstant();
        Map<Long, Long> sessions = perDay("sessions", "started_at", since);
        Map<Long, Long> activations = perDay("devices", "first_activated_at", since);
        List<LocalDate> days = new ArrayList<>();
        List<Long> s = new ArrayList<>();
        List<Long> a = new ArrayList<>();
        for (LocalDate day = first; !day.isAfter(today); day = day.plusDays(1)) {
            long epochDay = day.toEpochDay();
            days.add(day);
            s.add(sessions.getOrDefault(epochDay, 0L));
            a.add(activations.getOrDefault(epochDay, 0L));
        }
        return new Daily(days, s, a);
    }

    /** Counts rows per UTC day; epoch seconds / 86400 is the same on H2 and PostgreSQL. */
    private Map<Long, Long> perDay(String table, String column, Instant since) {
        Map<Long, Long> counts = new HashMap<>();
        jdbc.sql("SELECT FLOOR(EXTRACT(EPOCH FROM " + column + ") / 86400) AS d, COUNT(*) AS n FROM " + table
                        + " WHERE " + column + " >= ? GROUP BY FLOOR(EXTRACT(EPOCH FROM " + column + ") / 86400)")
                .param(Db.ts(since))
                .query(rs -> {
                    counts.put(rs.getLong("d"), rs.getLong("n"));
                });
        return counts;
    }

    @Transactional(readOnly = true)
    public Verifications verifications() {
        Instant since = clock.instant().minus(Duration.ofDays(1)).truncatedTo(ChronoUnit.SECONDS);
        return jdbc.sql(
                        """
                        SELECT COUNT(*) AS total,
                               COALESCE(SUM(CASE WHEN result_code IN ('VALID', 'GRACE_PERIOD') THEN 1 ELSE 0 END), 0) AS valid
                        FROM validation_log WHERE action = 'verify' AND at >= ?""")
                .param(Db.ts(since))
                .query((rs, n) -> new Verifications(rs.getLong("total"), rs.getLong("valid")))
                .single();
    }
}
