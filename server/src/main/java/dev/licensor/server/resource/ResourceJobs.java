package dev.licensor.server.resource;

import net.javacrumbs.shedlock.spring.annotation.SchedulerLock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;

/** Returns resources to the pool when their quarantine has passed, on one instance at a time. */
@Component
class ResourceJobs {
    private static final Logger log = LoggerFactory.getLogger(ResourceJobs.class);

    private final ResourcePool pool;

    ResourceJobs(ResourcePool pool) {
        this.pool = pool;
    }

    @Scheduled(initialDelayString = "PT1M", fixedDelayString = "${licensor.resources.quarantine-check-interval:10m}")
    @SchedulerLock(name = "resource-quarantine", lockAtMostFor = "PT5M")
    public void endQuarantines() {
        int ended = pool.endQuarantines();
        if (ended > 0) {
            log.info("{} resources back in the pool after their quarantine", ended);
        }
    }
}
