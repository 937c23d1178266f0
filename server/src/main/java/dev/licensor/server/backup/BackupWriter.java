package dev.licensor.server.backup;

import java.io.FilterOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.math.BigDecimal;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Clock;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;
import javax.sql.DataSource;
import org.flywaydb.core.api.MigrationVersion;
import tools.jackson.core.JsonGenerator;
import tools.jackson.databind.json.JsonMapper;

/**
 * Writes a backup: every table of {@link BackupTables#BACKED_UP} the database has (a database of an
 * older schema lacks the tables later migrations add) as JSON lines, read in one
 * read-only snapshot transaction (REPEATABLE READ on PostgreSQL, SNAPSHOT on H2), so the backup is
 * one point in time while the server goes on serving. Rows are streamed from the database to the
 * ZIP; no table is held in memory.
 */
final class BackupWriter {
    /** H2's own isolation level for a consistent snapshot ({@code org.h2.engine.Constants}). */
    private static final int H2_SNAPSHOT = 6;

    private static final int FETCH_SIZE = 1000;

    private final DataSource dataSource;
    private final JsonMapper json;
    private final Clock clock;
    private final String serverVersion;
    private final String secretFingerprint;

    BackupWriter(DataSource dataSource, JsonMapper json, Clock clock, String serverVersion, String secretFingerprint) {
        this.dataSource = dataSource;
        this.json = json;
        this.clock = clock;
        this.serverVersion = serverVersion;
        this.secretFingerprint = secretFingerprint;
    }

    Manifest write(OutputStream out) throws IOException, SQLException {
        try (Connection c = dataSource.getConnection()) {
            boolean autoCommit = c.getAutoCommit();
            int isolation = c.getTransactionIsolation();
            boolean postgres = Schema.postgres(c);
            try {
                c.setAutoCommit(false);
                c.setReadOnly(true);
                c.setTransactionIsolation(postgres ? Connection.TRANSACTION_REPEATABLE_READ : H2_SNAPSHOT);
                Manifest manifest = write(c, postgres, out);
                c.commit();
                return manifest;
            } catch (IOException | SQLException | RuntimeException e) {
                c.rollback();
                throw e;
            } finally {
                c.setTransactionIsolation(isolation);
                c.setReadOnly(false);
                c.setAutoCommit(autoCommit);
            }
        }
    }

    private Manifest write(Connection c, boolean postgres, OutputStream out) throws IOException, SQLException {
        List<String> unaccounted = Schema.unaccounted(c);
        if (!unaccounted.isEmpty()) {
            throw new IllegalStateException("tables neither backed up nor excluded (see BackupTables): " + unaccounted);
        }
        MigrationVersion version = Schema.flywayVersion(c);
        Map<String, Long> rows = new LinkedHashMap<>();
        ZipOutputStream zip = new ZipOutputStream(out);
        OutputStream entry = new Unclosable(zip);
        for (String table : Schema.backedUp(c)) {
            zip.putNextEntry(new ZipEntry("tables/" + table + ".jsonl"));
            rows.put(table, writeTable(c, table, entry));
            zip.closeEntry();
        }
        Manifest manifest = new Manifest(
                Manifest.FORMAT_VERSION,
                serverVersion,
                Schema.major(version),
                version.getVersion(),
                clock.instant(),
                postgres ? "postgresql" : "h2",
                secretFingerprint,
                rows);
        zip.putNextEntry(new ZipEntry(Manifest.ENTRY));
        entry.write(json.writerWithDefaultPrettyPrinter().writeValueAsBytes(manifest.toJson(json)));
        zip.closeEntry();
        zip.finish();
        return manifest;
    }

    private long writeTable(Connection c, String table, OutputStream out) throws SQLException {
        long count = 0;
        try (Statement s = c.createStatement()) {
            s.setFetchSize(FETCH_SIZE);
            try (ResultSet rs = s.executeQuery("SELECT * FROM " + table);
                    JsonGenerator g = json.createGenerator(out)) {
                ResultSetMetaData meta = rs.getMetaData();
                int n = meta.getColumnCount();
                List<String> names = new ArrayList<>(n);
                List<Schema.Kind> kinds = new ArrayList<>(n);
                for (int i = 1; i <= n; i++) {
                    names.add(meta.getColumnLabel(i).toLowerCase(Locale.ROOT));
                    kinds.add(Schema.kind(meta.getColumnType(i), meta.getColumnTypeName(i)));
                }
                while (rs.next()) {
                    g.writeStartObject();
                    for (int i = 1; i <= n; i++) {
                        g.writeName(names.get(i - 1));
                        writeValue(g, rs, i, kinds.get(i - 1));
                    }
                    g.writeEndObject();
                    g.writeRaw('\n');
                    count++;
                }
            }
        }
        return count;
    }

    private static void writeValue(JsonGenerator g, ResultSet rs, int i, Schema.Kind kind) throws SQLException {
        switch (kind) {
            case INTEGER -> {
                long v = rs.getLong(i);
                if (rs.wasNull()) g.writeNull();
                else g.writeNumber(v);
            }
            case BOOLEAN -> {
                boolean v = rs.getBoolean(i);
                if (rs.wasNull()) g.writeNull();
                else g.writeBoolean(v);
            }
            case DECIMAL -> {
                BigDecimal v = rs.getBigDecimal(i);
                if (v == null) g.writeNull();
                else g.writeNumber(v);
            }
            case FLOAT -> {
                double v = rs.getDouble(i);
                if (rs.wasNull()) g.writeNull();
                else g.writeNumber(v);
            }
            case TIMESTAMP_TZ -> {
                OffsetDateTime v = rs.getObject(i, OffsetDateTime.class);
                if (v == null) g.writeNull();
                else g.writeString(v.toInstant().toString());
            }
            case TIMESTAMP -> {
                LocalDateTime v = rs.getObject(i, LocalDateTime.class);
                if (v == null) g.writeNull();
                else g.writeString(v.toString());
            }
            case DATE -> {
                LocalDate v = rs.getObject(i, LocalDate.class);
                if (v == null) g.writeNull();
                else g.writeString(v.toString());
            }
            case UUID -> {
                UUID v = rs.getObject(i, UUID.class);
                if (v == null) g.writeNull();
                else g.writeString(v.toString());
            }
            case BINARY -> {
                byte[] v = rs.getBytes(i);
                if (v == null) g.writeNull();
                else g.writeString(Base64.getEncoder().encodeToString(v));
            }
            case TEXT -> {
                String v = rs.getString(i);
                if (v == null) g.writeNull();
                else g.writeString(v);
            }
        }
    }

    /** The current ZIP entry as a stream a JSON generator may close without closing the ZIP. */
    private static final class Unclosable extends FilterOutputStream {
        Unclosable(OutputStream out) {
            super(out);
        }

        @Override
        public void write(byte[] b, int off, int len) throws IOException {
            out.write(b, off, len);
        }

        @Override
        public void close() throws IOException {
            out.flush();
        }
    }
}
