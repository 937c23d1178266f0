package dev.licensor.client;

import java.time.Duration;

/**
 * Learns what happens to a {@link LicenseSession}. Called on the session's heartbeat thread:
 * return quickly, and hand work to the program's own threads (e.g. the UI thread).
 */
@FunctionalInterface
public interface SessionListener {

    /**
     * The session is lost and will not heartbeat again. Called at most once, and not after {@link
     * LicenseSession#close()}.
     *
     * @param loss why
     */
    void sessionLost(SessionLoss loss);

    /**
     * A heartbeat was accepted.
     *
     * @param response the server's answer
     */
    default void heartbeatSucceeded(HeartbeatResponse response) {}

    /**
     * A heartbeat failed transiently and will be retried.
     *
     * @param failure the failure
     * @param attempt consecutive failures so far, from 1
     * @param remaining how long retries continue before the session counts as lost
     */
    default void heartbeatFailed(LicensorException failure, int attempt, Duration remaining) {}
}
