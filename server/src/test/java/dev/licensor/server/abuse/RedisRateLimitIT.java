package dev.licensor.server.abuse;

import static org.assertj.core.api.Assertions.assertThat;

import dev.licensor.protocol.LicenseKeyFormat;
import dev.licensor.server.testing.AbstractIT;
import dev.licensor.server.testing.Http;
import dev.licensor.server.testing.ScratchRedis;
import dev.licensor.server.testing.Waits;
import io.lettuce.core.RedisClient;
import io.lettuce.core.api.StatefulRedisConnection;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/** Buckets in Redis; when Redis dies the server keeps answering on local buckets and comes back. */
class RedisRateLimitIT extends AbstractIT {
    static final ScratchRedis REDIS = ScratchRedis.start();

    @DynamicPropertySource
    static void redis(DynamicPropertyRegistry registry) {
        REDIS.register(registry);
        registry.add("licensor.redis.probe-interval-ms", () -> "200");
        registry.add("licensor.redis.timeout-ms", () -> "2000");
        registry.add("licensor.rate-limit.license-per-minute", () -> "3");
    }

    @AfterAll
    static void stopRedis() {
        REDIS.close();
    }

    @Test
    void fallsBackToLocalBucketsWhileRedisIsGoneAndReturnsToIt() {
        TestProduct product = product();
        String first = licenseKey(product, Map.of());
        String second = licenseKey(product, Map.of());
        String third = licenseKey(product, Map.of());
        awaitMetric("licensor_ratelimit_redis_available", 1);
        assertThat(component("redis")).isEqualTo("UP");

        assertLimitedAfterThree(product, first);
        assertThat(redisHasBucketOf(first)).as("the bucket lives in Redis").isTrue();

        REDIS.stop();
        assertLimitedAfterThree(product, second);
        assertThat(metric("licensor_ratelimit_redis_available")).isZero();
        assertThat(metric("licensor_ratelimit_redis_fallbacks_total")).isGreaterThanOrEqualTo(1);
        assertThat(component("redis")).isEqualTo("DOWN");

        REDIS.startProcess();
        awaitMetric("licensor_ratelimit_redis_available", 1);
        assertLimitedAfterThree(product, third);
        assertThat(redisHasBucketOf(third)).as("back on Redis").isTrue();
        assertThat(component("redis")).isEqualTo("UP");
    }

    private void assertLimitedAfterThree(TestProduct product, String key) {
        for (int i = 0; i < 3; i++) {
            Http.Response ok = client(product, "/api/license/verify", Map.of("license_key", key));
            assertThat(ok.status()).as(ok.toString()).isEqualTo(200);
        }
        assertThat(client(product, "/api/license/verify", Map.of("license_key", key))
                        .status())
                .isEqualTo(429);
    }

    private static boolean redisHasBucketOf(String key) {
        RedisClient client = RedisClient.create(REDIS.url());
        try (StatefulRedisConnection<String, String> redis = client.connect()) {
            return redis.sync().exists("licensor:rl:license:" + LicenseKeyFormat.compact(key)) == 1;
        } finally {
            client.shutdown(Duration.ZERO, Duration.ofSeconds(1));
        }
    }

    private String component(String name) {
        return http.get("/actuator/health")
                .json()
                .at("/components/" + name + "/status")
                .asString();
    }

    private double metric(String name) {
        for (String line : http.get("/actuator/prometheus").body().split("\n")) {
            if (line.startsWith(name + " ") || line.startsWith(name + "{")) {
                return Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1));
            }
        }
        throw new AssertionError("no metric " + name);
    }

    private void awaitMetric(String name, double value) {
        Waits.until(() -> metric(name) == value, name + " = " + value);
    }
}
