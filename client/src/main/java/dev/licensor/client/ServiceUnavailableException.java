package dev.licensor.client;

import org.jspecify.annotations.Nullable;

/**
 * The server answered with a 5xx status ({@code SERVICE_UNAVAILABLE} while its database is
 * unreachable, or a proxy error). Transient: try again after {@link #retryAfter()}.
 */
public class ServiceUnavailableException extends LicensorException {
    private static final long serialVersionUID = 1L;

    ServiceUnavailableException(Problem problem, @Nullable Throwable cause) {
        super(problem, cause);
    }

    @Override
    public boolean isTransient() {
        return true;
    }
}
