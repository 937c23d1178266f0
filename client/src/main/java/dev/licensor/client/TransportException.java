package dev.licensor.client;

import org.jspecify.annotations.Nullable;

/**
 * No answer arrived: connection refused, DNS failure, TLS failure, timeout. {@link #code()} is
 * null and {@link #status()} 0. Transient.
 */
public class TransportException extends LicensorException {
    private static final long serialVersionUID = 1L;

    TransportException(Problem problem, @Nullable Throwable cause) {
        super(problem, cause);
    }

    @Override
    public boolean isTransient() {
        return true;
    }
}
