package dev.licensor.client;

import org.jspecify.annotations.Nullable;

/**
 * {@code QUOTA_EXCEEDED}: a usage metric reached its quota for the period.
 */
public class QuotaExceededException extends LicensorException {
    private static final long serialVersionUID = 1L;

    QuotaExceededException(Problem problem, @Nullable Throwable cause) {
        super(problem, cause);
    }
}
