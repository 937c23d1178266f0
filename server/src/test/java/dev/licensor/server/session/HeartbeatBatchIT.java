package dev.licensor.server.session;

import static org.assertj.core.api.Assertions.assertThat;

import dev.licensor.server.testing.Http;
import dev.licensor.server.testing.TestDatabase;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.test.context.TestPropertySource;

/**
 * Heartbeats arriving together: each is applied and logged exactly once, and on PostgreSQL the
 * batch writer applies them in far fewer statements than heartbeats, thanks to its linger (long
 * here, so that the grouping does not depend on the machine's speed).
 */
@TestPropertySource(properties = "licensor.sessions.heartbeat-batch-linger=50ms")
class HeartbeatBatchIT extends SessionITBase {
    private static final int SESSIONS = 24;
    private static final int ROUNDS = 3;

    @Autowired
    HeartbeatLog heartbeatLog;

    @Autowired
    MeterRegistry meters;

    @Test
    void concurrentHeartbeatsAreAppliedTogetherAndEachLoggedOnce() throws Exception {
        TestProduct product = sessionProduct(Map.of("heartbeat_interval", 30, "session_timeout", 60));
        List<String[]> sessions = new ArrayList<>();
        for (int i = 0; i < SESSIONS; i++) {
            String key = sessionLicense(product, 1);
            sessions.add(new String[] {started(product, key, "batch-" + i), key});
        }
        DistributionSummary batches =
                meters.find("licensor.sessions.heartbeat.batch.size").summary();
        assertThat(batches != null).as("batch writer (PostgreSQL only)").isEqualTo(TestDatabase.postgres());
        double batchesBefore = batches == null ? 0 : batches.count();
        double heartbeatsBefore = batches == null ? 0 : batches.totalAmount();

        ExecutorService pool = Executors.newFixedThreadPool(SESSIONS);
        try {
            for (int round = 0; round < ROUNDS; round++) {
                CountDownLatch go = new CountDownLatch(1);
                List<Future<Http.Response>> answers = new ArrayList<>();
                for (String[] session : sessions) {
                    answers.add(pool.submit(() -> {
                        go.await();
                        return heartbeat(product, session[0], session[1]);
                    }));
                }
                go.countDown();
                for (Future<Http.Response> answer : answers) {
                    Http.Response r = answer.get(60, TimeUnit.SECONDS);
                    assertThat(r.status()).as(r.toString()).isEqualTo(200);
                    assertThat(r.json().get("ok").asBoolean()).isTrue();
                }
            }
        } finally {
            pool.shutdownNow();
        }

        heartbeatLog.flush();
        for (String[] session : sessions) {
            int logged = jdbc.sql(
                            "SELECT COUNT(*) FROM heartbeat_log h JOIN sessions s ON s.id = h.session_id WHERE s.token = ?")
                    .param(UUID.fromString(session[0]))
                    .query(Integer.class)
                    .single();
            assertThat(logged).as("heartbeat-log rows of one session").isEqualTo(ROUNDS);
        }
        if (batches != null) {
            double statements = batches.count() - batchesBefore;
            assertThat(batches.totalAmount() - heartbeatsBefore).isEqualTo(SESSIONS * ROUNDS);
            // Each round's 24 heartbeats arrive within the 50 ms linger of the first: a handful of
            // statements per round, not one per heartbeat.
            assertThat(statements).isGreaterThanOrEqualTo(ROUNDS).isLessThanOrEqualTo(SESSIONS * ROUNDS / 4.0);
        }
    }
}
