package dev.licensor.server.license;

import java.time.Instant;
import java.util.List;
import org.jspecify.annotations.Nullable;

/** A license as the client API shows it. */
public record LicenseView(
        String licenseKey,
        String product,
        @Nullable String type,
        String status,
        @Nullable String licensedTo,
        Instant createdAt,
        @Nullable Instant activatedAt,
        @Nullable Instant expiresAt,
        int deviceLimit,
        int devicesUsed,
        int concurrentSessionsLimit,
        int liveSessions,
        List<String> features,
        boolean singleUse) {}
