package dev.licensor.server.product;

import com.fasterxml.jackson.annotation.JsonProperty;
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
        @JsonProperty("max_deactivations_per_30_days") @Nullable Integer maxDeactivationsPer30Days,
        Instant createdAt,
        Instant updatedAt) {}
