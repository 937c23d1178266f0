package dev.licensor.server.session;

import java.time.Instant;
import org.jspecify.annotations.Nullable;

/**
 * A session as the admin API shows it: whose it is, where it runs, and how it ended. The session
 * token is not shown: it is the client's credential for its heartbeats.
 */
public record SessionView(
        long id,
        long productId,
        String licenseKey,
        @Nullable String customer,
        long deviceId,
        String hardwareHash,
        @Nullable String machineId,
        @Nullable String deviceName,
        @Nullable String ip,
        @Nullable String version,
        Instant startedAt,
        Instant lastHeartbeat,
        boolean live,
        @Nullable Instant endedAt,
        @Nullable String endReason) {}
