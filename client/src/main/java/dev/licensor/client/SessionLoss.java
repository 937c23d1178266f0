package dev.licensor.client;

import java.time.Duration;

/**
 * Why a {@link LicenseSession} was lost. The program should stop (or degrade to its unlicensed
 * mode) and tell the user; {@link LicensorException#detail()} of {@link #cause()} is a sentence
 * in the user's language when the server sent one.
 */
public sealed interface SessionLoss {

    /**
     * What caused the loss.
     *
     * @return the failure of the last heartbeat
     */
    LicensorException cause();

    /**
     * The server ended the session ({@code SESSION_ENDED}, or {@code SESSION_NOT_FOUND} read as
     * {@link EndReason#UNKNOWN}): an administrator terminated it ({@link EndReason#FORCED}), the
     * same device started another one ({@link EndReason#REPLACED}), the device was deactivated, or
     * it timed out on the server.
     *
     * @param reason the server's {@code end_reason}
     * @param cause the heartbeat's failure
     */
    record Ended(EndReason reason, SessionEndedException cause) implements SessionLoss {}

    /**
     * The license or device became unusable while running: suspended, revoked, expired, blocked.
     * {@link LicensorException#code()} of the cause says which.
     *
     * @param cause the heartbeat's failure
     */
    record LicenseUnusable(LicenseStateException cause) implements SessionLoss {}

    /**
     * The program version is no longer accepted.
     *
     * @param cause the heartbeat's failure, with the minimum version and download URL
     */
    record UpdateRequired(UpdateRequiredException cause) implements SessionLoss {}

    /**
     * No heartbeat got through for the whole session timeout (network gone, server down), so the
     * server has ended the session by now.
     *
     * @param unreachableFor how long heartbeats failed
     * @param cause the last heartbeat's failure
     */
    record TimedOut(Duration unreachableFor, LicensorException cause) implements SessionLoss {}

    /**
     * Any other refusal that retrying cannot fix, e.g. the API key was revoked.
     *
     * @param cause the heartbeat's failure
     */
    record Rejected(LicensorException cause) implements SessionLoss {}
}
