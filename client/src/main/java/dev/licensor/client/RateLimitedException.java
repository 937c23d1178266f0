package dev.licensor.client;

import java.util.OptionalLong;
import org.jspecify.annotations.Nullable;

/**
 * {@code RATE_LIMITED} or {@code DEACTIVATION_LIMIT_REACHED} (HTTP 429). {@link #retryAfter()}
 * says when to try again.
 */
public class RateLimitedException extends LicensorException {
    private static final long serialVersionUID = 1L;

    RateLimitedException(Problem problem, @Nullable Throwable cause) {
        super(problem, cause);
    }

    /**
     * The {@code X-RateLimit-Limit} header.
     *
     * @return the limit, when sent
     */
    public OptionalLong limit() {
        return problem().rateLimitLimit();
    }

    /**
     * The {@code X-RateLimit-Remaining} header.
     *
     * @return the remaining calls, when sent
     */
    public OptionalLong remaining() {
        return problem().rateLimitRemaining();
    }

    /**
     * The {@code X-RateLimit-Reset} header, as sent.
     *
     * @return the reset value, when sent
     */
    public OptionalLong reset() {
        return problem().rateLimitReset();
    }

    @Override
    public boolean isTransient() {
        return code() == dev.licensor.protocol.ErrorCode.RATE_LIMITED;
    }
}
