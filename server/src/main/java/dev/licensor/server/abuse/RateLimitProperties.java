package dev.licensor.server.abuse;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Rate limits ({@code licensor.rate-limit.*}); {@code API_RATE_LIMIT} and {@code LOGIN_RATE_LIMIT}
 * set the per-license and login limits. A limit of 0 switches that bucket off; {@code enabled=false}
 * switches all of them off (for load tests).
 *
 * @param licensePerMinute client calls per license key per minute
 * @param ipPerHour client calls per caller address per hour
 * @param apiKeyPerMinute client calls per API key per minute (all clients of a product share it)
 * @param loginPerMinute admin-panel login attempts per address per minute
 * @param loginFailuresPerHour failed admin-panel logins per address per hour after which the address
 *     is blocked for an hour ({@code created_by = rule:login-failures})
 */
@ConfigurationProperties("licensor.rate-limit")
public record RateLimitProperties(
        @DefaultValue("true") boolean enabled,
        @DefaultValue("100") long licensePerMinute,
        @DefaultValue("1000") long ipPerHour,
        @DefaultValue("1000000") long apiKeyPerMinute,
        @DefaultValue("5") long loginPerMinute,
        @DefaultValue("20") long loginFailuresPerHour) {}
