package dev.licensor.server.abuse;

import dev.licensor.server.support.Db;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;

/**
 * Runs the anomaly rules every {@code licensor.anomaly.scan-interval-ms} (default a minute) on
 * one instance at a time: an instance takes a lease on the {@code anomaly-scan} row of
 * {@code trust_locks} with a conditional update, so only one wins each round.
 */
@Component
class AnomalyScan {
    private static final Logger log = LoggerFactory.getLogger(AnomalyScan.class);
    private static final Duration LEASE = Duration.ofSeconds(50);

    private final Anomalies anomalies;
    private final JdbcClient jdbc;
    private final Clock clock;
    private final AnomalyProperties settings;
    private final String instance = UUID.randomUUID().toString();

    AnomalyScan(Anomalies anomalies, JdbcClient jdbc, Clock clock, AnomalyProperties settings) {
        this.anomalies = anomalies;
        this.jdbc = jdbc;
        this.clock = clock;
        this.settings = settings;
    }

    @Scheduled(
            fixedDelayString = "${licensor.anomaly.scan-interval-ms:60000}",
            initialDelayString = "${licensor.anomaly.scan-interval-ms:60000}")
    void run() {
        if (!settings.scanEnabled() || !lease()) {
            return;
        }
        try {
            Anomalies.ScanResult result = anomalies.scan();
            if (result.raised() > 0 || result.blocked() > 0) {
                log.info("Anomaly scan: {} raised, {} addresses blocked.", result.raised(), result.blocked());
            }
        } catch (RuntimeException e) {
            log.warn("anomaly scan failed: {}", e.toString());
        } finally {
            release();
        }
    }

    private boolean lease() {
        Instant now = clock.instant();
        return jdbc.sql(
                                """
                                UPDATE trust_locks SET locked_until = ?, locked_by = ?
                                WHERE name = 'anomaly-scan' AND locked_until <= ?""")
                        .params(Db.ts(now.plus(LEASE)), instance, Db.ts(now))
                        .update()
                > 0;
    }

    private void release() {
        jdbc.sql("UPDATE trust_locks SET locked_until = ? WHERE name = 'anomaly-scan' AND locked_by = ?")
                .params(Db.ts(clock.instant()), instance)
                .update();
    }
}
