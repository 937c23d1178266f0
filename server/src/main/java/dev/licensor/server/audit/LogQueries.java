package dev.licensor.server.audit;

import dev.licensor.protocol.LicenseKeyFormat;
import dev.licensor.server.support.Db;
import dev.licensor.server.web.JsonFields;
import dev.licensor.server.web.PageResponse;
import dev.licensor.server.web.Problems;
import dev.licensor.server.web.SafeStrings;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Service;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** Reading the audit and validation logs, newest first. */
@Service
public class LogQueries {
    private final JdbcClient jdbc;
    private final JsonMapper json;

    LogQueries(JdbcClient jdbc, JsonMapper json) {
        this.jdbc = jdbc;
        this.json = json;
    }

    /** One audit row; old and new values as the JSON they were recorded as. */
    public record AuditEntry(
            long id,
            Instant at,
            String actor,
            String action,
            String entityType,
            @Nullable String entityId,
            @Nullable JsonNode oldValue,
            @Nullable JsonNode newValue,
            @Nullable String ip,
            @Nullable String userAgent) {}

    /** One client-API decision. */
    public record ValidationEntry(
            long id,
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

    public PageResponse<AuditEntry> audit(
            @Nullable String entityType,
            @Nullable String entityId,
            @Nullable String actor,
            @Nullable String since,
            PageResponse.Paging paging) {
        List<Problems.FieldError> errors = new ArrayList<>();
        entityType = text(entityType, "entity_type", 64, errors);
        entityId = text(entityId, "entity_id", 128, errors);
        actor = text(actor, "actor", 200, errors);
        Instant from = instant(since, errors);
        if (!errors.isEmpty()) {
            throw JsonFields.invalid(errors);
        }
        List<String> clauses = new ArrayList<>();
        Map<String, Object> params = new HashMap<>();
        if (entityType != null) {
            clauses.add("entity_type = :entityType");
            params.put("entityType", entityType);
        }
        if (entityId != null) {
            clauses.add("entity_id = :entityId");
            params.put("entityId", entityId);
        }
        if (actor != null) {
            clauses.add("actor = :actor");
            params.put("actor", actor);
        }
        if (from != null) {
            clauses.add("at >= :since");
            params.put("since", Db.ts(from));
        }
        String where = clauses.isEmpty() ? "" : " WHERE " + String.join(" AND ", clauses);
        long total = jdbc.sql("SELECT COUNT(*) FROM audit_log" + where)
                .params(params)
                .query(Long.class)
                .single();
        params.put("limit", paging.size());
        params.put("offset", paging.offset());
        List<AuditEntry> items = jdbc.sql(
                        """
                        SELECT id, at, actor, action, entity_type, entity_id, old_value, new_value, ip, user_agent
                        FROM audit_log"""
                                + where + " ORDER BY at DESC, id DESC LIMIT :limit OFFSET :offset")
                .params(params)
                .query(this::audit)
                .list();
        return PageResponse.of(items, paging, total);
    }

    /**
     * Validation-log rows; {@code licenseKey} as typed (case and dashes ignored) matches the rows of
     * that license, and the attempts with that exact key when no license has it.
     */
    public PageResponse<ValidationEntry> validations(
            @Nullable String licenseKey, @Nullable String since, PageResponse.Paging paging) {
        List<Problems.FieldError> errors = new ArrayList<>();
        licenseKey = text(licenseKey, "license_key", 128, errors);
        Instant from = instant(since, errors);
        if (!errors.isEmpty()) {
            throw JsonFields.invalid(errors);
        }
        List<String> clauses = new ArrayList<>();
        Map<String, Object> params = new HashMap<>();
        if (licenseKey != null) {
            String compact = LicenseKeyFormat.compact(licenseKey);
            List<Long> ids = jdbc.sql("SELECT id FROM licenses WHERE key_lookup = ?")
                    .param(compact)
                    .query(Long.class)
                    .list();
            if (ids.isEmpty()) {
                clauses.add("license_id IS NULL AND license_key = :key");
                // The log keeps the key as sent, cut to 64 characters.
                params.put("key", dev.licensor.server.support.RequestInfo.clean(licenseKey, 64));
            } else {
                clauses.add("license_id = :licenseId");
                params.put("licenseId", ids.getFirst());
            }
        }
        if (from != null) {
            clauses.add("at >= :since");
            params.put("since", Db.ts(from));
        }
        String where = clauses.isEmpty() ? "" : " WHERE " + String.join(" AND ", clauses);
        // The log holds a row per client decision for 90 days, possibly hundreds of millions:
        // counting them all would take seconds to minutes per page, so the count is capped.
        params.put("countLimit", paging.countLimit());
        long counted = jdbc.sql("SELECT COUNT(*) FROM (SELECT 1 FROM validation_log" + where + " LIMIT :countLimit) c")
                .params(params)
                .query(Long.class)
                .single();
        params.put("limit", paging.size());
        params.put("offset", paging.offset());
        List<ValidationEntry> items = jdbc.sql(
                        """
                        SELECT id, at, product_id, license_id, license_key, action, result_code, ip, user_agent,
                            hardware_hash, version
                        FROM validation_log"""
                                + where + " ORDER BY at DESC, id DESC LIMIT :limit OFFSET :offset")
                .params(params)
                .query((rs, n) -> new ValidationEntry(
                        rs.getLong("id"),
                        Db.instant(rs, "at"),
                        Db.bigint(rs, "product_id"),
                        Db.bigint(rs, "license_id"),
                        rs.getString("license_key"),
                        rs.getString("action"),
                        rs.getString("result_code"),
                        rs.getString("ip"),
                        rs.getString("user_agent"),
                        rs.getString("hardware_hash"),
                        rs.getString("version")))
                .list();
        return PageResponse.counted(items, paging, counted);
    }

    private AuditEntry audit(ResultSet rs, int row) throws SQLException {
        return new AuditEntry(
                rs.getLong("id"),
                Db.instant(rs, "at"),
                rs.getString("actor"),
                rs.getString("action"),
                rs.getString("entity_type"),
                rs.getString("entity_id"),
                tree(rs.getString("old_value")),
                tree(rs.getString("new_value")),
                rs.getString("ip"),
                rs.getString("user_agent"));
    }

    private @Nullable JsonNode tree(@Nullable String value) {
        if (value == null) {
            return null;
        }
        try {
            return json.readTree(value);
        } catch (RuntimeException e) {
            return json.getNodeFactory().stringNode(value);
        }
    }

    private static @Nullable String text(
            @Nullable String value, String field, int max, List<Problems.FieldError> errors) {
        if (value == null || value.isBlank()) {
            return null;
        }
        if (value.length() > max) {
            errors.add(new Problems.FieldError(field, "at most " + max + " characters"));
        } else if (!SafeStrings.isSafe(value)) {
            errors.add(new Problems.FieldError(field, "contains characters that are not allowed"));
        }
        return value.strip();
    }

    private static @Nullable Instant instant(@Nullable String since, List<Problems.FieldError> errors) {
        if (since == null || since.isBlank()) {
            return null;
        }
        try {
            return Instant.parse(since.strip());
        } catch (DateTimeParseException e) {
            errors.add(new Problems.FieldError("since", "must be an ISO 8601 instant such as 2026-11-23T12:00:00Z"));
            return null;
        }
    }
}
