package dev.licensor.server.webhook;

import java.time.Instant;
import java.util.UUID;
import org.jspecify.annotations.Nullable;
import tools.jackson.databind.JsonNode;

/**
 * One event sent (or to be sent) to one endpoint, as the delivery log shows it. {@code status} is
 * {@code PENDING} (due at {@code next_attempt_at}), {@code DELIVERED} or {@code FAILED} (gave up
 * after the last attempt; a manual retry queues it again).
 */
public record Delivery(
        long id,
        long webhookId,
        long productId,
        String url,
        String eventType,
        UUID eventId,
        String status,
        int attempts,
        @Nullable Instant nextAttemptAt,
        @Nullable Integer lastStatus,
        @Nullable String lastError,
        Instant createdAt,
        @Nullable Instant deliveredAt,
        JsonNode payload) {

    public static final String PENDING = "PENDING";
    public static final String DELIVERED = "DELIVERED";
    public static final String FAILED = "FAILED";
}
