package dev.licensor.server.abuse;

import org.springframework.stereotype.Service;

/**
 * Admin-panel login attempts per address ({@code licensor.rate-limit.login-per-minute}, default 5,
 * {@code LOGIN_RATE_LIMIT}). Call {@link #attempt} before checking a password; when it is refused,
 * answer without checking and tell the user to wait {@code retryAfterSeconds}.
 */
@Service
public class LoginRateLimiter {
    private final RateLimiter limiter;

    LoginRateLimiter(RateLimiter limiter) {
        this.limiter = limiter;
    }

    /** Counts one login attempt from {@code ip}; {@code allowed()} says whether to go on. */
    public RateLimiter.Decision attempt(String ip) {
        return limiter.consume(RateLimiter.Scope.LOGIN, ip);
    }
}
