package dev.licensor.client;

import java.util.Locale;

/** Why the server ended a session ({@code end_reason}). */
public enum EndReason {
    /** The client ended it. */
    NORMAL,
    /** No heartbeat arrived within the session timeout. */
    TIMEOUT,
    /** An administrator terminated it. */
    FORCED,
    /** The same device started a new session. */
    REPLACED,
    /** Its device was deactivated. */
    DEACTIVATED,
    /** The license was suspended, revoked or expired while the session ran. */
    LICENSE_INVALID,
    /** A reason this SDK version does not know. */
    UNKNOWN;

    /**
     * The reason for a wire value such as {@code "forced"}.
     *
     * @param value the {@code end_reason} text
     * @return the reason, {@link #UNKNOWN} for an unknown text
     */
    public static EndReason fromWire(String value) {
        try {
            return valueOf(value.toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            return UNKNOWN;
        }
    }

    /**
     * The wire value, e.g. {@code "forced"}.
     *
     * @return the lower-case name
     */
    public String wire() {
        return name().toLowerCase(Locale.ROOT);
    }
}
