package dev.licensor.server.session;

import net.javacrumbs.shedlock.spring.annotation.SchedulerLock;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;

/**
 * The scheduled session jobs, each on one instance at a time (ShedLock). They only tidy up: every
 * decision on limits and liveness is made by the request transactions, which treat a timed-out
 * session as ended whether or not the reaper has been there yet.
 */
@Component
class SessionJobs {
    private final Sessions sessions;
    private final LogMaintenance maintenance;

    SessionJobs(Sessions sessions, LogMaintenance maintenance) {
        this.sessions = sessions;
        this.maintenance = maintenance;
    }

    /** Ends sessions without heartbeat as {@code timeout}, within one interval (5 s) of their timeout. */
    @Scheduled(
            initialDelayString = "${licensor.sessions.reaper-interval:5s}",
            fixedDelayString = "${licensor.sessions.reaper-interval:5s}")
    @SchedulerLock(name = "session-reaper", lockAtMostFor = "PT30S")
    public void reap() {
        sessions.reap();
    }

    /** Heartbeat-log partitions ahead, and retention of the heartbeat and validation logs. */
    @Scheduled(initialDelayString = "PT1M", fixedDelayString = "PT1H")
    @SchedulerLock(name = "log-maintenance", lockAtMostFor = "PT50M", lockAtLeastFor = "PT5M")
    public void maintainLogs() {
        maintenance.run();
    }
}
