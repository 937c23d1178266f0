package dev.licensor.server.webhook;

import java.time.Instant;
import java.util.List;

/** A webhook endpoint of a product as the admin API shows it; {@code events} by wire name. */
public record Webhook(
        long id,
        long productId,
        String url,
        List<String> events,
        boolean enabled,
        Instant createdAt,
        Instant updatedAt) {
    public Webhook {
        events = List.copyOf(events);
    }

    /** Whether this endpoint is enabled and subscribed to the event. */
    boolean receives(EventType type) {
        return enabled && events.contains(type.wire());
    }
}
