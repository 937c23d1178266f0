package dev.licensor.server.security;

import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * Panel login policy ({@code licensor.admin.*}): failed logins before an account locks, how long
 * it stays locked, the idle timeout, and how long "remember me" lasts. Limits per IP address are
 * the trust layer's ({@code licensor.rate-limit.login-*}, {@code LoginRateLimiter}).
 */
@ConfigurationProperties("licensor.admin")
public record AdminProperties(
        int maxLoginAttempts, int lockoutMinutes, int sessionLifetimeMinutes, int rememberMeDays) {
    public AdminProperties {
        if (maxLoginAttempts < 1 || lockoutMinutes < 1 || sessionLifetimeMinutes < 1) {
            throw new IllegalArgumentException("licensor.admin.* limits must be at least 1");
        }
    }
}
