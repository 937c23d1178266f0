package dev.licensor.server.session;

import java.util.Locale;
import java.util.Optional;

/** Why a session ended, as the API and the history spell it ({@code normal}, {@code timeout}, …). */
public enum EndReason {
    /** The client ended it. */
    NORMAL,
    /** No heartbeat within the product's {@code session_timeout}. */
    TIMEOUT,
    /** An administrator terminated it. */
    FORCED,
    /** The same device started a new session. */
    REPLACED,
    /** Its device was deactivated or blocked. */
    DEACTIVATED,
    /** The license was suspended, revoked or expired while it ran. */
    LICENSE_INVALID;

    /** The wire and database spelling. */
    public String wire() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static Optional<EndReason> parse(String wire) {
        for (EndReason reason : values()) {
            if (reason.wire().equals(wire)) {
                return Optional.of(reason);
            }
        }
        return Optional.empty();
    }
}
