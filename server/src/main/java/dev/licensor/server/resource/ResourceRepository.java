package dev.licensor.server.resource;

import dev.licensor.server.support.Db;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import javax.sql.DataSource;
import org.jspecify.annotations.Nullable;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.jdbc.support.GeneratedKeyHolder;
import org.springframework.stereotype.Repository;

/** The pool's rows and their allocation history. Status changes are written only here. */
@Repository
class ResourceRepository {
    private static final String SELECT =
            """
            SELECT r.id, r.kind, r.identifier, r.status, r.license_id, l.license_key, r.quarantined_until, r.notes,
                r.created_at, r.updated_at
            FROM resources r LEFT JOIN licenses l ON l.id = r.license_id""";

    private static final String HISTORY_COLUMNS =
            """
            id, resource_id, kind, identifier, license_id, license_key, allocated_at, allocated_by, released_at,
                released_by, release_reason""";

    private final JdbcClient jdbc;
    private final JdbcTemplate template;
    private final String claimLock;

    ResourceRepository(JdbcClient jdbc, JdbcTemplate template, DataSource dataSource) {
        this.jdbc = jdbc;
        this.template = template;
        // PostgreSQL skips rows another creation is claiming. H2 applies the LIMIT before it skips
        // locked rows (a claim would find nothing while another is in flight), but a plain FOR
        // UPDATE there waits and then re-reads the rows, skipping those taken meanwhile.
        this.claimLock = Db.postgres(dataSource) ? "FOR UPDATE SKIP LOCKED" : "FOR UPDATE";
    }

    /** Filters of the list; null means "any". */
    record Filter(
            @Nullable ResourceKind kind,
            @Nullable ResourceStatus status,
            @Nullable Long licenseId,
            @Nullable String search) {}

    /** One allocation to make: this resource to this license. */
    record Grant(long resourceId, ResourceKind kind, String value, long licenseId, String licenseKey) {}

    Optional<Resource> find(long id) {
        return jdbc.sql(SELECT + " WHERE r.id = ?")
                .param(id)
                .query(ResourceRepository::map)
                .optional();
    }

    /** The resource row locked for the rest of the transaction (license key not read). */
    Optional<Resource> lock(long id) {
        return jdbc.sql(
                        """
                        SELECT id, kind, identifier, status, license_id, NULL AS license_key, quarantined_until, notes,
                            created_at, updated_at
                        FROM resources WHERE id = ? FOR UPDATE""")
                .param(id)
                .query(ResourceRepository::map)
                .optional();
    }

    boolean exists(ResourceKind kind, String value, long exceptId) {
        return jdbc.sql("SELECT COUNT(*) FROM resources WHERE kind = ? AND identifier = ? AND id <> ?")
                        .params(kind.name(), value, exceptId)
                        .query(Long.class)
                        .single()
                > 0;
    }

    /** Which of these values of a kind are already in the pool. */
    List<String> existing(ResourceKind kind, List<String> values) {
        List<String> found = new ArrayList<>();
        for (int from = 0; from < values.size(); from += 500) {
            List<String> chunk = values.subList(from, Math.min(values.size(), from + 500));
            found.addAll(jdbc.sql("SELECT identifier FROM resources WHERE kind = :kind AND identifier IN (:values)")
                    .param("kind", kind.name())
                    .param("values", chunk)
                    .query(String.class)
                    .list());
        }
        return found;
    }

    long insert(ResourceKind kind, String value, @Nullable String notes, Instant now) {
        GeneratedKeyHolder keys = new GeneratedKeyHolder();
        jdbc.sql(
                        """
                        INSERT INTO resources (kind, identifier, status, notes, created_at, updated_at)
                        VALUES (?, ?, 'AVAILABLE', ?, ?, ?)""")
                .params(kind.name(), value, notes, Db.ts(now), Db.ts(now))
                .update(keys, "id");
        return keys.getKeyAs(Long.class);
    }

    void insertAll(ResourceKind kind, List<String> values, Instant now) {
        template.batchUpdate(
                """
                INSERT INTO resources (kind, identifier, status, created_at, updated_at)
                VALUES (?, ?, 'AVAILABLE', ?, ?)""",
                values,
                500,
                (ps, value) -> {
                    ps.setString(1, kind.name());
                    ps.setString(2, value);
                    ps.setObject(3, Db.ts(now));
                    ps.setObject(4, Db.ts(now));
                });
    }

    void update(long id, String value, @Nullable String notes, Instant now) {
        jdbc.sql("UPDATE resources SET identifier = ?, notes = ?, updated_at = ? WHERE id = ?")
                .params(value, notes, Db.ts(now), id)
                .update();
    }

    void delete(long id) {
        jdbc.sql("DELETE FROM resources WHERE id = ?").param(id).update();
    }

    List<Resource> list(Filter filter, int offset, int limit) {
        Where where = where(filter);
        var spec = jdbc.sql(SELECT + where.sql + " ORDER BY r.kind, r.identifier, r.id LIMIT :limit OFFSET :offset");
        for (int i = 0; i < where.values.size(); i++) {
            spec = spec.param(where.names.get(i), where.values.get(i));
        }
        return spec.param("limit", limit)
                .param("offset", offset)
                .query(ResourceRepository::map)
                .list();
    }

    long count(Filter filter) {
        Where where = where(filter);
        var spec = jdbc.sql("SELECT COUNT(*) FROM resources r" + where.sql);
        for (int i = 0; i < where.values.size(); i++) {
            spec = spec.param(where.names.get(i), where.values.get(i));
        }
        return spec.query(Long.class).single();
    }

    private record Where(String sql, List<String> names, List<Object> values) {}

    private static Where where(Filter filter) {
        List<String> conditions = new ArrayList<>();
        List<String> names = new ArrayList<>();
        List<Object> values = new ArrayList<>();
        if (filter.kind() != null) {
            conditions.add("r.kind = :kind");
            names.add("kind");
            values.add(filter.kind().name());
        }
        if (filter.status() != null) {
            conditions.add("r.status = :status");
            names.add("status");
            values.add(filter.status().name());
        }
        if (filter.licenseId() != null) {
            conditions.add("r.license_id = :licenseId");
            names.add("licenseId");
            values.add(filter.licenseId());
        }
        if (filter.search() != null) {
            // Values are stored in lower case; notes are searched without regard to case.
            conditions.add("(r.identifier LIKE :search ESCAPE '\\' OR LOWER(r.notes) LIKE :search ESCAPE '\\')");
            names.add("search");
            values.add("%" + like(filter.search().toLowerCase(java.util.Locale.ROOT)) + "%");
        }
        return new Where(conditions.isEmpty() ? "" : " WHERE " + String.join(" AND ", conditions), names, values);
    }

    private static String like(String text) {
        return text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_");
    }

    /** The resources allocated to a license. */
    List<Resource> ofLicense(long licenseId) {
        return jdbc.sql(SELECT + " WHERE r.license_id = ? ORDER BY r.kind, r.identifier")
                .param(licenseId)
                .query(ResourceRepository::map)
                .list();
    }

    /**
     * Claims up to {@code count} available resources of a kind, in id order, locking them. On
     * PostgreSQL rows another transaction is claiming are skipped, not waited for: two creations
     * running at once never get the same resource, and neither waits for the other (on H2, the
     * embedded single instance, the second waits for the first).
     */
    List<Resource> claim(ResourceKind kind, int count) {
        return jdbc.sql(
                        """
                        SELECT id, kind, identifier, status, license_id, NULL AS license_key, quarantined_until, notes,
                            created_at, updated_at
                        FROM resources WHERE kind = ? AND status = 'AVAILABLE'
                        ORDER BY id LIMIT ?"""
                                + " "
                                + claimLock)
                .params(kind.name(), count)
                .query(ResourceRepository::map)
                .list();
    }

    long countAvailable(ResourceKind kind) {
        return jdbc.sql("SELECT COUNT(*) FROM resources WHERE kind = ? AND status = 'AVAILABLE'")
                .param(kind.name())
                .query(Long.class)
                .single();
    }

    /** Allocates each granted resource to its license and opens its history row. */
    void allocate(List<Grant> grants, String actor, Instant now) {
        template.batchUpdate(
                """
                UPDATE resources SET status = 'ALLOCATED', license_id = ?, quarantined_until = NULL, updated_at = ?
                WHERE id = ?""",
                grants,
                500,
                (ps, g) -> {
                    ps.setLong(1, g.licenseId());
                    ps.setObject(2, Db.ts(now));
                    ps.setLong(3, g.resourceId());
                });
        template.batchUpdate(
                """
                INSERT INTO resource_allocations (resource_id, kind, identifier, license_id, license_key, allocated_at,
                    allocated_by)
                VALUES (?, ?, ?, ?, ?, ?, ?)""",
                grants,
                500,
                (ps, g) -> {
                    ps.setLong(1, g.resourceId());
                    ps.setString(2, g.kind().name());
                    ps.setString(3, g.value());
                    ps.setLong(4, g.licenseId());
                    ps.setString(5, g.licenseKey());
                    ps.setObject(6, Db.ts(now));
                    ps.setString(7, actor);
                });
    }

    /** Releases one resource into quarantine and closes its open history row. */
    void release(long resourceId, Instant until, String reason, String actor, Instant now) {
        releaseWhere("resource_id", "id", resourceId, until, reason, actor, now);
    }

    /** Releases every resource of a license into quarantine and closes their history rows. */
    void releaseAll(long licenseId, Instant until, String reason, String actor, Instant now) {
        releaseWhere("license_id", "license_id", licenseId, until, reason, actor, now);
    }

    private void releaseWhere(
            String historyColumn,
            String resourceColumn,
            long id,
            Instant until,
            String reason,
            String actor,
            Instant now) {
        jdbc.sql("UPDATE resource_allocations SET released_at = ?, released_by = ?, release_reason = ? WHERE "
                        + historyColumn + " = ? AND released_at IS NULL")
                .params(Db.ts(now), actor, reason, id)
                .update();
        jdbc.sql("UPDATE resources SET status = 'QUARANTINED', license_id = NULL, quarantined_until = ?,"
                        + " updated_at = ? WHERE " + resourceColumn + " = ?")
                .params(Db.ts(until), Db.ts(now), id)
                .update();
    }

    void quarantine(long id, Instant until, Instant now) {
        jdbc.sql("UPDATE resources SET status = 'QUARANTINED', quarantined_until = ?, updated_at = ? WHERE id = ?")
                .params(Db.ts(until), Db.ts(now), id)
                .update();
    }

    void makeAvailable(long id, Instant now) {
        jdbc.sql("UPDATE resources SET status = 'AVAILABLE', quarantined_until = NULL, updated_at = ? WHERE id = ?")
                .params(Db.ts(now), id)
                .update();
    }

    /** Returns the resources whose quarantine has passed to the pool; how many. */
    int endQuarantines(Instant now) {
        return jdbc.sql(
                        """
                        UPDATE resources SET status = 'AVAILABLE', quarantined_until = NULL, updated_at = ?
                        WHERE status = 'QUARANTINED' AND quarantined_until <= ?""")
                .params(Db.ts(now), Db.ts(now))
                .update();
    }

    /** A resource's allocations, newest first. */
    List<Allocation> history(long resourceId, int offset, int limit) {
        return jdbc.sql("SELECT " + HISTORY_COLUMNS
                        + " FROM resource_allocations WHERE resource_id = ? ORDER BY allocated_at DESC, id DESC"
                        + " LIMIT ? OFFSET ?")
                .params(resourceId, limit, offset)
                .query(ResourceRepository::mapAllocation)
                .list();
    }

    long countHistory(long resourceId) {
        return jdbc.sql("SELECT COUNT(*) FROM resource_allocations WHERE resource_id = ?")
                .param(resourceId)
                .query(Long.class)
                .single();
    }

    static Resource map(ResultSet rs, int row) throws SQLException {
        return new Resource(
                rs.getLong("id"),
                ResourceKind.valueOf(rs.getString("kind")),
                rs.getString("identifier"),
                ResourceStatus.valueOf(rs.getString("status")),
                Db.bigint(rs, "license_id"),
                rs.getString("license_key"),
                Db.instant(rs, "quarantined_until"),
                rs.getString("notes"),
                Db.instant(rs, "created_at"),
                Db.instant(rs, "updated_at"));
    }

    static Allocation mapAllocation(ResultSet rs, int row) throws SQLException {
        return new Allocation(
                rs.getLong("id"),
                Db.bigint(rs, "resource_id"),
                ResourceKind.valueOf(rs.getString("kind")),
                rs.getString("identifier"),
                rs.getLong("license_id"),
                rs.getString("license_key"),
                Db.instant(rs, "allocated_at"),
                rs.getString("allocated_by"),
                Db.instant(rs, "released_at"),
                rs.getString("released_by"),
                rs.getString("release_reason"));
    }
}
