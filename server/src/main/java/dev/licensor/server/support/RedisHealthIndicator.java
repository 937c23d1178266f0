package dev.licensor.server.support;

import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.stereotype.Component;

/**
 * The {@code redis} component of {@code /actuator/health}, present only when Redis is enabled.
 * DOWN while Redis is unreachable; the server keeps serving on its local fallbacks meanwhile, so
 * the liveness and readiness groups do not include it.
 */
@Component("redisHealthIndicator")
@ConditionalOnProperty(name = "licensor.redis.enabled", havingValue = "true")
class RedisHealthIndicator implements HealthIndicator {
    private final RedisLink redis;

    RedisHealthIndicator(RedisLink redis) {
        this.redis = redis;
    }

    @Override
    public Health health() {
        return redis.available()
                ? Health.up().build()
                : Health.down().withDetail("fallback", "local").build();
    }
}
