package dev.licensor.client;

import org.jspecify.annotations.Nullable;

/**
 * A verified answer that this SDK cannot read (not JSON, or a required field missing). Treated as
 * transient, like {@link ResponseSignatureException}.
 */
public class InvalidResponseException extends LicensorException {
    private static final long serialVersionUID = 1L;

    InvalidResponseException(Problem problem, @Nullable Throwable cause) {
        super(problem, cause);
    }

    InvalidResponseException(String detail, @Nullable Throwable cause) {
        this(Problem.local(0, detail), cause);
    }

    @Override
    public boolean isTransient() {
        return true;
    }
}
