package dev.licensor.server.stats;

import dev.licensor.server.license.LicenseSql;
import dev.licensor.server.license.LiveSessions;
import dev.licensor.server.support.Db;
import java.time.Clock;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/**
 * The figures of {@code GET /api/stats}: licenses by product, status (with the derived
 * {@code EXPIRED}) and type, how many were ever activated, keys still unused, live sessions and
 * the devices activated for the first time today (UTC). A read model over the licensing tables.
 */
@Service
public class Statistics {
    private final JdbcClient jdbc;
    private final ObjectProvider<LiveSessions> liveSessions;
    private final Clock clock;

    Statistics(JdbcClient jdbc, ObjectProvider<LiveSessions> liveSessions, Clock clock) {
        this.jdbc = jdbc;
        this.liveSessions = liveSessions;
        this.clock = clock;
    }

    public record Snapshot(
            long licensesTotal,
            List<ProductCount> byProduct,
            Map<String, Long> byStatus,
            List<TypeCount> byType,
            long activatedLicenses,
            double activationRate,
            long keysUnused,
            long liveSessions,
            long activationsToday,
            Instant generatedAt) {}

    public record ProductCount(long productId, String name, long licenses) {}

    /** Licenses of one type; {@code licenseTypeId} null counts the licenses without a type. */
    public record TypeCount(
            @Nullable Long licenseTypeId, @Nullable Long productId, @Nullable String name, long licenses) {}

    @Transactional(readOnly = true)
    public Snapshot snapshot() {
        Instant now = clock.instant();
        Map<String, Long> byStatus = jdbc.sql("SELECT " + LicenseSql.STATUS_COUNTS
                        + ", COALESCE(SUM(CASE WHEN l.activated_at IS NOT NULL THEN 1 ELSE 0 END), 0) AS activated"
                        + " FROM licenses l")
                .param("now", Db.ts(now))
                .query((rs, n) -> {
                    Map<String, Long> m = LicenseSql.statusCounts(rs);
                    m.put("activated", rs.getLong("activated"));
                    return m;
                })
                .single();
        long activated = byStatus.remove("activated");
        long total = byStatus.values().stream().mapToLong(Long::longValue).sum();
        List<ProductCount> byProduct = jdbc.sql(
                        """
                        SELECT p.id, p.name, COUNT(l.id) AS licenses
                        FROM products p LEFT JOIN licenses l ON l.product_id = p.id
                        GROUP BY p.id, p.name ORDER BY p.id""")
                .query((rs, n) -> new ProductCount(rs.getLong("id"), rs.getString("name"), rs.getLong("licenses")))
                .list();
        List<TypeCount> byType = new java.util.ArrayList<>(jdbc.sql(
                        """
                        SELECT t.id, t.product_id, t.name, COUNT(l.id) AS licenses
                        FROM license_types t LEFT JOIN licenses l ON l.license_type_id = t.id
                        GROUP BY t.id, t.product_id, t.name ORDER BY t.product_id, t.id""")
                .query((rs, n) -> new TypeCount(
                        rs.getLong("id"), rs.getLong("product_id"), rs.getString("name"), rs.getLong("licenses")))
                .list());
        long untyped = jdbc.sql("SELECT COUNT(*) FROM licenses WHERE license_type_id IS NULL")
                .query(Long.class)
                .single();
        byType.add(new TypeCount(null, null, null, untyped));
        Instant midnight = LocalDate.ofInstant(now, ZoneOffset.UTC)
                .atStartOfDay(ZoneOffset.UTC)
                .toInstant();
        long activationsToday = jdbc.sql("SELECT COUNT(*) FROM devices WHERE first_activated_at >= ?")
                .param(Db.ts(midnight))
                .query(Long.class)
                .single();
        LiveSessions sessions = liveSessions.getIfAvailable();
        return new Snapshot(
                total,
                byProduct,
                byStatus,
                byType,
                activated,
                total == 0 ? 0.0 : (double) activated / total,
                total - activated,
                sessions == null ? 0 : sessions.total(),
                activationsToday,
                now);
    }
}
