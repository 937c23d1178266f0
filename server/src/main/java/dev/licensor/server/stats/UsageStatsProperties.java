package dev.licensor.server.stats;

import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.scheduling.support.CronExpression;

/**
 * The daily usage statistics ({@code licensor.usage-stats.*}, docs/ADMIN-API.md, "Usage statistics").
 *
 * @param cron when the daily run recomputes the previous UTC day (Spring cron, six fields, in UTC;
 *     {@code -} turns the daily run off), read by the scheduler
 * @param catchUpInterval how often (and how long after start-up first) missing days are looked for
 *     and computed, read by the scheduler
 * @param backfillDays how many days back from yesterday the catch-up fills days never computed
 * @param retentionDays how many days of statistics are kept (the catch-up removes older days);
 *     {@code 0} keeps them all. At least {@code backfillDays}, so the catch-up never computes a day
 *     only to remove it.
 */
@ConfigurationProperties("licensor.usage-stats")
public record UsageStatsProperties(
        @DefaultValue("0 5 0 * * *") String cron,
        @DefaultValue("1h") Duration catchUpInterval,
        @DefaultValue("90") int backfillDays,
        @DefaultValue("1095") int retentionDays) {

    /** The longest date range one query may span, in days (a year, leap day included). */
    public static final int MAX_RANGE_DAYS = 366;

    public UsageStatsProperties {
        if (!cron.equals("-") && !CronExpression.isValidExpression(cron)) {
            throw new IllegalArgumentException("licensor.usage-stats.cron is not a valid cron expression: " + cron);
        }
        if (catchUpInterval.isNegative() || catchUpInterval.isZero()) {
            throw new IllegalArgumentException("licensor.usage-stats.catch-up-interval must be positive");
        }
        if (backfillDays < 1 || backfillDays > 3660) {
            throw new IllegalArgumentException("licensor.usage-stats.backfill-days must be between 1 and 3660");
        }
        if (retentionDays != 0 && retentionDays < backfillDays) {
            throw new IllegalArgumentException(
                    "licensor.usage-stats.retention-days must be 0 (keep all) or at least backfill-days");
        }
    }
}
