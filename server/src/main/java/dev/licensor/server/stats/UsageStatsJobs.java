package dev.licensor.server.stats;

import net.javacrumbs.shedlock.spring.annotation.SchedulerLock;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;

/**
 * The usage-statistics jobs, on one instance at a time: both take the ShedLock lock
 * {@code usage-stats}, so they never overlap either. The daily run recomputes the day that just
 * ended; the catch-up, shortly after start-up and then every {@code catch-up-interval}, computes
 * the days of the back-fill horizon that were never computed (a fresh install's history, days
 * when no server was running at the daily run's time) and does nothing when there are none.
 */
@Component
class UsageStatsJobs {
    private final UsageDaily usage;

    UsageStatsJobs(UsageDaily usage) {
        this.usage = usage;
    }

    @Scheduled(cron = "${licensor.usage-stats.cron:0 5 0 * * *}", zone = "UTC")
    @SchedulerLock(name = "usage-stats", lockAtMostFor = "PT2H", lockAtLeastFor = "PT1M")
    public void daily() {
        usage.catchUp(true);
    }

    @Scheduled(initialDelayString = "PT1M", fixedDelayString = "${licensor.usage-stats.catch-up-interval:1h}")
    @SchedulerLock(name = "usage-stats", lockAtMostFor = "PT2H")
    public void catchUp() {
        usage.catchUp(false);
    }
}
