package dev.licensor.server.webhook;

import net.javacrumbs.shedlock.spring.annotation.SchedulerLock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;

/** The webhook jobs, each on one instance at a time (ShedLock). */
@Component
class WebhookJobs {
    private static final Logger log = LoggerFactory.getLogger(WebhookJobs.class);

    private final WebhookSender sender;
    private final ExpiryNotices expiry;
    private final Webhooks webhooks;
    private final WebhookProperties settings;

    WebhookJobs(WebhookSender sender, ExpiryNotices expiry, Webhooks webhooks, WebhookProperties settings) {
        this.sender = sender;
        this.expiry = expiry;
        this.webhooks = webhooks;
        this.settings = settings;
    }

    /** Sends due deliveries every {@code licensor.webhooks.poll-interval}. */
    @Scheduled(
            initialDelayString = "${licensor.webhooks.poll-interval:5s}",
            fixedDelayString = "${licensor.webhooks.poll-interval:5s}")
    @SchedulerLock(name = "webhook-delivery", lockAtMostFor = "PT5M")
    public void deliver() {
        sender.deliverDue();
    }

    /** Retention of the delivery log ({@code licensor.webhooks.retention}, 90 days). */
    @Scheduled(initialDelayString = "PT2M", fixedDelayString = "PT1H")
    @SchedulerLock(name = "webhook-retention", lockAtMostFor = "PT50M", lockAtLeastFor = "PT5M")
    public void purge() {
        int purged = webhooks.purge(settings.retention());
        if (purged > 0) {
            log.info("Deleted {} webhook deliveries older than {}.", purged, settings.retention());
        }
    }

    /** Queues {@code license.expiring_soon} once a day (06:00 UTC by default). */
    @Scheduled(cron = "${licensor.webhooks.expiring-soon-cron:0 0 6 * * *}", zone = "UTC")
    @SchedulerLock(name = "webhook-expiring-soon", lockAtMostFor = "PT30M", lockAtLeastFor = "PT1M")
    public void expiringSoon() {
        int queued = expiry.run();
        if (queued > 0) {
            log.info("Queued {} license.expiring_soon webhook deliveries.", queued);
        }
    }
}
