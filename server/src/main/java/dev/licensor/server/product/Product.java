package dev.licensor.server.product;

import java.time.Instant;
import org.jspecify.annotations.Nullable;

/** A piece of client software and its client configuration. */
public record Product(
        long id,
        String name,
        String keyPrefix,
        @Nullable String currentVersion,
        @Nullable String minimumVersion,
        @Nullable String downloadUrl,
        @Nullable String whatsNew,
        @Nullable Instant releasedAt,
        int heartbeatInterval,
        int sessionTimeout,
        int offlineGraceDays,
        int expiryGraceDays,
        boolean autoActivateOnSession,
        boolean requireSignedRequests,
        @Nullable Integer maxDeactivationsPer30Days,
        Instant createdAt,
        Instant updatedAt) {}
