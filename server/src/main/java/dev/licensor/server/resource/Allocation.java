package dev.licensor.server.resource;

import java.time.Instant;
import org.jspecify.annotations.Nullable;

/**
 * One allocation of a resource to a license, from the history. The license's key and the
 * resource's value are copies, kept after the license or the resource is deleted
 * ({@code resourceId} is then null). {@code releaseReason}: {@code released} (by hand),
 * {@code license_revoked} or {@code license_deleted}; null while the allocation lasts.
 */
public record Allocation(
        long id,
        @Nullable Long resourceId,
        ResourceKind kind,
        String value,
        long licenseId,
        String licenseKey,
        Instant allocatedAt,
        String allocatedBy,
        @Nullable Instant releasedAt,
        @Nullable String releasedBy,
        @Nullable String releaseReason) {}
