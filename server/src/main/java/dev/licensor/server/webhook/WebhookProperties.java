package dev.licensor.server.webhook;

import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Webhook delivery ({@code licensor.webhooks.*}). The job's own schedule is
 * {@code licensor.webhooks.poll-interval} (default 5 s) and {@code licensor.webhooks.expiring-soon-cron}
 * (default 06:00 UTC daily), read by the scheduler.
 *
 * @param batchSize deliveries one run of the job claims and sends (in parallel)
 * @param connectTimeout connecting to an endpoint
 * @param requestTimeout waiting for an endpoint's answer
 * @param initialBackoff the wait after a first failed attempt; it doubles with every further one…
 * @param maxBackoff …up to this
 * @param maxAttempts after this many failed attempts a delivery is {@code FAILED}
 * @param expiringSoonDays {@code license.expiring_soon} is sent once a license expires within this many days
 * @param retention delivered and failed deliveries older than this leave the delivery log (keep it
 *     longer than {@code expiringSoonDays}: the log is what stops an expiry notice from repeating)
 */
@ConfigurationProperties("licensor.webhooks")
public record WebhookProperties(
        @DefaultValue("50") int batchSize,
        @DefaultValue("5s") Duration connectTimeout,
        @DefaultValue("10s") Duration requestTimeout,
        @DefaultValue("30s") Duration initialBackoff,
        @DefaultValue("6h") Duration maxBackoff,
        @DefaultValue("10") int maxAttempts,
        @DefaultValue("7") int expiringSoonDays,
        @DefaultValue("90d") Duration retention) {

    /** The wait before attempt {@code attempts + 1}, after {@code attempts} failed ones (≥ 1). */
    Duration backoff(int attempts) {
        Duration wait = initialBackoff;
        for (int i = 1; i < attempts && wait.compareTo(maxBackoff) < 0; i++) {
            wait = wait.multipliedBy(2);
        }
        return wait.compareTo(maxBackoff) > 0 ? maxBackoff : wait;
    }

    /**
     * How long a claimed delivery stays leased to the job sending it: longer than any send can
     * take, so only a job that died mid-send leaves it to be sent again.
     */
    Duration lease() {
        return connectTimeout.plus(requestTimeout).multipliedBy(2).plusSeconds(30);
    }
}
