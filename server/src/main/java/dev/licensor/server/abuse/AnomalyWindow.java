package dev.licensor.server.abuse;

import dev.licensor.server.audit.ValidationLog;
import dev.licensor.server.support.Db;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.Function;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import javax.sql.DataSource;
import org.jspecify.annotations.Nullable;
import org.springframework.jdbc.core.ConnectionCallback;
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
 * <p>A round reads the log from {@link #OVERLAP} before the last round, because the log's batches
 * commit in parallel and one that committed after the last round read may hold rows stamped before
 * it; and from further back when the log wrote rows late ({@code late_from}, set by {@link
 * ValidationLog} for rows older than {@link ValidationLog#LATE} when written, such as a batch
 * retried after a database outage). What a round reads replaces what the tables held for the same
 * keys and minutes, so reading a row twice changes nothing.
 */
@Component
class AnomalyWindow {
    /** Longer than a validation-log batch takes to commit, and than {@link ValidationLog#LATE}. */
    static final Duration OVERLAP = ValidationLog.LATE.multipliedBy(3);

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

    /**
     * What a round did: whether it rebuilt the tables, from when it read the log, how many groups of
     * rows that gave, and how long the reading took (the rest of a round writes and evaluates).
     */
    record Refresh(boolean rebuilt, Instant readFrom, long groups, long readNanos) {}

    private record Read(long groups, long nanos) {}

    private record State(
            @Nullable Long seenId,
            @Nullable Instant scannedAt,
            @Nullable Integer windowHours,
            @Nullable Instant lateFrom) {}

    private record Key(long licenseId, String value) {}

    /** A column of a table the round writes, with its PostgreSQL type. */
    private record Column(String name, String type) {}

    private static final Column LICENSE_ID = new Column("license_id", "bigint");

    private record Minute(long licenseId, long minute) {}

    private record Counts(int verifications, int failed) {
        Counts plus(Counts other) {
            return new Counts(verifications + other.verifications, failed + other.failed);
        }
    }

    /**
     * Brings the tables up to the validation log as it is, for the window starting at {@code
     * since}, and drops what is older than the window.
     */
    Refresh refresh(Instant now, Instant since, int windowHours) {
        return Objects.requireNonNull(tx.execute(status -> refreshInTransaction(now, since, windowHours)));
    }

    private Refresh refreshInTransaction(Instant now, Instant since, int windowHours) {
        State state = jdbc.sql(
                        """
                        SELECT seen_id, scanned_at, window_hours, late_from FROM anomaly_scan_state
                        WHERE name = ? FOR UPDATE""")
                .param(STATE)
                .query((rs, n) -> new State(
                        Db.bigint(rs, "seen_id"),
                        Db.instant(rs, "scanned_at"),
                        Db.integer(rs, "window_hours"),
                        Db.instant(rs, "late_from")))
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
            if (state.lateFrom() != null && state.lateFrom().isBefore(from)) {
                from = state.lateFrom();
            }
            if (from.isBefore(since)) {
                from = since;
            }
        }
        if (postgres) {
            // The read groups by an expression PostgreSQL cannot estimate (it expects a group per
            // row): with the default 4 MB it sorted on disk, 250 ms for 200 000 rows against 150 ms
            // hashed in memory (docs/PERFORMANCE.md).
            template.execute("SET LOCAL work_mem = '64MB'");
        }
        // Whole minutes, so each minute's counts are read complete and replace the stored ones.
        long fromMinute = Math.floorDiv(from.getEpochSecond(), 60);
        Instant readFrom = Instant.ofEpochSecond(fromMinute * 60);
        Read read = read(readFrom, fromMinute);
        template.update("DELETE FROM anomaly_license_ips WHERE last_seen < ?", Db.ts(since));
        template.update("DELETE FROM anomaly_license_devices WHERE last_seen < ?", Db.ts(since));
        template.update(
                "DELETE FROM anomaly_verify_minutes WHERE at_minute < ?", Math.floorDiv(since.getEpochSecond(), 60));
        jdbc.sql(
                        """
                        UPDATE anomaly_scan_state SET seen_id = ?, scanned_at = ?, window_hours = ?, late_from = NULL
                        WHERE name = ?""")
                .params(maxId, Db.ts(now), windowHours, STATE)
                .update();
        return new Refresh(rebuild, readFrom, read.groups(), read.nanos());
    }

    /**
     * Reads the log from {@code readFrom} on and stores what changed: a round after a burst of
     * traffic reads part of the burst again (the overlap), and writing those values again would cost
     * as much as reading them.
     */
    private Read read(Instant readFrom, long fromMinute) {
        long start = System.nanoTime();
        Map<Key, Instant> ips = new HashMap<>();
        Map<Key, Instant> devices = new HashMap<>();
        Map<Minute, Counts> minutes = new HashMap<>();
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
                        minutes.merge(
                                new Minute(license, rs.getLong("at_minute")),
                                new Counts(verifications, rs.getInt("failed")),
                                Counts::plus);
                    }
                },
                Db.ts(readFrom));
        long nanos = System.nanoTime() - start;
        writeLastSeen("anomaly_license_ips", "ip", ips, readFrom);
        writeLastSeen("anomaly_license_devices", "hardware_hash", devices, readFrom);
        writeMinutes(minutes, fromMinute);
        return new Read(groups[0], nanos);
    }

    /**
     * Sets when each key was last seen. The value read is never older than the stored one: the row
     * behind a stored time at or after the read's start is read again, and one before it is older
     * than anything read.
     */
    private void writeLastSeen(String table, String column, Map<Key, Instant> read, Instant readFrom) {
        Map<Key, Instant> stored = new HashMap<>();
        template.query(
                "SELECT license_id, " + column + " AS k, last_seen FROM " + table + " WHERE last_seen >= ?",
                (ResultSet rs) -> {
                    stored.put(
                            new Key(rs.getLong("license_id"), rs.getString("k")),
                            Objects.requireNonNull(Db.instant(rs, "last_seen")));
                },
                Db.ts(readFrom));
        List<Map.Entry<Key, Instant>> changed = read.entrySet().stream()
                .filter(e -> !e.getValue().equals(stored.get(e.getKey())))
                .toList();
        upsert(
                table,
                List.of(LICENSE_ID, new Column(column, "varchar")),
                List.of(new Column("last_seen", "timestamptz")),
                changed,
                e -> new String[] {
                    Long.toString(e.getKey().licenseId()),
                    e.getKey().value(),
                    e.getValue().toString()
                });
    }

    /** Replaces the counts of the minutes read: each was read whole. */
    private void writeMinutes(Map<Minute, Counts> read, long fromMinute) {
        Map<Minute, Counts> stored = new HashMap<>();
        template.query(
                "SELECT license_id, at_minute, verifications, failed FROM anomaly_verify_minutes WHERE at_minute >= ?",
                (ResultSet rs) -> {
                    stored.put(
                            new Minute(rs.getLong("license_id"), rs.getLong("at_minute")),
                            new Counts(rs.getInt("verifications"), rs.getInt("failed")));
                },
                fromMinute);
        // Gone only if the log lost rows since (its retention is far longer than the window).
        List<Minute> gone =
                stored.keySet().stream().filter(m -> !read.containsKey(m)).toList();
        template.batchUpdate(
                "DELETE FROM anomaly_verify_minutes WHERE license_id = ? AND at_minute = ?", gone, BATCH, (ps, m) -> {
                    ps.setLong(1, m.licenseId());
                    ps.setLong(2, m.minute());
                });
        List<Map.Entry<Minute, Counts>> changed = read.entrySet().stream()
                .filter(e -> !e.getValue().equals(stored.get(e.getKey())))
                .toList();
        upsert(
                "anomaly_verify_minutes",
                List.of(LICENSE_ID, new Column("at_minute", "bigint")),
                List.of(new Column("verifications", "integer"), new Column("failed", "integer")),
                changed,
                e -> new String[] {
                    Long.toString(e.getKey().licenseId()),
                    Long.toString(e.getKey().minute()),
                    Integer.toString(e.getValue().verifications()),
                    Integer.toString(e.getValue().failed())
                });
    }

    /**
     * Inserts the rows, or updates the value columns of those whose key columns exist. {@code row}
     * gives a row's values in the order of {@code keys} then {@code values}, as their text forms
     * (an {@link Instant}'s ISO form for a timestamp).
     */
    private <T> void upsert(
            String table, List<Column> keys, List<Column> values, List<T> rows, Function<T, String[]> row) {
        if (rows.isEmpty()) {
            return;
        }
        List<Column> columns = new ArrayList<>(keys);
        columns.addAll(values);
        String names = columns.stream().map(Column::name).collect(Collectors.joining(", "));
        String keyNames = keys.stream().map(Column::name).collect(Collectors.joining(", "));
        if (!postgres) {
            template.batchUpdate(
                    "MERGE INTO " + table + " (" + names + ") KEY (" + keyNames + ") VALUES ("
                            + String.join(", ", Collections.nCopies(columns.size(), "?")) + ")",
                    rows,
                    BATCH,
                    (ps, r) -> {
                        String[] text = row.apply(r);
                        for (int i = 0; i < text.length; i++) {
                            ps.setString(i + 1, text[i]);
                        }
                    });
            return;
        }
        // One statement with an array per column: a batch of single-row statements costs about
        // 50 µs a row here, which made writing a round's 20 000 rows take a second.
        String sql = "INSERT INTO " + table + " (" + names + ") SELECT "
                + IntStream.range(0, columns.size())
                        .mapToObj(i -> "c" + i + "::" + columns.get(i).type())
                        .collect(Collectors.joining(", "))
                + " FROM unnest("
                + String.join(", ", Collections.nCopies(columns.size(), "?::text[]"))
                + ") AS u("
                + IntStream.range(0, columns.size()).mapToObj(i -> "c" + i).collect(Collectors.joining(", "))
                + ") ON CONFLICT (" + keyNames + ") DO UPDATE SET "
                + values.stream().map(v -> v.name() + " = EXCLUDED." + v.name()).collect(Collectors.joining(", "));
        String[][] byColumn = new String[columns.size()][rows.size()];
        for (int r = 0; r < rows.size(); r++) {
            String[] text = row.apply(rows.get(r));
            for (int c = 0; c < text.length; c++) {
                byColumn[c][r] = text[c];
            }
        }
        template.execute((ConnectionCallback<Integer>) connection -> {
            try (PreparedStatement statement = connection.prepareStatement(sql)) {
                for (int c = 0; c < byColumn.length; c++) {
                    statement.setArray(c + 1, connection.createArrayOf("text", byColumn[c]));
                }
                return statement.executeUpdate();
            }
        });
    }

    private static Instant later(Instant a, Instant b) {
        return a.isAfter(b) ? a : b;
    }
}
