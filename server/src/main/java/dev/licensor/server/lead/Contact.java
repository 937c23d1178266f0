package dev.licensor.server.lead;

import java.time.Instant;
import org.jspecify.annotations.Nullable;

/** A contact person at a lead's institution. */
public record Contact(
        long id,
        long institutionId,
        String name,
        @Nullable String email,
        @Nullable String phone,
        @Nullable String position,
        Instant createdAt,
        Instant updatedAt) {}
