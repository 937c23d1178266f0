package dev.licensor.server.lead;

import java.time.Instant;

/** A note on a lead as it reads now: its latest version, and who wrote the first and the latest. */
public record Note(
        long id,
        long institutionId,
        String text,
        int version,
        Instant createdAt,
        String createdBy,
        Instant updatedAt,
        String updatedBy) {}
