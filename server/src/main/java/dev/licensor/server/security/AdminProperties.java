package dev.licensor.server.security;

import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * Panel login policy ({@code licensor.admin.*}): failed logins before an account locks, how long
 * it stays locked, the idle timeout, login attempts per minute per IP, failed logins per hour after
 * which an IP may not log in for an hour, and how long "remember me" lasts.
 */
@ConfigurationProperties("licensor.admin")
public record AdminProperties(
        int maxLoginAttempts,
        int lockoutMinutes,
        int sessionLifetimeMinutes,
        int loginRateLimit,
        int ipBlockAfterFailures,
        int rememberMeDays) {
    public AdminProperties {
        if (maxLoginAttempts < 1 || lockoutMinutes < 1 || sessionLifetimeMinutes < 1 || loginRateLimit < 1) {
            throw new IllegalArgumentException("licensor.admin.* limits must be at least 1");
        }
    }
}
