package dev.licensor.server.stats;

import dev.licensor.server.support.Db;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import org.jspecify.annotations.Nullable;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

/** The {@code usage_daily} and {@code usage_daily_computed} tables. */
@Repository
class UsageDailyRepository {
    /**
     * One UTC day of every license, from the sessions overlapping it: a session runs from
     * {@code started_at} to {@code ended_at}, or, not ended yet, to {@code live_until} (its last
     * heartbeat plus the timeout, which is also the end the reaper will record). Each session's
     * overlap with the day is clipped to the day; a license's overlaps are summed, in seconds, and
     * rounded down to whole minutes once. Its active devices are the distinct devices of those
     * sessions and of the successful activations and verifications of the day (a program that
     * only verifies holds no session, but runs). Licenses without either get no row.
     *
     * <p>The {@code ended_at} condition is implied by the one after it; it is written out so the
     * index on {@code ended_at} finds the ended sessions of the day without reading the history.
     */
    private static final String COMPUTE_DAY =
            """
            INSERT INTO usage_daily (usage_day, product_id, license_id, active_devices, session_minutes, computed_at)
            SELECT :usageDay, l.product_id, u.license_id, COUNT(DISTINCT u.device_id),
                   CAST(FLOOR(SUM(u.seconds) / 60) AS BIGINT), :now
            FROM (
                SELECT s.license_id, s.device_id,
                       EXTRACT(EPOCH FROM LEAST(COALESCE(s.ended_at, s.live_until), :dayEnd))
                           - EXTRACT(EPOCH FROM GREATEST(s.started_at, :dayStart)) AS seconds
                FROM sessions s
                WHERE s.started_at < :dayEnd
                  AND (s.ended_at IS NULL OR s.ended_at > :dayStart)
                  AND COALESCE(s.ended_at, s.live_until) > :dayStart
                UNION ALL
                SELECT DISTINCT d.license_id, d.id, 0
                FROM validation_log v
                JOIN devices d ON d.license_id = v.license_id AND d.hardware_hash = v.hardware_hash
                WHERE v.at >= :dayStart AND v.at < :dayEnd
                  AND (v.action = 'verify' AND v.result_code IN ('VALID', 'GRACE_PERIOD')
                       OR v.action = 'activate' AND v.result_code = 'OK')
            ) u JOIN licenses l ON l.id = u.license_id
            GROUP BY l.product_id, u.license_id""";

    private final JdbcClient jdbc;

    UsageDailyRepository(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    /** Waits for any other computation of usage statistics to commit (call inside a transaction). */
    void lock() {
        jdbc.sql("SELECT name FROM trust_locks WHERE name = 'usage-stats' FOR UPDATE")
                .query(String.class)
                .single();
    }

    /** Replaces the rows of one day by a fresh computation; how many licenses have a row. */
    int computeDay(LocalDate day, Instant now) {
        jdbc.sql("DELETE FROM usage_daily WHERE usage_day = ?").param(day).update();
        int licenses = jdbc.sql(COMPUTE_DAY)
                .param("usageDay", day)
                .param("dayStart", Db.ts(day.atStartOfDay(ZoneOffset.UTC).toInstant()))
                .param(
                        "dayEnd",
                        Db.ts(day.plusDays(1).atStartOfDay(ZoneOffset.UTC).toInstant()))
                .param("now", Db.ts(now))
                .update();
        jdbc.sql("DELETE FROM usage_daily_computed WHERE usage_day = ?")
                .param(day)
                .update();
        jdbc.sql("INSERT INTO usage_daily_computed (usage_day, licenses, computed_at) VALUES (?, ?, ?)")
                .params(day, licenses, Db.ts(now))
                .update();
        return licenses;
    }

    /** Removes the statistics of the days before {@code first}; the rows removed. */
    int deleteBefore(LocalDate first) {
        int rows = jdbc.sql("DELETE FROM usage_daily WHERE usage_day < ?")
                .param(first)
                .update();
        jdbc.sql("DELETE FROM usage_daily_computed WHERE usage_day < ?")
                .param(first)
                .update();
        return rows;
    }

    /** The days from {@code first} to {@code last} (inclusive) that were computed. */
    Set<LocalDate> computedDays(LocalDate first, LocalDate last) {
        return new TreeSet<>(
                jdbc.sql("SELECT usage_day FROM usage_daily_computed WHERE usage_day >= ? AND usage_day <= ?")
                        .params(first, last)
                        .query((rs, n) -> rs.getObject("usage_day", LocalDate.class))
                        .list());
    }

    /** The latest day computed, if any. */
    Optional<LocalDate> lastComputedDay() {
        return jdbc.sql("SELECT usage_day FROM usage_daily_computed ORDER BY usage_day DESC LIMIT 1")
                .query((rs, n) -> rs.getObject("usage_day", LocalDate.class))
                .optional();
    }

    /** Filters of the read side; {@code keyLookup} is a license key's compact form. */
    record Filter(LocalDate from, LocalDate to, @Nullable Long productId, @Nullable String keyLookup) {}

    List<UsageDaily.Row> rows(Filter filter, int offset, int limit) {
        Map<String, Object> params = new HashMap<>();
        String where = where(filter, params);
        params.put("limit", limit);
        params.put("offset", offset);
        return jdbc.sql(
                        """
                        SELECT u.usage_day, u.product_id, u.license_id, l.license_key, u.active_devices, u.session_minutes
                        FROM usage_daily u JOIN licenses l ON l.id = u.license_id"""
                                + where + " ORDER BY u.usage_day DESC, u.license_id LIMIT :limit OFFSET :offset")
                .params(params)
                .query((rs, n) -> new UsageDaily.Row(
                        rs.getObject("usage_day", LocalDate.class),
                        rs.getLong("product_id"),
                        rs.getLong("license_id"),
                        rs.getString("license_key"),
                        rs.getInt("active_devices"),
                        rs.getLong("session_minutes")))
                .list();
    }

    long count(Filter filter) {
        Map<String, Object> params = new HashMap<>();
        return jdbc.sql("SELECT COUNT(*) FROM usage_daily u JOIN licenses l ON l.id = u.license_id"
                        + where(filter, params))
                .params(params)
                .query(Long.class)
                .single();
    }

    /** The filtered rows summed per day and product, newest day first. */
    List<UsageDaily.DayTotal> totals(Filter filter) {
        Map<String, Object> params = new HashMap<>();
        return jdbc.sql(
                        """
                        SELECT u.usage_day, u.product_id, COUNT(*) AS licenses,
                               SUM(u.active_devices) AS active_devices, SUM(u.session_minutes) AS session_minutes
                        FROM usage_daily u JOIN licenses l ON l.id = u.license_id"""
                                + where(filter, params)
                                + " GROUP BY u.usage_day, u.product_id ORDER BY u.usage_day DESC, u.product_id")
                .params(params)
                .query((rs, n) -> new UsageDaily.DayTotal(
                        rs.getObject("usage_day", LocalDate.class),
                        rs.getLong("product_id"),
                        rs.getLong("licenses"),
                        rs.getLong("active_devices"),
                        rs.getLong("session_minutes")))
                .list();
    }

    private static String where(Filter f, Map<String, Object> params) {
        List<String> clauses = new ArrayList<>();
        clauses.add("u.usage_day >= :from AND u.usage_day <= :to");
        params.put("from", f.from());
        params.put("to", f.to());
        if (f.productId() != null) {
            clauses.add("u.product_id = :productId");
            params.put("productId", f.productId());
        }
        if (f.keyLookup() != null) {
            clauses.add("l.key_lookup = :keyLookup");
            params.put("keyLookup", f.keyLookup());
        }
        return " WHERE " + String.join(" AND ", clauses);
    }
}
