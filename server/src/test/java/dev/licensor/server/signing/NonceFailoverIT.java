package dev.licensor.server.signing;

import static org.assertj.core.api.Assertions.assertThat;

import dev.licensor.server.support.RedisLink;
import dev.licensor.server.testing.AbstractIT;
import dev.licensor.server.testing.Http;
import dev.licensor.server.testing.ScratchRedis;
import dev.licensor.server.testing.SecondInstance;
import dev.licensor.server.testing.Waits;
import java.time.Instant;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.core.env.Environment;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * Request nonces with Redis configured: a replay is refused by every instance, also after Redis went
 * away or came back (SPEC §5.2, "a nonce seen in the window (across all instances)").
 */
class NonceFailoverIT extends AbstractIT {
    static final ScratchRedis REDIS = ScratchRedis.start();

    @DynamicPropertySource
    static void redis(DynamicPropertyRegistry registry) {
        REDIS.register(registry);
        registry.add("licensor.redis.probe-interval-ms", () -> "200");
    }

    @AfterAll
    static void stopRedis() {
        REDIS.close();
    }

    @Autowired
    Environment environment;

    @Autowired
    RedisLink redisLink;

    @Test
    void aNonceSeenWithOrWithoutRedisIsRefusedOnEveryInstanceAfterwards() {
        TestProduct product = product(Map.of("require_signed_requests", true));
        String body = Http.json(Map.of("license_key", licenseKey(product, Map.of())));
        String[] whileUp = signed(product, body);
        String[] whileDown = signed(product, body);

        try (SecondInstance second = SecondInstance.start(
                environment,
                Map.of(
                        "licensor.redis.enabled",
                        "true",
                        "spring.data.redis.url",
                        REDIS.url(),
                        "licensor.redis.probe-interval-ms",
                        "200"))) {
            awaitRedis(true);
            assertThat(http.send("POST", "/api/license/verify", body, whileUp).code())
                    .isEqualTo("VALID");
            assertReplayRefused(second.http().send("POST", "/api/license/verify", body, whileUp));

            REDIS.stop();
            awaitRedis(false);
            assertReplayRefused(http.send("POST", "/api/license/verify", body, whileUp));
            assertThat(second.http()
                            .send("POST", "/api/license/verify", body, whileDown)
                            .code())
                    .isEqualTo("VALID");

            REDIS.startProcess();
            awaitRedis(true);
            assertReplayRefused(http.send("POST", "/api/license/verify", body, whileDown));
            assertReplayRefused(second.http().send("POST", "/api/license/verify", body, whileUp));
        }
    }

    private static String[] signed(TestProduct product, String body) {
        return SignedRequests.headers(
                product.apiKey(),
                product.signingSecret(),
                "POST",
                "/api/license/verify",
                body,
                Instant.now().getEpochSecond(),
                UUID.randomUUID().toString());
    }

    private void awaitRedis(boolean available) {
        Waits.until(() -> redisLink.available() == available, "Redis available: " + available);
    }

    private static void assertReplayRefused(Http.Response replay) {
        assertThat(replay.status()).as(replay.toString()).isEqualTo(401);
        assertThat(replay.code()).isEqualTo("NONCE_REPLAYED");
    }
}
