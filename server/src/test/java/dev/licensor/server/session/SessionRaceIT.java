package dev.licensor.server.session;

import static org.assertj.core.api.Assertions.assertThat;

import dev.licensor.server.LicensorApplication;
import dev.licensor.server.support.Db;
import dev.licensor.server.testing.Http;
import dev.licensor.server.testing.MutableClockConfig;
import dev.licensor.server.testing.TestDatabase;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.core.env.Environment;
import org.springframework.core.env.MapPropertySource;

/**
 * The concurrent-session limit under real races: many threads, each a different device, starting
 * sessions at the same moment, on one server and on two servers sharing the database. A sampler
 * reads the live count from the database all along: it must never exceed the limit.
 */
class SessionRaceIT extends SessionITBase {
    private static final int THREADS = 60;
    private static final int ROUNDS = 4;

    @Autowired
    Environment environment;

    @Test
    void oneServerNeverExceedsALimitOfOne() throws Exception {
        race(1, List.of(port));
    }

    @Test
    void oneServerNeverExceedsALimitOfThree() throws Exception {
        race(3, List.of(port));
    }

    @Test
    void twoServersSharingTheDatabaseNeverExceedTheLimit() throws Exception {
        try (ConfigurableApplicationContext second = secondInstance()) {
            int secondPort =
                    ((WebServerApplicationContext) second).getWebServer().getPort();
            assertThat(secondPort).isNotEqualTo(port);
            race(1, List.of(port, secondPort));
            race(3, List.of(port, secondPort));
        }
    }

    /**
     * Round one: all threads start at once; exactly {@code limit} win, the others are refused with
     * SESSION_LIMIT_REACHED. Then every thread keeps starting and ending sessions, so seats are freed
     * and retaken concurrently, while the sampler watches the database.
     */
    private void race(int limit, List<Integer> ports) throws Exception {
        TestProduct product = sessionProduct(Map.of("heartbeat_interval", 30, "session_timeout", 60));
        String key = licenseKey(product, Map.of("device_limit", 100, "concurrent_sessions_limit", limit));
        long licenseId = jdbc.sql("SELECT id FROM licenses WHERE license_key = ?")
                .param(key)
                .query(Long.class)
                .single();

        AtomicBoolean racing = new AtomicBoolean(true);
        AtomicInteger maxSeen = new AtomicInteger();
        AtomicInteger samples = new AtomicInteger();
        Thread sampler = new Thread(() -> {
            while (racing.get()) {
                int live = jdbc.sql(
                                "SELECT COUNT(*) FROM sessions WHERE license_id = ? AND ended_at IS NULL AND live_until > ?")
                        .params(licenseId, Db.ts(clock.instant()))
                        .query(Integer.class)
                        .single();
                maxSeen.accumulateAndGet(live, Math::max);
                samples.incrementAndGet();
            }
        });
        sampler.start();

        ExecutorService pool = Executors.newFixedThreadPool(THREADS);
        try {
            Map<Integer, AtomicInteger> statuses = new ConcurrentHashMap<>();
            CountDownLatch ready = new CountDownLatch(THREADS);
            CountDownLatch go = new CountDownLatch(1);
            List<Future<List<String>>> firstRound = new ArrayList<>();
            for (int t = 0; t < THREADS; t++) {
                int thread = t;
                firstRound.add(pool.submit(() -> {
                    Http server = new Http(ports.get(thread % ports.size()));
                    ready.countDown();
                    go.await();
                    Http.Response r = startOn(server, product, key, "race-" + thread);
                    statuses.computeIfAbsent(r.status(), s -> new AtomicInteger())
                            .incrementAndGet();
                    if (r.status() == 200) {
                        return List.of(r.json().get("session_token").asString(), "race-" + thread);
                    }
                    assertThat(r.code()).as(r.toString()).isEqualTo("SESSION_LIMIT_REACHED");
                    return List.<String>of();
                }));
            }
            ready.await(30, TimeUnit.SECONDS);
            go.countDown();
            List<String> winners = new ArrayList<>();
            for (Future<List<String>> f : firstRound) {
                List<String> won = f.get(120, TimeUnit.SECONDS);
                if (!won.isEmpty()) {
                    winners.add(won.getFirst());
                }
            }
            assertThat(statuses.keySet()).as("statuses %s", statuses).containsOnly(200, 409);
            assertThat(winners).hasSize(limit);
            assertThat(statuses.get(409).get()).isEqualTo(THREADS - limit);

            // Churn: winners end their sessions, and everyone keeps trying to take a seat.
            for (String token : winners) {
                assertThat(end(product, token).status()).isEqualTo(200);
            }
            List<Future<Integer>> churn = new ArrayList<>();
            for (int t = 0; t < THREADS; t++) {
                int thread = t;
                churn.add(pool.submit(() -> {
                    Http server = new Http(ports.get((thread + 1) % ports.size()));
                    int won = 0;
                    for (int round = 0; round < ROUNDS; round++) {
                        Http.Response r = startOn(server, product, key, "race-" + thread);
                        if (r.status() == 200) {
                            won++;
                            String token = r.json().get("session_token").asString();
                            for (int beat = 0; beat < 2; beat++) {
                                Http.Response b = server.send(
                                        "POST",
                                        "/api/license/session/heartbeat",
                                        Map.of("session_token", token, "license_key", key),
                                        "X-API-Key",
                                        product.apiKey());
                                assertThat(b.status()).as(b.toString()).isEqualTo(200);
                            }
                            Http.Response ended = server.send(
                                    "POST",
                                    "/api/license/session/end",
                                    Map.of(
                                            "session_token",
                                            r.json().get("session_token").asString()),
                                    "X-API-Key",
                                    product.apiKey());
                            assertThat(ended.status()).as(ended.toString()).isEqualTo(200);
                        } else {
                            assertThat(r.code()).as(r.toString()).isEqualTo("SESSION_LIMIT_REACHED");
                        }
                    }
                    return won;
                }));
            }
            int seatsTaken = 0;
            for (Future<Integer> f : churn) {
                seatsTaken += f.get(300, TimeUnit.SECONDS);
            }
            assertThat(seatsTaken).as("sessions started during the churn").isGreaterThanOrEqualTo(limit);
        } finally {
            pool.shutdownNow();
            racing.set(false);
            sampler.join(10_000);
        }
        assertThat(samples.get()).as("samples taken during the race").isGreaterThan(10);
        assertThat(maxSeen.get()).as("most live sessions ever seen").isBetween(1, limit);
        assertThat(liveCount(key)).isLessThanOrEqualTo(limit);
    }

    private static Http.Response startOn(Http server, TestProduct product, String key, String hardwareHash) {
        return server.send(
                "POST",
                "/api/license/session/start",
                Map.of(
                        "license_key",
                        key,
                        "machine_id",
                        "m-" + hardwareHash,
                        "hardware_hash",
                        hardwareHash,
                        "version",
                        "1.0.0"),
                "X-API-Key",
                product.apiKey());
    }

    /** A second server on another port, on the same database as this test's server (and the same clock). */
    private ConfigurableApplicationContext secondInstance() throws java.io.IOException {
        Map<String, Object> props =
                new java.util.HashMap<>(TestDatabase.properties(Files.createTempDirectory("licensor-it-second-")));
        props.put("spring.datasource.url", environment.getRequiredProperty("spring.datasource.url"));
        props.put("spring.datasource.hikari.maximum-pool-size", "10");
        props.put("server.port", "0");
        return new SpringApplicationBuilder(LicensorApplication.class, MutableClockConfig.class)
                .initializers(context -> {
                    context.getEnvironment()
                            .getPropertySources()
                            .addFirst(new MapPropertySource("secondInstance", props));
                    // The same relaxed rate limits as the first instance: the race is about sessions.
                    context.getEnvironment()
                            .getPropertySources()
                            .addLast(new MapPropertySource("licensorTestDefaults", TestDatabase.defaults()));
                })
                .run();
    }
}
