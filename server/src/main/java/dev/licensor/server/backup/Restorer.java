package dev.licensor.server.backup;

import dev.licensor.server.session.LogMaintenance;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.YearMonth;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.zip.ZipEntry;
import java.util.zip.ZipException;
import java.util.zip.ZipFile;
import javax.sql.DataSource;
import org.flywaydb.core.api.MigrationVersion;
import org.jspecify.annotations.Nullable;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.datasource.SingleConnectionDataSource;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Restores a backup into a database migrated to the backup's schema version, in one transaction:
 * rows inserted in foreign-key order with their own ids, then every identity counter moved past
 * the restored ids. Into an empty database (the command line, a move to PostgreSQL), or replacing
 * all backed-up data of a running server (the panel and admin API).
 */
final class Restorer {
    private static final int BATCH = 500;

    enum Mode {
        /** Refuses unless every backed-up table is empty. */
        EMPTY_DATABASE,
        /** Deletes the backed-up tables' rows (and the idempotency answers) first. */
        REPLACE
    }

    /** What a restore did. */
    record Result(Manifest manifest, Map<String, Long> rows) {}

    private final DataSource dataSource;
    private final JsonMapper json;
    private final String secretFingerprint;

    Restorer(DataSource dataSource, JsonMapper json, String secretFingerprint) {
        this.dataSource = dataSource;
        this.json = json;
        this.secretFingerprint = secretFingerprint;
    }

    /** Reads and checks the manifest of a backup file, without touching the database. */
    Manifest manifest(Path file) throws IOException {
        return manifest(file, json);
    }

    static Manifest manifest(Path file, JsonMapper json) throws IOException {
        try (ZipFile zip = new ZipFile(file.toFile())) {
            return manifest(zip, json);
        } catch (ZipException e) {
            throw new RestoreRefused("not-a-backup", "not a ZIP file");
        }
    }

    private Manifest manifest(ZipFile zip) throws IOException {
        return manifest(zip, json);
    }

    private static Manifest manifest(ZipFile zip, JsonMapper json) throws IOException {
        ZipEntry entry = zip.getEntry(Manifest.ENTRY);
        if (entry == null) {
            throw new RestoreRefused("not-a-backup", "no manifest.json");
        }
        JsonNode node;
        try (InputStream in = zip.getInputStream(entry)) {
            node = json.readTree(in);
        } catch (RuntimeException e) {
            throw new RestoreRefused("not-a-backup", "manifest.json is not JSON");
        }
        return Manifest.fromJson(node);
    }

    /** Refuses a backup this database cannot take (format, secret, schema version), changing nothing. */
    Manifest verify(Path file) throws IOException, SQLException {
        Manifest manifest = manifest(file);
        try (Connection c = dataSource.getConnection()) {
            check(manifest, c);
        }
        return manifest;
    }

    Result restore(Path file, Mode mode) throws IOException, SQLException {
        try (ZipFile zip = new ZipFile(file.toFile())) {
            Manifest manifest = manifest(zip);
            try (Connection c = dataSource.getConnection()) {
                check(manifest, c);
                boolean autoCommit = c.getAutoCommit();
                c.setAutoCommit(false);
                try {
                    Map<String, Long> rows = restore(zip, manifest, mode, c);
                    c.commit();
                    return new Result(manifest, rows);
                } catch (IOException | SQLException | RuntimeException e) {
                    c.rollback();
                    throw e;
                } finally {
                    c.setAutoCommit(autoCommit);
                }
            }
        } catch (ZipException e) {
            throw new RestoreRefused("not-a-backup", "not a ZIP file");
        }
    }

    private void check(Manifest manifest, Connection c) throws SQLException {
        if (manifest.formatVersion() != Manifest.FORMAT_VERSION) {
            throw new RestoreRefused("format", manifest.formatVersion(), Manifest.FORMAT_VERSION);
        }
        if (!secretFingerprint.equals(manifest.secretFingerprint())) {
            throw new RestoreRefused("secret");
        }
        MigrationVersion target = Schema.flywayVersion(c);
        int schema = Schema.major(target);
        if (manifest.schemaVersion() > schema) {
            throw new RestoreRefused("newer-schema", manifest.schemaVersion(), schema);
        }
        if (manifest.schemaVersion() < schema) {
            throw new RestoreRefused("older-schema", manifest.schemaVersion(), schema, manifest.serverVersion());
        }
        for (String table : Schema.backedUp(c)) {
            if (!manifest.rows().containsKey(table)) {
                throw new RestoreRefused("incomplete", "no rows of " + table);
            }
        }
    }

    private Map<String, Long> restore(ZipFile zip, Manifest manifest, Mode mode, Connection c)
            throws IOException, SQLException {
        boolean postgres = Schema.postgres(c);
        // The check above made sure the backup has every one of these (its schema is this one).
        List<String> tables = Schema.backedUp(c);
        if (mode == Mode.EMPTY_DATABASE) {
            for (String table : tables) {
                long count = Schema.count(c, table);
                if (count > 0) {
                    throw new RestoreRefused("not-empty", table, count);
                }
            }
        } else {
            try (Statement s = c.createStatement()) {
                if (postgres) {
                    // Nothing else reads or writes these tables until the new data is committed.
                    s.execute("LOCK TABLE " + String.join(", ", tables) + " IN ACCESS EXCLUSIVE MODE");
                }
                for (String table : tables.reversed()) {
                    s.executeUpdate("DELETE FROM " + table);
                }
                s.executeUpdate("DELETE FROM idempotency_keys");
            }
        }
        Map<String, Long> rows = new LinkedHashMap<>();
        Map<String, Map<String, Schema.Column>> columns = new LinkedHashMap<>();
        JdbcTemplate partitions = new JdbcTemplate(new SingleConnectionDataSource(c, true));
        for (String table : tables) {
            ZipEntry entry = zip.getEntry("tables/" + table + ".jsonl");
            if (entry == null) {
                throw new RestoreRefused("incomplete", "no file for table " + table);
            }
            Map<String, Schema.Column> targetColumns = Schema.columns(c, table);
            columns.put(table, targetColumns);
            boolean partitioned = postgres && table.equals("heartbeat_log");
            long count;
            try (InputStream in = zip.getInputStream(entry)) {
                count = insert(c, table, targetColumns, in, partitioned ? partitions : null);
            }
            long expected = manifest.rows().get(table);
            if (count != expected) {
                throw new RestoreRefused(
                        "incomplete", table + " holds " + count + " rows, the manifest says " + expected);
            }
            rows.put(table, count);
        }
        if (Schema.tables(c).contains("anomaly_scan_state")) {
            // The anomaly scan's counts describe the log that was there: rebuilt on its next round.
            try (Statement s = c.createStatement()) {
                s.executeUpdate("UPDATE anomaly_scan_state SET seen_id = NULL, scanned_at = NULL, window_hours = NULL");
            }
        }
        // On H2 an ALTER TABLE commits the transaction: the counters are moved after every row is in.
        for (var table : columns.entrySet()) {
            Schema.resetIdentity(c, table.getKey(), table.getValue());
        }
        return rows;
    }

    private long insert(
            Connection c,
            String table,
            Map<String, Schema.Column> target,
            InputStream in,
            @Nullable JdbcTemplate partitions)
            throws IOException, SQLException {
        BufferedReader lines = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8));
        Set<YearMonth> months = new HashSet<>();
        List<Schema.Column> order = null;
        PreparedStatement insert = null;
        long count = 0;
        int pending = 0;
        try {
            String line;
            while ((line = lines.readLine()) != null) {
                if (line.isBlank()) {
                    continue;
                }
                JsonNode row = json.readTree(line);
                if (order == null) {
                    order = new ArrayList<>();
                    for (String name : row.propertyNames()) {
                        Schema.Column column = target.get(name);
                        if (column == null) {
                            throw new RestoreRefused(
                                    "incomplete", "column " + table + "." + name + " is not in this schema");
                        }
                        order.add(column);
                    }
                    insert = c.prepareStatement("INSERT INTO " + table + " ("
                            + String.join(
                                    ", ",
                                    order.stream().map(Schema.Column::name).toList()) + ") VALUES ("
                            + String.join(", ", java.util.Collections.nCopies(order.size(), "?")) + ")");
                }
                if (partitions != null) {
                    YearMonth month = YearMonth.from(
                            Instant.parse(row.path("at").asString()).atZone(ZoneOffset.UTC));
                    if (months.add(month)) {
                        if (pending > 0) {
                            insert.executeBatch();
                            pending = 0;
                        }
                        LogMaintenance.createPartition(partitions, month);
                    }
                }
                for (int i = 0; i < order.size(); i++) {
                    bind(insert, i + 1, order.get(i), row.get(order.get(i).name()));
                }
                insert.addBatch();
                count++;
                if (++pending == BATCH) {
                    insert.executeBatch();
                    pending = 0;
                }
            }
            if (insert != null && pending > 0) {
                insert.executeBatch();
            }
        } finally {
            if (insert != null) {
                insert.close();
            }
        }
        return count;
    }

    private static void bind(PreparedStatement p, int i, Schema.Column column, @Nullable JsonNode value)
            throws SQLException {
        if (value == null || value.isNull()) {
            p.setNull(i, column.sqlType());
            return;
        }
        switch (column.kind()) {
            case INTEGER -> p.setLong(i, value.asLong());
            case BOOLEAN -> p.setBoolean(i, value.asBoolean());
            case DECIMAL -> p.setBigDecimal(i, value.decimalValue());
            case FLOAT -> p.setDouble(i, value.asDouble());
            case TIMESTAMP_TZ ->
                p.setObject(i, OffsetDateTime.ofInstant(Instant.parse(value.asString()), ZoneOffset.UTC));
            case TIMESTAMP -> p.setObject(i, LocalDateTime.parse(value.asString()));
            case DATE -> p.setObject(i, LocalDate.parse(value.asString()));
            case UUID -> p.setObject(i, UUID.fromString(value.asString()));
            case BINARY -> p.setBytes(i, Base64.getDecoder().decode(value.asString()));
            case TEXT -> p.setString(i, value.asString());
        }
    }
}
