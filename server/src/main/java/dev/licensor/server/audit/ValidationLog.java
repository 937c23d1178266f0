package dev.licensor.server.audit;

import dev.licensor.server.support.Db;
import dev.licensor.server.support.RequestInfo;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import jakarta.annotation.PreDestroy;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.dao.DataIntegrityViolationException;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Service;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * The validation log: one row per client-API decision. Rows are queued and written in batches
 * (every 200 ms, and on shutdown), so logging costs a verify call no database round trip. A
 * full queue (the database far behind) is written through synchronously rather than dropped.
 */
@Service
public class ValidationLog {
    private static final Logger log = LoggerFactory.getLogger(ValidationLog.class);
    private static final int BATCH = 1000;

    /**
     * Rows older than this when written are written late: {@code anomaly_scan_state.late_from} then
     * tells the anomaly scan, which otherwise reads only the log's last minute or two, to read from
     * them (SECURITY.md §7).
     */
    public static final Duration LATE = Duration.ofSeconds(10);

    private final JdbcTemplate jdbc;
    private final TransactionTemplate tx;
    private final Clock clock;
    private final BlockingQueue<Entry> queue = new ArrayBlockingQueue<>(50_000);
    private final AtomicLong written = new AtomicLong();

    private final MeterRegistry meters;
    // One counter per action and result, looked up here rather than built by the registry per call.
    private final Map<String, Counter> counters = new ConcurrentHashMap<>();

    ValidationLog(JdbcTemplate jdbc, TransactionTemplate tx, Clock clock, MeterRegistry meters) {
        this.jdbc = jdbc;
        this.tx = tx;
        this.clock = clock;
        this.meters = meters;
    }

    /** One decision. {@code licenseKey} is the key as sent, truncated to 64 characters. */
    public record Entry(
            Instant at,
            @Nullable Long productId,
            @Nullable Long licenseId,
            @Nullable String licenseKey,
            String action,
            String resultCode,
            @Nullable String ip,
            @Nullable String userAgent,
            @Nullable String hardwareHash,
            @Nullable String version) {}

    public void record(
            @Nullable Long productId,
            @Nullable Long licenseId,
            @Nullable String licenseKey,
            String action,
            String resultCode,
            @Nullable String hardwareHash,
            @Nullable String version) {
        RequestInfo request = RequestInfo.current();
        Entry entry = new Entry(
                clock.instant(),
                productId,
                licenseId,
                RequestInfo.clean(licenseKey, 64),
                action,
                resultCode,
                request.ip(),
                request.userAgent(),
                RequestInfo.clean(hardwareHash, 256),
                RequestInfo.clean(version, 64));
        // Validations by action and result (SPEC §7): the results are the API's codes, a bounded set.
        counters.computeIfAbsent(
                        action + ' ' + resultCode,
                        k -> meters.counter("licensor.validations", "action", action, "result", resultCode))
                .increment();
        if (!queue.offer(entry)) {
            append(List.of(entry));
        }
    }

    /** Writes everything queued so far. Tests call it to read their own rows. */
    @Scheduled(fixedDelay = 200)
    public synchronized void flush() {
        List<Entry> batch = new ArrayList<>(BATCH);
        while (queue.drainTo(batch, BATCH) > 0) {
            try {
                append(batch);
            } catch (DataIntegrityViolationException e) {
                log.error("dropped {} validation-log rows the database refused: {}", batch.size(), e.toString());
            } catch (RuntimeException e) {
                log.warn("could not write {} validation-log rows, will retry: {}", batch.size(), e.toString());
                batch.forEach(queue::offer);
                return;
            }
            batch.clear();
        }
    }

    /** Rows written since start; a metric and a test hook. */
    public long written() {
        return written.get();
    }

    @PreDestroy
    void close() {
        flush();
    }

    /**
     * Writes these rows now, past the queue (tests write rows of the past through it). Rows older
     * than {@link #LATE} are marked for the anomaly scan.
     */
    public void append(List<Entry> entries) {
        if (entries.isEmpty()) {
            return;
        }
        Instant oldest = entries.stream().map(Entry::at).min(Instant::compareTo).orElseThrow();
        if (oldest.isBefore(clock.instant().minus(LATE))) {
            // One transaction: the mark becomes visible with the rows (a round that clears it sees
            // them), and a mark that fails does not leave rows behind that the retry writes again.
            tx.executeWithoutResult(status -> {
                insert(entries);
                jdbc.update(
                        """
                        UPDATE anomaly_scan_state SET late_from = ?
                        WHERE name = 'validation-log' AND (late_from IS NULL OR late_from > ?)""",
                        Db.ts(oldest),
                        Db.ts(oldest));
            });
        } else {
            insert(entries);
        }
        written.addAndGet(entries.size());
    }

    private void insert(List<Entry> entries) {
        jdbc.batchUpdate(
                """
                INSERT INTO validation_log (at, product_id, license_id, license_key, action, result_code, ip,
                    user_agent, hardware_hash, version)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)""",
                entries,
                entries.size(),
                (ps, e) -> {
                    ps.setObject(1, Db.ts(e.at()));
                    ps.setObject(2, e.productId());
                    ps.setObject(3, e.licenseId());
                    ps.setString(4, e.licenseKey());
                    ps.setString(5, e.action());
                    ps.setString(6, e.resultCode());
                    ps.setString(7, e.ip());
                    ps.setString(8, e.userAgent());
                    ps.setString(9, e.hardwareHash());
                    ps.setString(10, e.version());
                });
    }
}
