package dev.licensor.server.abuse;

import dev.licensor.server.support.Db;
import java.sql.ResultSet;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import javax.sql.DataSource;
import org.jspecify.annotations.Nullable;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * What the license rules count over their window (addresses and hardware hashes per license with
 * when each was last seen, verifications and failures per license and minute), kept in tables
 * between the scan's rounds so that a round reads only the validation log's newest rows. Reading
 * the whole 24-hour window each minute cost a second or more once the log held a few hundred
 * thousand rows of it (docs/PERFORMANCE.md), and grows with the traffic.
 *
 * <p>A round reads the log from the oldest row it has not seen: the oldest {@code at} among rows
 * whose id is above the highest id of the last round (rows written late, such as a batch retried
 * after a database outage, carry new ids and old times), and in any case from {@link #OVERLAP}
 * before the last round, because the log's batches commit in parallel and a batch that committed
 * after the last round may hold ids below its highest. What a round reads replaces what the tables
 * held for the same keys and minutes, so reading a row twice changes nothing.
 */
@Component
class AnomalyWindow {
    /** Longer than any validation-log batch takes to commit. */
    static final Duration OVERLAP = Duration.ofSeconds(30);

    private static final String STATE = "validation-log";
    private static final int BATCH = 1000;

    private final JdbcClient jdbc;
    private final JdbcTemplate template;
    private final TransactionTemplate tx;
    private final boolean postgres;

    AnomalyWindow(JdbcClient jdbc, DataSource dataSource, TransactionTemplate tx) {
        this.jdbc = jdbc;
        this.template = new JdbcTemplate(dataSource);
        // Streams a rebuild's groups instead of holding them all in the driver (PostgreSQL does
        // that only inside a transaction, which a round is).
        this.template.setFetchSize(BATCH);
        this.tx = tx;
        this.postgres = Db.postgres(dataSource);
    }

    /** What a round did: whether it rebuilt the tables, from when it read the log, and how much. */
    record Refresh(boolean rebuilt, Instant readFrom, long groups) {}

    private record State(@Nullable Long seenId, @Nullable Instant scannedAt, @Nullable Integer windowHours) {}

    private record Key(long licenseId, String value) {}

    private record Minute(long licenseId, long minute) {}

    /**
     * Brings the tables up to the validation log as it is, for the window starting at {@code
     * since}, and drops what is older than the window.
     */
    Refresh refresh(Instant now, Instant since, int windowHours) {
        return Objects.requireNonNull(tx.execute(status -> refreshInTransaction(now, since, windowHours)));
    }

    private Refresh refreshInTransaction(Instant now, Instant since, int windowHours) {
        State state = jdbc.sql(
                        "SELECT seen_id, scanned_at, window_hours FROM anomaly_scan_state WHERE name = ? FOR UPDATE")
                .param(STATE)
                .query((rs, n) -> new State(
                        Db.bigint(rs, "seen_id"), Db.instant(rs, "scanned_at"), Db.integer(rs, "window_hours")))
                .single();
        long maxId = jdbc.sql("SELECT COALESCE(MAX(id), 0) FROM validation_log")
                .query(Long.class)
                .single();
        // Rebuilt when never built, when the window changed, when the clock went back, or when the
        // log's ids went back (a restore): the tables could then miss rows or hold wrong ones.
        boolean rebuild = state.seenId() == null
                || state.scannedAt() == null
                || !Objects.equals(state.windowHours(), windowHours)
                || state.scannedAt().isAfter(now)
                || maxId < state.seenId();
        Instant from;
        if (rebuild) {
            template.update("DELETE FROM anomaly_license_ips");
            template.update("DELETE FROM anomaly_license_devices");
            template.update("DELETE FROM anomaly_verify_minutes");
            from = since;
        } else {
            from = state.scannedAt().minus(OVERLAP);
            OffsetDateTime oldestUnseen = template.queryForObject(
                    "SELECT MIN(at) FROM validation_log WHERE id > ?", OffsetDateTime.class, state.seenId());
            if (oldestUnseen != null && oldestUnseen.toInstant().isBefore(from)) {
                from = oldestUnseen.toInstant();
            }
            if (from.isBefore(since)) {
                from = since;
            }
        }
        // Whole minutes, so each minute's counts are read complete and replace the stored ones.
        long fromMinute = Math.floorDiv(from.getEpochSecond(), 60);
        Instant readFrom = Instant.ofEpochSecond(fromMinute * 60);
        long groups = read(readFrom, fromMinute);
        template.update("DELETE FROM anomaly_license_ips WHERE last_seen < ?", Db.ts(since));
        template.update("DELETE FROM anomaly_license_devices WHERE last_seen < ?", Db.ts(since));
        template.update(
                "DELETE FROM anomaly_verify_minutes WHERE at_minute < ?", Math.floorDiv(since.getEpochSecond(), 60));
        jdbc.sql("UPDATE anomaly_scan_state SET seen_id = ?, scanned_at = ?, window_hours = ? WHERE name = ?")
                .params(maxId, Db.ts(now), windowHours, STATE)
                .update();
        return new Refresh(rebuild, readFrom, groups);
    }

    /** Reads the log from {@code readFrom} on and stores what it found; returns the groups read. */
    private long read(Instant readFrom, long fromMinute) {
        Map<Key, Instant> ips = new HashMap<>();
        Map<Key, Instant> devices = new HashMap<>();
        Map<Minute, int[]> minutes = new HashMap<>();
        long[] groups = {0};
        // One pass over the rows: grouped as finely as the three tables need, folded here.
        template.query(
                """
                SELECT license_id, ip, hardware_hash, FLOOR(EXTRACT(EPOCH FROM at) / 60) AS at_minute,
                    MAX(at) AS last_at,
                    SUM(CASE WHEN action = 'verify' THEN 1 ELSE 0 END) AS verifications,
                    SUM(CASE WHEN action = 'verify' AND result_code NOT IN ('VALID', 'GRACE_PERIOD')
                        THEN 1 ELSE 0 END) AS failed
                FROM validation_log
                WHERE at >= ? AND license_id IS NOT NULL
                GROUP BY license_id, ip, hardware_hash, FLOOR(EXTRACT(EPOCH FROM at) / 60)""",
                (ResultSet rs) -> {
                    groups[0]++;
                    long license = rs.getLong("license_id");
                    Instant last = Objects.requireNonNull(Db.instant(rs, "last_at"));
                    String ip = rs.getString("ip");
                    if (ip != null) {
                        ips.merge(new Key(license, ip), last, AnomalyWindow::later);
                    }
                    String hardwareHash = rs.getString("hardware_hash");
                    if (hardwareHash != null) {
                        devices.merge(new Key(license, hardwareHash), last, AnomalyWindow::later);
                    }
                    int verifications = rs.getInt("verifications");
                    if (verifications > 0) {
                        int[] counts =
                                minutes.computeIfAbsent(new Minute(license, rs.getLong("at_minute")), m -> new int[2]);
                        counts[0] += verifications;
                        counts[1] += rs.getInt("failed");
                    }
                },
                Db.ts(readFrom));
        upsertLastSeen("anomaly_license_ips", "ip", ips);
        upsertLastSeen("anomaly_license_devices", "hardware_hash", devices);
        template.update("DELETE FROM anomaly_verify_minutes WHERE at_minute >= ?", fromMinute);
        List<Map.Entry<Minute, int[]>> rows = new ArrayList<>(minutes.entrySet());
        template.batchUpdate(
                "INSERT INTO anomaly_verify_minutes (license_id, at_minute, verifications, failed) VALUES (?, ?, ?, ?)",
                rows,
                BATCH,
                (ps, row) -> {
                    ps.setLong(1, row.getKey().licenseId());
                    ps.setLong(2, row.getKey().minute());
                    ps.setInt(3, row.getValue()[0]);
                    ps.setInt(4, row.getValue()[1]);
                });
        return groups[0];
    }

    /**
     * Sets when each key was last seen. The value read is never older than the stored one: the row
     * behind a stored time at or after the read's start is read again, and one before it is older
     * than anything read.
     */
    private void upsertLastSeen(String table, String column, Map<Key, Instant> lastSeen) {
        String sql = postgres
                ? "INSERT INTO " + table + " (license_id, " + column + ", last_seen) VALUES (?, ?, ?)"
                        + " ON CONFLICT (license_id, " + column + ") DO UPDATE SET last_seen = EXCLUDED.last_seen"
                : "MERGE INTO " + table + " (license_id, " + column + ", last_seen) KEY (license_id, " + column
                        + ") VALUES (?, ?, ?)";
        template.batchUpdate(sql, new ArrayList<>(lastSeen.entrySet()), BATCH, (ps, entry) -> {
            ps.setLong(1, entry.getKey().licenseId());
            ps.setString(2, entry.getKey().value());
            ps.setObject(3, Db.ts(entry.getValue()));
        });
    }

    private static Instant later(Instant a, Instant b) {
        return a.isAfter(b) ? a : b;
    }
}
