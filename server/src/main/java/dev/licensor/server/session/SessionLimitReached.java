package dev.licensor.server.session;

import org.jspecify.annotations.Nullable;

/**
 * Published when a session start has been refused with {@code SESSION_LIMIT_REACHED}, after its
 * transaction rolled back (outside any transaction): a listener that keeps a record of the refusal
 * writes it in a transaction of its own.
 */
public record SessionLimitReached(
        long productId,
        long licenseId,
        String licenseKey,
        String hardwareHash,
        @Nullable String machineId,
        int concurrentSessionsLimit,
        int liveSessions) {}
