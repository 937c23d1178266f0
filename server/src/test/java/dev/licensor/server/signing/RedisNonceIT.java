package dev.licensor.server.signing;

import static org.assertj.core.api.Assertions.assertThat;

import dev.licensor.server.testing.AbstractIT;
import dev.licensor.server.testing.Http;
import dev.licensor.server.testing.ScratchRedis;
import dev.licensor.server.testing.SecondInstance;
import io.lettuce.core.RedisClient;
import io.lettuce.core.api.StatefulRedisConnection;
import java.time.Instant;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.core.env.Environment;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/** Request nonces shared through Redis: a replay to a second instance is refused. */
class RedisNonceIT extends AbstractIT {
    static final ScratchRedis REDIS = ScratchRedis.start();

    @DynamicPropertySource
    static void redis(DynamicPropertyRegistry registry) {
        registry.add("licensor.redis.enabled", () -> "true");
        registry.add("spring.data.redis.url", REDIS::url);
    }

    @AfterAll
    static void stopRedis() {
        REDIS.close();
    }

    @Autowired
    Environment environment;

    @Test
    void aReplayToAnotherInstanceIsRefusedThroughRedis() {
        TestProduct product = product(Map.of("require_signed_requests", true));
        String body = Http.json(Map.of("license_key", licenseKey(product, Map.of())));
        String nonce = UUID.randomUUID().toString();
        String[] headers = SignedRequests.headers(
                product.apiKey(),
                product.signingSecret(),
                "POST",
                "/api/license/verify",
                body,
                Instant.now().getEpochSecond(),
                nonce);

        try (SecondInstance second = SecondInstance.start(
                environment, Map.of("licensor.redis.enabled", "true", "spring.data.redis.url", REDIS.url()))) {
            Http.Response first = http.send("POST", "/api/license/verify", body, headers);
            Http.Response replay = second.http().send("POST", "/api/license/verify", body, headers);

            assertThat(first.code()).as(first.toString()).isEqualTo("VALID");
            assertThat(replay.status()).isEqualTo(401);
            assertThat(replay.code()).isEqualTo("NONCE_REPLAYED");
        }
        RedisClient client = RedisClient.create(REDIS.url());
        try (StatefulRedisConnection<String, String> redis = client.connect()) {
            assertThat(redis.sync().keys("licensor:nonce:*:" + nonce)).hasSize(1);
            assertThat(redis.sync()
                            .ttl(redis.sync().keys("licensor:nonce:*:" + nonce).getFirst()))
                    .isBetween(1L, 600L);
        } finally {
            client.shutdown();
        }
        assertThat(jdbc.sql("SELECT COUNT(*) FROM used_nonces WHERE nonce = ?")
                        .param(nonce)
                        .query(Long.class)
                        .single())
                .as("kept in Redis, not in the database")
                .isZero();
    }
}
