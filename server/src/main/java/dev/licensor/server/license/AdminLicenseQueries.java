package dev.licensor.server.license;

import dev.licensor.server.support.Db;
import java.time.Instant;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

/** Queries of the admin API that read several licenses at once. */
@Repository
class AdminLicenseQueries {
    private final JdbcClient jdbc;

    AdminLicenseQueries(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    /** The names and device counts of a page of licenses, in one query. */
    Map<Long, LicenseViews.Names> names(Collection<Long> licenseIds) {
        Map<Long, LicenseViews.Names> names = new HashMap<>();
        if (licenseIds.isEmpty()) {
            return names;
        }
        jdbc.sql(
                        """
                        SELECT l.id, t.name AS type_name, c.name AS customer_name, c.company AS customer_company,
                            (SELECT COUNT(*) FROM devices d WHERE d.license_id = l.id AND d.status = 'ACTIVE') AS devices_used
                        FROM licenses l
                        LEFT JOIN license_types t ON t.id = l.license_type_id
                        LEFT JOIN customers c ON c.id = l.customer_id
                        WHERE l.id IN (:ids)""")
                .param("ids", List.copyOf(licenseIds))
                .query(rs -> {
                    String company = rs.getString("customer_company");
                    String name = rs.getString("customer_name");
                    names.put(
                            rs.getLong("id"),
                            new LicenseViews.Names(
                                    rs.getString("type_name"),
                                    company != null && !company.isBlank() ? company : name,
                                    rs.getInt("devices_used")));
                });
        return names;
    }

    boolean customerExists(long id) {
        return jdbc.sql("SELECT COUNT(*) FROM customers WHERE id = ?")
                        .param(id)
                        .query(Long.class)
                        .single()
                > 0;
    }

    /** A customer's licenses by status ({@code EXPIRED} derived from the expiry) and devices in use. */
    LicenseAdmin.CustomerLicenseStats customerStats(long customerId, Instant now) {
        Map<String, Long> byStatus = jdbc.sql(
                        "SELECT " + LicenseSql.STATUS_COUNTS + " FROM licenses l WHERE l.customer_id = :customerId")
                .param("now", Db.ts(now))
                .param("customerId", customerId)
                .query((rs, n) -> LicenseSql.statusCounts(rs))
                .single();
        long devices = jdbc.sql(
                        """
                        SELECT COUNT(*) FROM devices d JOIN licenses l ON l.id = d.license_id
                        WHERE l.customer_id = ? AND d.status = 'ACTIVE'""")
                .param(customerId)
                .query(Long.class)
                .single();
        long total = byStatus.values().stream().mapToLong(Long::longValue).sum();
        return new LicenseAdmin.CustomerLicenseStats(total, byStatus, devices);
    }

    long countOfCustomer(long customerId) {
        return jdbc.sql("SELECT COUNT(*) FROM licenses WHERE customer_id = ?")
                .param(customerId)
                .query(Long.class)
                .single();
    }

    void setStatus(long id, LicenseStatus status, Instant now) {
        jdbc.sql("UPDATE licenses SET status = ?, updated_at = ? WHERE id = ?")
                .params(status.name(), Db.ts(now), id)
                .update();
    }

    int detachCustomer(long customerId, Instant now) {
        return jdbc.sql("UPDATE licenses SET customer_id = NULL, updated_at = ? WHERE customer_id = ?")
                .params(Db.ts(now), customerId)
                .update();
    }
}
