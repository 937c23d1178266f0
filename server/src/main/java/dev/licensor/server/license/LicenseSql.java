package dev.licensor.server.license;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The derived statuses in SQL, for queries over {@code licenses l} with the instant bound to
 * {@code :now}: the admin list's status filter and the status counts agree with
 * {@link License#displayStatus}, which shows a license as {@code EXPIRED} only once its product's
 * {@code expiry_grace_days} after {@code expires_at} have passed as well.
 */
public final class LicenseSql {
    private static final String PAST_GRACE =
            """
            l.expires_at IS NOT NULL
            AND l.expires_at + (SELECT p.expiry_grace_days FROM products p WHERE p.id = l.product_id) * INTERVAL '1' DAY
                <= :now""";

    /** Shown as {@code EXPIRED}: active, but past its expiry and grace. */
    public static final String EXPIRED = "l.status = 'ACTIVE' AND " + PAST_GRACE;

    /** Shown as {@code ACTIVE}: active and not past its expiry and grace. */
    public static final String ACTIVE = "l.status = 'ACTIVE' AND NOT (" + PAST_GRACE + ")";

    /** Columns {@code active}, {@code expired}, {@code suspended}, {@code revoked}: licenses by shown status. */
    public static final String STATUS_COUNTS = "COALESCE(SUM(CASE WHEN " + ACTIVE + " THEN 1 ELSE 0 END), 0) AS active,"
            + " COALESCE(SUM(CASE WHEN " + EXPIRED + " THEN 1 ELSE 0 END), 0) AS expired,"
            + " COALESCE(SUM(CASE WHEN l.status = 'SUSPENDED' THEN 1 ELSE 0 END), 0) AS suspended,"
            + " COALESCE(SUM(CASE WHEN l.status = 'REVOKED' THEN 1 ELSE 0 END), 0) AS revoked";

    private LicenseSql() {}

    /** The columns of {@link #STATUS_COUNTS} by status name, in that order. */
    public static Map<String, Long> statusCounts(ResultSet rs) throws SQLException {
        Map<String, Long> counts = new LinkedHashMap<>();
        counts.put("ACTIVE", rs.getLong("active"));
        counts.put("EXPIRED", rs.getLong("expired"));
        counts.put("SUSPENDED", rs.getLong("suspended"));
        counts.put("REVOKED", rs.getLong("revoked"));
        return counts;
    }
}
