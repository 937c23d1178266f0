package dev.licensor.server.resource;

import java.time.Instant;
import org.jspecify.annotations.Nullable;

/**
 * One pooled resource as the admin API shows it. {@code licenseId} and {@code licenseKey} are set
 * exactly while it is {@code ALLOCATED}; {@code quarantinedUntil} exactly while it is
 * {@code QUARANTINED}.
 */
public record Resource(
        long id,
        ResourceKind kind,
        String value,
        ResourceStatus status,
        @Nullable Long licenseId,
        @Nullable String licenseKey,
        @Nullable Instant quarantinedUntil,
        @Nullable String notes,
        Instant createdAt,
        Instant updatedAt) {}
