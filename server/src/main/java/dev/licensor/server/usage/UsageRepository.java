package dev.licensor.server.usage;

import dev.licensor.server.support.Db;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

/** Quotas and usage counters. Counting is done under the license row lock the caller holds. */
@Repository
class UsageRepository {
    private final JdbcClient jdbc;

    UsageRepository(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    /** A quota as stored. */
    record Quota(String metric, long limit, Period period) {}

    private static Quota quota(ResultSet rs, int row) throws SQLException {
        return new Quota(rs.getString("metric"), rs.getLong("quota_limit"), Period.valueOf(rs.getString("period")));
    }

    Optional<Quota> quota(long licenseId, String metric) {
        return jdbc.sql("SELECT metric, quota_limit, period FROM usage_quotas WHERE license_id = ? AND metric = ?")
                .params(licenseId, metric)
                .query(UsageRepository::quota)
                .optional();
    }

    List<Quota> quotas(long licenseId) {
        return jdbc.sql("SELECT metric, quota_limit, period FROM usage_quotas WHERE license_id = ? ORDER BY metric")
                .param(licenseId)
                .query(UsageRepository::quota)
                .list();
    }

    /** One page of the license's quotas, by metric as {@link #quotas(long)} orders them. */
    List<Quota> quotas(long licenseId, int offset, int limit) {
        return jdbc.sql(
                        """
                        SELECT metric, quota_limit, period FROM usage_quotas WHERE license_id = ?
                        ORDER BY metric LIMIT ? OFFSET ?""")
                .params(licenseId, limit, offset)
                .query(UsageRepository::quota)
                .list();
    }

    long countQuotas(long licenseId) {
        return jdbc.sql("SELECT COUNT(*) FROM usage_quotas WHERE license_id = ?")
                .param(licenseId)
                .query(Long.class)
                .single();
    }

    /** Sets a quota; whether it existed before. */
    boolean setQuota(long licenseId, Quota quota, Instant now) {
        int updated = jdbc.sql(
                        "UPDATE usage_quotas SET quota_limit = ?, period = ?, updated_at = ? WHERE license_id = ? AND metric = ?")
                .params(quota.limit(), quota.period().name(), Db.ts(now), licenseId, quota.metric())
                .update();
        if (updated > 0) {
            return true;
        }
        jdbc.sql(
                        "INSERT INTO usage_quotas (license_id, metric, quota_limit, period, updated_at) VALUES (?, ?, ?, ?, ?)")
                .params(licenseId, quota.metric(), quota.limit(), quota.period().name(), Db.ts(now))
                .update();
        return false;
    }

    boolean deleteQuota(long licenseId, String metric) {
        return jdbc.sql("DELETE FROM usage_quotas WHERE license_id = ? AND metric = ?")
                        .params(licenseId, metric)
                        .update()
                > 0;
    }

    /**
     * What a license used of a metric from {@code from} on: the sum of its day counters since then.
     * Counters are kept per UTC day whatever the quota's period (rows from before that design may
     * hold a whole month, or a lifetime at 1970-01-01), so a period's count survives a change of the
     * quota's period, and a metric counted before it had a quota keeps its count.
     */
    long used(long licenseId, String metric, Instant from) {
        return jdbc.sql(
                        """
                        SELECT COALESCE(SUM(used), 0) FROM usage_counters
                        WHERE license_id = ? AND metric = ? AND period_start >= ?""")
                .params(licenseId, metric, Db.ts(from))
                .query(Long.class)
                .single();
    }

    /**
     * Adds to the counter of the UTC day starting at {@code day} (creating it); the caller holds the
     * license row lock, so no one races the insert.
     */
    void add(long licenseId, String metric, Instant day, long amount, Instant now) {
        int updated = jdbc.sql(
                        """
                        UPDATE usage_counters SET used = used + ?, updated_at = ?
                        WHERE license_id = ? AND metric = ? AND period_start = ?""")
                .params(amount, Db.ts(now), licenseId, metric, Db.ts(day))
                .update();
        if (updated == 0) {
            jdbc.sql(
                            """
                            INSERT INTO usage_counters (license_id, metric, period_start, used, updated_at)
                            VALUES (?, ?, ?, ?, ?)""")
                    .params(licenseId, metric, Db.ts(day), amount, Db.ts(now))
                    .update();
        }
    }
}
