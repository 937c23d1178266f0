package dev.licensor.server.session.api;

import static org.assertj.core.api.Assertions.assertThat;

import dev.licensor.server.testing.AbstractIT;
import dev.licensor.server.testing.Http;
import dev.licensor.server.testing.ScratchRedis;
import dev.licensor.server.testing.Waits;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.test.context.TestPropertySource;

/**
 * With the rate limits kept in Redis, a heartbeat's checks are round trips to Redis: they wait on
 * the listener's blocking threads, not on its event loop, which goes on serving other connections
 * while Redis is slow.
 */
@TestPropertySource(
        properties = {
            "licensor.heartbeat-listener.enabled=true",
            "licensor.heartbeat-listener.port=0",
            // One event loop: a request that held it up would hold up every other connection.
            "licensor.heartbeat-listener.threads=1"
        })
class HeartbeatListenerRedisIT extends AbstractIT {
    static final ScratchRedis REDIS = ScratchRedis.start();

    @DynamicPropertySource
    static void redis(DynamicPropertyRegistry registry) {
        REDIS.register(registry);
        // Longer than the pause below: the heartbeat waits for Redis rather than falling back.
        registry.add("licensor.redis.timeout-ms", () -> "20000");
    }

    @AfterAll
    static void stopRedis() {
        REDIS.close();
    }

    @Autowired
    HeartbeatListener listener;

    @Test
    void aHeartbeatWaitingForRedisDoesNotHoldUpTheEventLoop() throws Exception {
        TestProduct product = product();
        String key = licenseKey(product, Map.of());
        Http.Response started = startSession(product, key, "hw-redis-wait", "1.0.0");
        assertThat(started.status()).as(started.toString()).isEqualTo(200);
        String body = Http.json(
                Map.of("session_token", started.json().get("session_token").asString(), "license_key", key));

        assertThat(heartbeat(product, body).status()).isEqualTo(200);
        assertThat(REDIS.holdsLicenseBucket(key))
                .as("the license's bucket lives in Redis")
                .isTrue();

        // Redis holds every command for 3 s.
        REDIS.call(redis -> redis.clientPause(3_000));
        CompletableFuture<Http.Response> waiting = CompletableFuture.supplyAsync(() -> heartbeat(product, body));
        Waits.until(() -> listener.waitingOffTheLoop() > 0, "the heartbeat waiting for Redis");

        // The event loop still reads and answers other connections (garbage: a bare 400).
        try (Socket socket = new Socket("127.0.0.1", listener.port())) {
            socket.setSoTimeout(2_000);
            socket.getOutputStream().write("NOT HTTP AT ALL\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
            String reply = new String(socket.getInputStream().readAllBytes(), StandardCharsets.US_ASCII);
            assertThat(reply).startsWith("HTTP/1.1 400 ");
        }
        assertThat(waiting).as("still waiting for Redis").isNotDone();

        Http.Response answered = waiting.get(30, TimeUnit.SECONDS);
        assertThat(answered.status()).as(answered.toString()).isEqualTo(200);
    }

    private Http.Response heartbeat(TestProduct product, String body) {
        return new Http(listener.port()).send("POST", HeartbeatServlet.PATH, body, "X-API-Key", product.apiKey());
    }
}
