package dev.licensor.client;

import org.jspecify.annotations.Nullable;

/**
 * {@code SESSION_LIMIT_REACHED}: the license already runs on as many devices at once as it
 * allows. Nobody is kicked out; show {@link #detail()} (e.g. "Only one session is allowed. Make
 * sure the program is not running anywhere else.") and let the user try again later.
 */
public class SessionLimitException extends LicensorException {
    private static final long serialVersionUID = 1L;

    SessionLimitException(Problem problem, @Nullable Throwable cause) {
        super(problem, cause);
    }

    /**
     * The license's concurrent-session limit.
     *
     * @return the {@code concurrent_sessions_limit} field, or 0 when absent
     */
    public int concurrentSessionsLimit() {
        return (int) longProperty("concurrent_sessions_limit");
    }
}
