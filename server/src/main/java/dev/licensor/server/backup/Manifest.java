package dev.licensor.server.backup;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

/**
 * {@code manifest.json} of a backup: what made it, from which schema, and how many rows each table
 * file holds. {@code schemaVersion} is the major Flyway version (the {@code V<n>} of
 * db/migration): the vendor parts of a migration ({@code V<n>.1} under db/vendor) differ between
 * H2 and PostgreSQL only in indexes and partitioning, so a backup of one restores into the other
 * at the same major version. {@code secretFingerprint} is an HMAC of a fixed label with the
 * server secret: it tells whether two servers share a secret without saying anything about it.
 */
public record Manifest(
        int formatVersion,
        String serverVersion,
        int schemaVersion,
        String flywayVersion,
        Instant createdAt,
        String database,
        String secretFingerprint,
        Map<String, Long> rows) {
    /** The format this server writes and reads. */
    public static final int FORMAT_VERSION = 1;

    static final String ENTRY = "manifest.json";

    public Manifest {
        rows = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(rows));
    }

    ObjectNode toJson(JsonMapper json) {
        ObjectNode node = json.createObjectNode();
        node.put("format", "licensor-backup");
        node.put("format_version", formatVersion);
        node.put("server_version", serverVersion);
        node.put("schema_version", schemaVersion);
        node.put("flyway_version", flywayVersion);
        node.put("created_at", createdAt.toString());
        node.put("database", database);
        node.put("secret_fingerprint", secretFingerprint);
        ObjectNode tables = node.putObject("tables");
        rows.forEach((table, count) -> tables.putObject(table).put("rows", count));
        return node;
    }

    /** Reads a manifest; {@link RestoreRefused} when it is not one of ours. */
    static Manifest fromJson(JsonNode node) {
        if (!"licensor-backup".equals(node.path("format").asString(""))) {
            throw new RestoreRefused("not-a-backup", "manifest.json is not a Licensor manifest");
        }
        try {
            Map<String, Long> rows = new LinkedHashMap<>();
            node.path("tables")
                    .properties()
                    .forEach(e -> rows.put(e.getKey(), e.getValue().path("rows").asLong()));
            return new Manifest(
                    node.path("format_version").asInt(),
                    node.path("server_version").asString(""),
                    node.path("schema_version").asInt(),
                    node.path("flyway_version").asString(""),
                    Instant.parse(node.path("created_at").asString()),
                    node.path("database").asString(""),
                    node.path("secret_fingerprint").asString(""),
                    rows);
        } catch (RuntimeException e) {
            throw new RestoreRefused("not-a-backup", "manifest.json cannot be read: " + e.getMessage());
        }
    }
}
