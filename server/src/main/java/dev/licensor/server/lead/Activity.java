package dev.licensor.server.lead;

import java.time.Instant;
import org.jspecify.annotations.Nullable;

/**
 * A call, email, meeting or other contact with a lead, when it happened and with whom (a contact
 * person, if known); {@code actor} is who recorded it.
 */
public record Activity(
        long id,
        long institutionId,
        @Nullable Long contactId,
        @Nullable String contactName,
        ActivityKind kind,
        Instant occurredAt,
        String summary,
        String actor,
        Instant createdAt) {}
