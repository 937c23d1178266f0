package dev.licensor.server.abuse;

import static org.assertj.core.api.Assertions.assertThat;

import dev.licensor.server.support.RedisLink;
import dev.licensor.server.testing.AbstractIT;
import dev.licensor.server.testing.Http;
import dev.licensor.server.testing.ScratchRedis;
import dev.licensor.server.testing.Waits;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * Buckets in Redis: concurrent calls on two instances take exactly a bucket's tokens, and when Redis
 * dies the server keeps answering on local buckets and comes back.
 */
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

    @Autowired
    RateLimiter limiter;

    @Autowired
    RateLimitProperties properties;

    @Autowired
    RedisLink redisLink;

    @Autowired
    Clock clock;

    @Autowired
    MeterRegistry meters;

    @Test
    void concurrentRequestsOnTwoInstancesTakeExactlyTheBucketsTokens() throws Exception {
        awaitMetric("licensor_ratelimit_redis_available", 1);
        double fallbacks = metric("licensor_ratelimit_redis_fallbacks_total");
        // A second instance: its own bucket proxies and batches, the same Redis.
        RateLimiter other = new RateLimiter(properties, redisLink, clock, meters);
        String key = "concurrent-" + UUID.randomUUID();
        int callers = 64;
        CountDownLatch start = new CountDownLatch(1);
        ExecutorService pool = Executors.newFixedThreadPool(callers);
        try {
            List<Future<Boolean>> outcomes = new ArrayList<>();
            for (int i = 0; i < callers; i++) {
                RateLimiter instance = i % 2 == 0 ? limiter : other;
                outcomes.add(pool.submit(() -> {
                    start.await();
                    return instance.consume(RateLimiter.Scope.LICENSE, key).allowed();
                }));
            }
            start.countDown();
            int allowed = 0;
            for (Future<Boolean> outcome : outcomes) {
                allowed += outcome.get() ? 1 : 0;
            }
            assertThat(allowed).as("tokens taken of a bucket of 3").isEqualTo(3);
            assertThat(metric("licensor_ratelimit_redis_fallbacks_total"))
                    .as("all of them from Redis")
                    .isEqualTo(fallbacks);
        } finally {
            pool.shutdownNow();
        }
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
        assertThat(REDIS.holdsLicenseBucket(first))
                .as("the bucket lives in Redis")
                .isTrue();

        REDIS.stop();
        assertLimitedAfterThree(product, second);
        assertThat(metric("licensor_ratelimit_redis_available")).isZero();
        assertThat(metric("licensor_ratelimit_redis_fallbacks_total")).isGreaterThanOrEqualTo(1);
        assertThat(component("redis")).isEqualTo("DOWN");

        REDIS.startProcess();
        awaitMetric("licensor_ratelimit_redis_available", 1);
        assertLimitedAfterThree(product, third);
        assertThat(REDIS.holdsLicenseBucket(third)).as("back on Redis").isTrue();
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
