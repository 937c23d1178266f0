package dev.licensor.server.webhook;

import dev.licensor.server.license.License;
import dev.licensor.server.license.Licenses;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.jspecify.annotations.Nullable;
import org.springframework.dao.DuplicateKeyException;
import org.springframework.stereotype.Component;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * {@code license.expiring_soon}: once per license and expiry date, for ACTIVE licenses that expire
 * within {@code licensor.webhooks.expiring-soon-days}. The event id is derived from the license and
 * its expiry, and an endpoint never gets the same event id twice (a unique key), so later runs, on
 * any instance, do not send it again; a license extended to a new date is announced again for it.
 */
@Component
class ExpiryNotices {
    private static final int PAGE = 1000;

    private final Webhooks webhooks;
    private final Licenses licenses;
    private final WebhookProperties settings;
    private final TransactionTemplate tx;

    ExpiryNotices(Webhooks webhooks, Licenses licenses, WebhookProperties settings, PlatformTransactionManager tm) {
        this.webhooks = webhooks;
        this.licenses = licenses;
        this.settings = settings;
        this.tx = new TransactionTemplate(tm);
    }

    /** Queues the notices due now; how many deliveries were queued. */
    int run() {
        List<Long> products = webhooks.productsReceiving(EventType.LICENSE_EXPIRING_SOON);
        if (products.isEmpty()) {
            return 0;
        }
        Instant now = webhooks.now();
        Instant until = now.plus(Duration.ofDays(settings.expiringSoonDays()));
        int queued = 0;
        Instant from = now;
        long afterId = Long.MAX_VALUE;
        while (true) {
            List<License> page = licenses.expiring(products, from, afterId, until, PAGE);
            for (License license : page) {
                queued += notice(license, now);
            }
            if (page.size() < PAGE) {
                return queued;
            }
            from = java.util.Objects.requireNonNull(page.getLast().expiresAt());
            afterId = page.getLast().id();
        }
    }

    private int notice(License license, Instant now) {
        Instant expiresAt = java.util.Objects.requireNonNull(license.expiresAt());
        Map<String, @Nullable Object> data = new LinkedHashMap<>();
        data.put("license_key", license.licenseKey());
        data.put("expires_at", expiresAt.toString());
        data.put("days_left", Duration.between(now, expiresAt).toDays());
        data.put("license", WebhookEvents.license(license));
        Webhooks.Event event = new Webhooks.Event(
                eventId(license.id(), expiresAt), EventType.LICENSE_EXPIRING_SOON, license.productId(), now, data);
        try {
            Integer queued = tx.execute(status -> webhooks.enqueueOnce(event));
            return queued == null ? 0 : queued;
        } catch (DuplicateKeyException e) {
            return 0; // queued concurrently
        }
    }

    /** The same id for the same license and expiry, on every run and instance. */
    static UUID eventId(long licenseId, Instant expiresAt) {
        return UUID.nameUUIDFromBytes(("license.expiring_soon:" + licenseId + ":" + expiresAt.toEpochMilli())
                .getBytes(StandardCharsets.UTF_8));
    }
}
