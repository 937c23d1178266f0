package dev.licensor.server.backup;

import java.sql.Connection;
import java.sql.DatabaseMetaData;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Types;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.flywaydb.core.api.MigrationVersion;
import org.jspecify.annotations.Nullable;

/** What a backup needs to know about a database, read from its metadata on one connection. */
final class Schema {
    private Schema() {}

    /** How a column's values are written to and read from a backup. */
    enum Kind {
        INTEGER,
        BOOLEAN,
        DECIMAL,
        FLOAT,
        TIMESTAMP_TZ,
        TIMESTAMP,
        DATE,
        UUID,
        BINARY,
        TEXT
    }

    record Column(String name, Kind kind, int sqlType) {}

    static boolean postgres(Connection c) throws SQLException {
        return c.getMetaData().getDatabaseProductName().toLowerCase(Locale.ROOT).contains("postgres");
    }

    static String kind(Connection c) throws SQLException {
        return postgres(c) ? "postgresql" : "h2";
    }

    /**
     * The application tables of the connection's schema, lower case: the heartbeat log's monthly
     * partitions on PostgreSQL are not tables of their own here (their parent is read and written).
     */
    static Set<String> tables(Connection c) throws SQLException {
        Set<String> tables = new TreeSet<>();
        try (ResultSet rs =
                c.getMetaData().getTables(null, c.getSchema(), "%", new String[] {"TABLE", "PARTITIONED TABLE"})) {
            while (rs.next()) {
                tables.add(rs.getString("TABLE_NAME").toLowerCase(Locale.ROOT));
            }
        }
        if (postgres(c)) {
            try (Statement s = c.createStatement();
                    ResultSet rs = s.executeQuery(
                            "SELECT relname FROM pg_class WHERE relispartition AND relnamespace = current_schema()::regnamespace")) {
                while (rs.next()) {
                    tables.remove(rs.getString(1).toLowerCase(Locale.ROOT));
                }
            }
        }
        return tables;
    }

    /**
     * The tables of {@link BackupTables#BACKED_UP} this database has, in that order: all of them at
     * this server's schema version, fewer in a database of an older one (a table added by a later
     * migration is not there yet).
     */
    static List<String> backedUp(Connection c) throws SQLException {
        Set<String> present = tables(c);
        return BackupTables.BACKED_UP.stream().filter(present::contains).toList();
    }

    /** Tables neither backed up nor excluded by {@link BackupTables}: a migration added them. */
    static List<String> unaccounted(Connection c) throws SQLException {
        List<String> unknown = new ArrayList<>();
        for (String table : tables(c)) {
            if (!BackupTables.BACKED_UP.contains(table) && !BackupTables.EXCLUDED.containsKey(table)) {
                unknown.add(table);
            }
        }
        return unknown;
    }

    /** A table's columns, by lower-case name, in their order. */
    static Map<String, Column> columns(Connection c, String table) throws SQLException {
        Map<String, Column> columns = new LinkedHashMap<>();
        DatabaseMetaData meta = c.getMetaData();
        try (ResultSet rs = meta.getColumns(null, c.getSchema(), table, "%")) {
            while (rs.next()) {
                if (!table.equalsIgnoreCase(rs.getString("TABLE_NAME"))) {
                    continue; // '_' is a wildcard of the pattern
                }
                String name = rs.getString("COLUMN_NAME").toLowerCase(Locale.ROOT);
                int type = rs.getInt("DATA_TYPE");
                columns.put(name, new Column(name, kind(type, rs.getString("TYPE_NAME")), type));
            }
        }
        if (columns.isEmpty()) {
            throw new SQLException("table " + table + " not found");
        }
        return columns;
    }

    static Kind kind(int sqlType, @Nullable String typeName) {
        String name = typeName == null ? "" : typeName.toLowerCase(Locale.ROOT);
        if (name.equals("uuid")) {
            return Kind.UUID;
        }
        if (name.equals("timestamptz") || name.contains("with time zone")) {
            return Kind.TIMESTAMP_TZ;
        }
        return switch (sqlType) {
            case Types.BIGINT, Types.INTEGER, Types.SMALLINT, Types.TINYINT -> Kind.INTEGER;
            case Types.BOOLEAN, Types.BIT -> Kind.BOOLEAN;
            case Types.DECIMAL, Types.NUMERIC -> Kind.DECIMAL;
            case Types.DOUBLE, Types.FLOAT, Types.REAL -> Kind.FLOAT;
            case Types.TIMESTAMP_WITH_TIMEZONE -> Kind.TIMESTAMP_TZ;
            case Types.TIMESTAMP -> Kind.TIMESTAMP;
            case Types.DATE -> Kind.DATE;
            case Types.BINARY, Types.VARBINARY, Types.LONGVARBINARY, Types.BLOB -> Kind.BINARY;
            default -> Kind.TEXT;
        };
    }

    /** The Flyway version of the database: the highest successfully applied versioned migration. */
    static MigrationVersion flywayVersion(Connection c) throws SQLException {
        MigrationVersion highest = MigrationVersion.EMPTY;
        try (Statement s = c.createStatement();
                ResultSet rs = s.executeQuery(
                        "SELECT version FROM flyway_schema_history WHERE success AND version IS NOT NULL")) {
            while (rs.next()) {
                MigrationVersion v = MigrationVersion.fromVersion(rs.getString(1));
                if (v.isNewerThan(highest)) {
                    highest = v;
                }
            }
        }
        return highest;
    }

    /** The major part of a Flyway version: {@code 7} for {@code 7.1}. */
    static int major(MigrationVersion version) {
        String text = version.getVersion();
        if (text == null || text.isEmpty()) {
            return 0;
        }
        int dot = text.indexOf('.');
        return Integer.parseInt(dot < 0 ? text : text.substring(0, dot));
    }

    static long count(Connection c, String table) throws SQLException {
        try (Statement s = c.createStatement();
                ResultSet rs = s.executeQuery("SELECT COUNT(*) FROM " + table)) {
            rs.next();
            return rs.getLong(1);
        }
    }

    /**
     * Moves a table's identity counter past its highest id, so new rows get fresh ids: the restored
     * rows were inserted with their own ids, which leaves the counter where it was. Tables without
     * an identity column are left alone.
     */
    static void resetIdentity(Connection c, String table, Map<String, Column> columns) throws SQLException {
        if (!columns.containsKey("id") || columns.get("id").kind() != Kind.INTEGER) {
            return;
        }
        long max;
        try (Statement s = c.createStatement();
                ResultSet rs = s.executeQuery("SELECT COALESCE(MAX(id), 0) FROM " + table)) {
            rs.next();
            max = rs.getLong(1);
        }
        if (postgres(c)) {
            try (PreparedStatement p = c.prepareStatement(
                    "SELECT setval(s, ?, ?) FROM (SELECT pg_get_serial_sequence(?, 'id') AS s) q WHERE s IS NOT NULL")) {
                p.setLong(1, Math.max(max, 1));
                p.setBoolean(2, max > 0);
                p.setString(3, table);
                p.execute();
            }
        } else if (h2Identity(c, table)) {
            try (Statement s = c.createStatement()) {
                s.execute("ALTER TABLE " + table + " ALTER COLUMN id RESTART WITH " + (max + 1));
            }
        }
    }

    private static boolean h2Identity(Connection c, String table) throws SQLException {
        try (PreparedStatement p = c.prepareStatement(
                "SELECT COUNT(*) FROM information_schema.columns WHERE LOWER(table_name) = ? AND LOWER(column_name) = 'id'"
                        + " AND is_identity = 'YES' AND table_schema = CURRENT_SCHEMA")) {
            p.setString(1, table);
            try (ResultSet rs = p.executeQuery()) {
                rs.next();
                return rs.getLong(1) > 0;
            }
        }
    }
}
