package dev.licensor.server.session;

import java.time.Instant;
import org.jspecify.annotations.Nullable;

/** Published inside the transaction that started a session (never for a refused start). */
public record SessionStarted(
        long productId,
        long licenseId,
        String licenseKey,
        long sessionId,
        long deviceId,
        String hardwareHash,
        @Nullable String machineId,
        boolean resumed,
        @Nullable String ip,
        @Nullable String version,
        Instant startedAt) {}
