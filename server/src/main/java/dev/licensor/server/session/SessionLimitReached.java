package dev.licensor.server.session;

import org.jspecify.annotations.Nullable;

/**
 * Published when a session start is refused with {@code SESSION_LIMIT_REACHED}, inside the start
 * transaction, which then rolls back: a listener that wants to keep a record of the refusal writes
 * it in a transaction of its own.
 */
public record SessionLimitReached(
        long productId,
        long licenseId,
        String licenseKey,
        String hardwareHash,
        @Nullable String machineId,
        int concurrentSessionsLimit,
        int liveSessions) {}
