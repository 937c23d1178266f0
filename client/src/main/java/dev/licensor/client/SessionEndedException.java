package dev.licensor.client;

import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * The session is gone: {@code SESSION_ENDED} (with the reason the server ended it) or {@code
 * SESSION_NOT_FOUND}. A new session has to be started.
 */
public class SessionEndedException extends LicensorException {
    private static final long serialVersionUID = 1L;

    SessionEndedException(Problem problem, @Nullable Throwable cause) {
        super(problem, cause);
    }

    /**
     * Why the server ended the session.
     *
     * @return the {@code end_reason} field, or empty for {@code SESSION_NOT_FOUND}
     */
    public Optional<EndReason> endReason() {
        return stringProperty("end_reason").map(EndReason::fromWire);
    }
}
