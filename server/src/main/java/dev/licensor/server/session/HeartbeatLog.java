package dev.licensor.server.session;

import dev.licensor.server.support.Db;
import jakarta.annotation.PostConstruct;
import jakarta.annotation.PreDestroy;
import java.sql.PreparedStatement;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.ReentrantLock;
import javax.sql.DataSource;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.dao.DataAccessException;
import org.springframework.jdbc.core.ConnectionCallback;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;

/**
 * The heartbeat log: one row per heartbeat. (On PostgreSQL with batching, the default, the batch
 * statement writes the rows of the heartbeats it applies itself; this writer then only serves the
 * heartbeats decided on the slow path.) Heartbeats are the hot path, so rows are queued and
 * written by one background thread in batches as large as have piled up while the previous batch
 * was written: a heartbeat costs no extra round trip. A full queue (the database far behind) is
 * written through by the caller rather than dropped. Rows still queued when the process is killed
 * are lost; a graceful shutdown writes them.
 */
@Component
class HeartbeatLog {
    private static final Logger log = LoggerFactory.getLogger(HeartbeatLog.class);
    private static final int BATCH = 2000;

    private final JdbcTemplate jdbc;
    private final LogMaintenance maintenance;
    private final BlockingQueue<Entry> queue = new ArrayBlockingQueue<>(200_000);
    private final ReentrantLock writing = new ReentrantLock();
    private final AtomicLong pending = new AtomicLong();
    private final AtomicLong written = new AtomicLong();
    private final boolean postgres;
    private volatile boolean running;
    private @Nullable Thread writer;

    HeartbeatLog(JdbcTemplate jdbc, DataSource dataSource, LogMaintenance maintenance) {
        this.jdbc = jdbc;
        this.maintenance = maintenance;
        this.postgres = Db.postgres(dataSource);
    }

    record Entry(
            Instant at, long licenseId, long sessionId, long deviceId, @Nullable String ip, @Nullable String version) {}

    void record(Entry entry) {
        pending.incrementAndGet();
        if (!queue.offer(entry)) {
            writing.lock();
            try {
                write(List.of(entry));
            } finally {
                writing.unlock();
            }
        }
    }

    /** Writes everything recorded so far, waiting for a batch in flight. Tests call it. */
    void flush() {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (pending.get() > 0 && System.nanoTime() < deadline) {
            writing.lock();
            try {
                drainAndWrite(null);
            } finally {
                writing.unlock();
            }
            if (pending.get() > 0) {
                Thread.onSpinWait();
            }
        }
    }

    /** Rows written since start. */
    long written() {
        return written.get();
    }

    @PostConstruct
    void start() {
        running = true;
        Thread t = new Thread(this::run, "heartbeat-log-writer");
        t.setDaemon(true);
        t.start();
        writer = t;
    }

    @PreDestroy
    void stop() throws InterruptedException {
        running = false;
        Thread t = writer;
        if (t != null) {
            t.interrupt();
            t.join(10_000);
        }
        writing.lock();
        try {
            drainAndWrite(null);
        } finally {
            writing.unlock();
        }
    }

    private void run() {
        while (running) {
            Entry first;
            try {
                first = queue.poll(200, TimeUnit.MILLISECONDS);
            } catch (InterruptedException e) {
                return;
            }
            if (first == null) {
                continue;
            }
            writing.lock();
            try {
                drainAndWrite(first);
            } catch (RuntimeException e) {
                log.error("heartbeat-log writer failed", e);
            } finally {
                writing.unlock();
            }
        }
    }

    private void drainAndWrite(@Nullable Entry first) {
        List<Entry> batch = new ArrayList<>(BATCH);
        if (first != null) {
            batch.add(first);
        }
        queue.drainTo(batch, BATCH - batch.size());
        while (!batch.isEmpty()) {
            write(batch);
            batch.clear();
            queue.drainTo(batch, BATCH);
        }
    }

    private void write(List<Entry> entries) {
        try {
            insert(entries);
        } catch (DataAccessException first) {
            // On PostgreSQL a row for a month without partition fails the batch: create the
            // partitions (normally made ahead by the maintenance job) and try once more.
            try {
                maintenance.ensurePartitions();
                insert(entries);
            } catch (DataAccessException again) {
                log.error("dropped {} heartbeat-log rows the database refused: {}", entries.size(), again.toString());
            }
        } finally {
            pending.addAndGet(-entries.size());
        }
    }

    private void insert(List<Entry> entries) {
        if (postgres) {
            insertPostgres(entries);
        } else {
            jdbc.batchUpdate(
                    """
                    INSERT INTO heartbeat_log (at, license_id, session_id, device_id, ip, version)
                    VALUES (?, ?, ?, ?, ?, ?)""",
                    entries,
                    entries.size(),
                    (ps, e) -> {
                        ps.setObject(1, Db.ts(e.at()));
                        ps.setLong(2, e.licenseId());
                        ps.setLong(3, e.sessionId());
                        ps.setLong(4, e.deviceId());
                        ps.setString(5, e.ip());
                        ps.setString(6, e.version());
                    });
        }
        written.addAndGet(entries.size());
    }

    /**
     * The whole batch as one statement over arrays: one row-routing pass into the month partitions
     * instead of one statement per row.
     */
    private void insertPostgres(List<Entry> entries) {
        int n = entries.size();
        String[] at = new String[n];
        Long[] licenses = new Long[n];
        Long[] sessions = new Long[n];
        Long[] devices = new Long[n];
        String[] ips = new String[n];
        String[] versions = new String[n];
        for (int i = 0; i < n; i++) {
            Entry e = entries.get(i);
            at[i] = e.at().toString();
            licenses[i] = e.licenseId();
            sessions[i] = e.sessionId();
            devices[i] = e.deviceId();
            ips[i] = e.ip();
            versions[i] = e.version();
        }
        jdbc.execute((ConnectionCallback<Integer>) connection -> {
            try (PreparedStatement ps = connection.prepareStatement(
                    """
                    INSERT INTO heartbeat_log (at, license_id, session_id, device_id, ip, version)
                    SELECT * FROM unnest(?::text[]::timestamptz[], ?::bigint[], ?::bigint[], ?::bigint[],
                        ?::varchar[], ?::varchar[])""")) {
                ps.setArray(1, connection.createArrayOf("text", at));
                ps.setArray(2, connection.createArrayOf("bigint", licenses));
                ps.setArray(3, connection.createArrayOf("bigint", sessions));
                ps.setArray(4, connection.createArrayOf("bigint", devices));
                ps.setArray(5, connection.createArrayOf("varchar", ips));
                ps.setArray(6, connection.createArrayOf("varchar", versions));
                return ps.executeUpdate();
            }
        });
    }
}
