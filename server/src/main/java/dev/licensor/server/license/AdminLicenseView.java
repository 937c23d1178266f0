package dev.licensor.server.license;

import java.time.Instant;
import java.util.List;
import org.jspecify.annotations.Nullable;

/** A license as the admin API shows it: the client view plus the administrative fields. */
public record AdminLicenseView(
        long id,
        String licenseKey,
        long productId,
        String product,
        @Nullable Long customerId,
        @Nullable Long licenseTypeId,
        @Nullable String type,
        String status,
        @Nullable String licensedTo,
        @Nullable Instant validFrom,
        @Nullable Instant expiresAt,
        @Nullable Integer durationDays,
        ExpirationBasis expirationBasis,
        int deviceLimit,
        int devicesUsed,
        int concurrentSessionsLimit,
        int liveSessions,
        List<String> features,
        boolean singleUse,
        boolean legacy,
        @Nullable String batchId,
        @Nullable String notes,
        boolean suspicious,
        @Nullable String suspiciousReason,
        @Nullable Instant activatedAt,
        Instant createdAt,
        Instant updatedAt) {}
