package dev.licensor.server.session;

import static org.assertj.core.api.Assertions.assertThat;

import dev.licensor.server.support.Db;
import dev.licensor.server.testing.TestDatabase;
import java.time.Duration;
import java.time.Instant;
import java.time.YearMonth;
import java.time.ZoneOffset;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

/** The reaper and the log maintenance. */
class SessionJobsIT extends SessionITBase {
    @Autowired
    Sessions sessions;

    @Autowired
    LogMaintenance maintenance;

    @Test
    void theReaperEndsSessionsWithoutHeartbeatAsTimeout() {
        TestProduct product = sessionProduct();
        String key = sessionLicense(product, 2);
        String quiet = started(product, key, "hw-1");
        String busy = started(product, key, "hw-2");

        clock.advance(Duration.ofMillis(1500));
        assertThat(heartbeat(product, busy, key).status()).isEqualTo(200);
        clock.advance(Duration.ofMillis(1000));
        sessions.reap();

        assertThat(endReason(quiet)).isEqualTo("timeout");
        assertThat(endReason(busy)).isNull();
        Instant endedAt = jdbc.sql("SELECT ended_at FROM sessions WHERE token = ?")
                .param(java.util.UUID.fromString(quiet))
                .query((rs, n) -> Db.instant(rs, "ended_at"))
                .single();
        // Recorded as ending when its timeout passed, not when the reaper came by.
        assertThat(endedAt).isEqualTo(clock.instant().minusMillis(2500).plusSeconds(2));
    }

    @Test
    void theScheduledReaperComesByWithinSeconds() throws InterruptedException {
        TestProduct product = sessionProduct();
        String key = sessionLicense(product, 1);
        String token = started(product, key, "hw-1");
        clock.advance(Duration.ofSeconds(2));

        // The reaper runs every 5 s; it must be there well within 10 s of the timeout.
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (endReason(token) == null && System.nanoTime() < deadline) {
            Thread.sleep(100);
        }
        assertThat(endReason(token)).isEqualTo("timeout");
    }

    @Test
    void oldValidationLogRowsAreDeleted() {
        Instant now = clock.instant();
        insertValidation(now.minus(Duration.ofDays(91)), "old-row");
        insertValidation(now.minus(Duration.ofDays(89)), "recent-row");

        maintenance.run();

        assertThat(jdbc.sql("SELECT license_key FROM validation_log WHERE license_key IN ('old-row', 'recent-row')")
                        .query(String.class)
                        .list())
                .containsExactly("recent-row");
    }

    @Test
    void oldHeartbeatLogRowsGoAndPartitionsAreMadeAhead() {
        Instant now = clock.instant();
        YearMonth thisMonth = YearMonth.from(now.atZone(ZoneOffset.UTC));
        // 150 days back: its whole month is older than the 90-day retention, whatever today is.
        Instant longAgo = now.minus(Duration.ofDays(150));
        if (TestDatabase.postgres()) {
            assertThat(maintenance.partitions())
                    .contains(
                            LogMaintenance.partition(thisMonth.minusMonths(1)),
                            LogMaintenance.partition(thisMonth),
                            LogMaintenance.partition(thisMonth.plusMonths(1)),
                            LogMaintenance.partition(thisMonth.plusMonths(2)));
            // A partition entirely older than 90 days is dropped; the one holding day 89 is kept.
            YearMonth old = YearMonth.from(longAgo.atZone(ZoneOffset.UTC));
            jdbc.sql("CREATE TABLE " + LogMaintenance.partition(old) + " PARTITION OF heartbeat_log FOR VALUES FROM ('"
                            + old.atDay(1) + " 00:00:00+00') TO ('"
                            + old.plusMonths(1).atDay(1) + " 00:00:00+00')")
                    .update();
        }
        insertHeartbeat(longAgo, 4242);
        insertHeartbeat(now.minus(Duration.ofDays(1)), 4243);

        maintenance.run();

        assertThat(jdbc.sql("SELECT session_id FROM heartbeat_log WHERE session_id IN (4242, 4243)")
                        .query(Long.class)
                        .list())
                .containsExactly(4243L);
        if (TestDatabase.postgres()) {
            assertThat(maintenance.partitions())
                    .doesNotContain(LogMaintenance.partition(YearMonth.from(longAgo.atZone(ZoneOffset.UTC))));
            assertThat(maintenance.partitions()).contains(LogMaintenance.partition(thisMonth));
        }
    }

    private void insertValidation(Instant at, String key) {
        jdbc.sql("INSERT INTO validation_log (at, license_key, action, result_code) VALUES (?, ?, 'verify', 'VALID')")
                .params(Db.ts(at), key)
                .update();
    }

    private void insertHeartbeat(Instant at, long sessionId) {
        jdbc.sql("INSERT INTO heartbeat_log (at, license_id, session_id, device_id) VALUES (?, 1, ?, 1)")
                .params(Db.ts(at), sessionId)
                .update();
    }
}
