package dev.licensor.server.license;

import dev.licensor.server.support.Db;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.jspecify.annotations.Nullable;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.jdbc.support.GeneratedKeyHolder;
import org.springframework.stereotype.Repository;

@Repository
class LicenseRepository {
    static final String COLUMNS =
            """
            l.id, l.license_key, l.key_lookup, l.product_id, l.customer_id, l.license_type_id, l.status,
            l.valid_from, l.expires_at, l.duration_days, l.expiration_basis, l.device_limit,
            l.concurrent_sessions_limit, l.features, l.single_use, l.legacy, l.batch_id, l.notes, l.suspicious,
            l.suspicious_reason, l.activated_at, l.created_at, l.updated_at""";

    private static final String INSERT =
            """
            INSERT INTO licenses (license_key, key_lookup, product_id, customer_id, license_type_id, status, valid_from,
                expires_at, duration_days, expiration_basis, device_limit, concurrent_sessions_limit, features,
                single_use, legacy, batch_id, notes, suspicious, suspicious_reason, activated_at, created_at, updated_at)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)""";

    private final JdbcClient jdbc;
    private final JdbcTemplate template;

    LicenseRepository(JdbcClient jdbc, JdbcTemplate template) {
        this.jdbc = jdbc;
        this.template = template;
    }

    /** Locks the license row for the rest of the transaction: every limit is decided under it. */
    Optional<License> lock(long productId, String keyLookup, boolean legacy) {
        return jdbc.sql("SELECT " + COLUMNS + " FROM licenses l WHERE l.product_id = ? AND l.key_lookup = ?"
                        + (legacy ? " AND l.legacy = TRUE" : "") + " FOR UPDATE")
                .params(productId, keyLookup)
                .query(LicenseRepository::map)
                .optional();
    }

    Optional<License> lockById(long id) {
        return jdbc.sql("SELECT " + COLUMNS + " FROM licenses l WHERE l.id = ? FOR UPDATE")
                .param(id)
                .query(LicenseRepository::map)
                .optional();
    }

    Optional<License> find(long productId, String keyLookup, boolean legacy) {
        return jdbc.sql("SELECT " + COLUMNS + " FROM licenses l WHERE l.product_id = ? AND l.key_lookup = ?"
                        + (legacy ? " AND l.legacy = TRUE" : ""))
                .params(productId, keyLookup)
                .query(LicenseRepository::map)
                .optional();
    }

    /** What a verify needs of a license, read by one statement: {@link #findForVerify}. */
    record ForVerify(License license, LicenseViews.Names names, int liveSessions, @Nullable Device device) {}

    /**
     * A license by key with its view's names, device count and live-session count and, when
     * {@code hardwareHash} is given, its device of that hash: one statement, so one snapshot and one
     * round trip without a transaction. {@code liveSessions} is the sub-query of
     * {@link LiveSessions#countSubquery}, evaluated at {@code now}.
     */
    Optional<ForVerify> findForVerify(
            long productId,
            String keyLookup,
            boolean legacy,
            @Nullable String hardwareHash,
            String liveSessions,
            Instant now) {
        return jdbc.sql("SELECT " + COLUMNS + ", " + LicenseViews.NAME_COLUMNS + ", " + liveSessions
                        + " AS live_sessions, " + DeviceRepository.aliasedColumns("dv")
                        + " FROM licenses l " + LicenseViews.NAME_JOINS
                        + " LEFT JOIN devices dv ON dv.license_id = l.id AND dv.hardware_hash = ?"
                        + " WHERE l.product_id = ? AND l.key_lookup = ?"
                        + (legacy ? " AND l.legacy = TRUE" : ""))
                .params(Db.ts(now), hardwareHash, productId, keyLookup)
                .query((rs, n) -> new ForVerify(
                        map(rs, n),
                        LicenseViews.mapNames(rs),
                        rs.getInt("live_sessions"),
                        DeviceRepository.mapPrefixed(rs, "dv")))
                .optional();
    }

    Optional<License> findByLookup(String keyLookup) {
        return jdbc.sql("SELECT " + COLUMNS + " FROM licenses l WHERE l.key_lookup = ?")
                .param(keyLookup)
                .query(LicenseRepository::map)
                .optional();
    }

    Optional<License> findById(long id) {
        return jdbc.sql("SELECT " + COLUMNS + " FROM licenses l WHERE l.id = ?")
                .param(id)
                .query(LicenseRepository::map)
                .optional();
    }

    /**
     * ACTIVE licenses of the products whose expiry lies in ({@code from}, {@code to}], soonest first,
     * after the license {@code afterId} when it expires at {@code from} (keyset paging).
     */
    List<License> expiring(java.util.Collection<Long> productIds, Instant from, long afterId, Instant to, int limit) {
        if (productIds.isEmpty()) {
            return List.of();
        }
        return jdbc.sql("SELECT " + COLUMNS
                        + " FROM licenses l WHERE (l.expires_at > :from OR (l.expires_at = :from AND l.id > :afterId))"
                        + " AND l.expires_at <= :to"
                        + " AND l.status = 'ACTIVE' AND l.product_id IN (:products) ORDER BY l.expires_at, l.id"
                        + " LIMIT :limit")
                .param("from", Db.ts(from))
                .param("afterId", afterId)
                .param("to", Db.ts(to))
                .param("products", List.copyOf(productIds))
                .param("limit", limit)
                .query(LicenseRepository::map)
                .list();
    }

    boolean lookupExists(String keyLookup) {
        return jdbc.sql("SELECT COUNT(*) FROM licenses WHERE key_lookup = ?")
                        .param(keyLookup)
                        .query(Long.class)
                        .single()
                > 0;
    }

    long insert(License l) {
        GeneratedKeyHolder keys = new GeneratedKeyHolder();
        jdbc.sql(INSERT).params(values(l)).update(keys, "id");
        return keys.getKeyAs(Long.class);
    }

    /** Inserts many licenses in JDBC batches, inside the caller's transaction. */
    void insertAll(List<License> licenses) {
        template.batchUpdate(INSERT, licenses, 500, (ps, l) -> {
            List<Object> v = values(l);
            for (int i = 0; i < v.size(); i++) {
                ps.setObject(i + 1, v.get(i));
            }
        });
    }

    /** The licenses of a batch, by id. */
    List<LicensesIssued.Issued> issuedInBatch(String batchId) {
        return jdbc.sql("SELECT id, license_key FROM licenses WHERE batch_id = ? ORDER BY id")
                .param(batchId)
                .query((rs, n) -> new LicensesIssued.Issued(rs.getLong("id"), rs.getString("license_key")))
                .list();
    }

    void update(License l) {
        jdbc.sql(
                        """
                        UPDATE licenses SET customer_id = ?, license_type_id = ?, status = ?, valid_from = ?,
                            expires_at = ?, duration_days = ?, expiration_basis = ?, device_limit = ?,
                            concurrent_sessions_limit = ?, features = ?, single_use = ?, notes = ?, suspicious = ?,
                            suspicious_reason = ?, activated_at = ?, updated_at = ?
                        WHERE id = ?""")
                .params(
                        l.customerId(),
                        l.licenseTypeId(),
                        l.status().name(),
                        Db.ts(l.validFrom()),
                        Db.ts(l.expiresAt()),
                        l.durationDays(),
                        l.expirationBasis().name(),
                        l.deviceLimit(),
                        l.concurrentSessionsLimit(),
                        Features.write(l.features()),
                        l.singleUse(),
                        l.notes(),
                        l.suspicious(),
                        l.suspiciousReason(),
                        Db.ts(l.activatedAt()),
                        Db.ts(l.updatedAt()),
                        l.id())
                .update();
    }

    void markActivated(long id, Instant activatedAt, @Nullable Instant expiresAt) {
        jdbc.sql("UPDATE licenses SET activated_at = ?, expires_at = ?, updated_at = ? WHERE id = ?")
                .params(Db.ts(activatedAt), Db.ts(expiresAt), Db.ts(activatedAt), id)
                .update();
    }

    void delete(long id) {
        jdbc.sql("DELETE FROM license_deactivations WHERE license_id = ?")
                .param(id)
                .update();
        jdbc.sql("DELETE FROM devices WHERE license_id = ?").param(id).update();
        jdbc.sql("DELETE FROM licenses WHERE id = ?").param(id).update();
    }

    /** Filters of the admin list; null means "any". */
    record Filter(
            @Nullable Long productId,
            @Nullable String status,
            @Nullable Long customerId,
            @Nullable Long licenseTypeId,
            @Nullable Instant expiringBefore,
            @Nullable Boolean suspicious,
            @Nullable String batchId,
            @Nullable String query,
            Instant now) {}

    List<License> list(Filter filter, int offset, int limit) {
        Map<String, Object> params = new HashMap<>();
        String where = where(filter, params);
        params.put("limit", limit);
        params.put("offset", offset);
        return jdbc.sql("SELECT " + COLUMNS + " FROM licenses l" + where
                        + " ORDER BY l.created_at DESC, l.id DESC LIMIT :limit OFFSET :offset")
                .params(params)
                .query(LicenseRepository::map)
                .list();
    }

    long count(Filter filter) {
        Map<String, Object> params = new HashMap<>();
        return jdbc.sql("SELECT COUNT(*) FROM licenses l" + where(filter, params))
                .params(params)
                .query(Long.class)
                .single();
    }

    private static String where(Filter f, Map<String, Object> params) {
        List<String> clauses = new ArrayList<>();
        if (f.productId() != null) {
            clauses.add("l.product_id = :productId");
            params.put("productId", f.productId());
        }
        if (f.status() != null) {
            params.put("now", Db.ts(f.now()));
            switch (f.status()) {
                case "EXPIRED" -> clauses.add(LicenseSql.EXPIRED);
                case "ACTIVE" -> clauses.add(LicenseSql.ACTIVE);
                default -> {
                    clauses.add("l.status = :status");
                    params.put("status", f.status());
                }
            }
        }
        if (f.customerId() != null) {
            clauses.add("l.customer_id = :customerId");
            params.put("customerId", f.customerId());
        }
        if (f.licenseTypeId() != null) {
            clauses.add("l.license_type_id = :typeId");
            params.put("typeId", f.licenseTypeId());
        }
        if (f.expiringBefore() != null) {
            clauses.add("l.expires_at IS NOT NULL AND l.expires_at > :now2 AND l.expires_at <= :expiringBefore");
            params.put("now2", Db.ts(f.now()));
            params.put("expiringBefore", Db.ts(f.expiringBefore()));
        }
        if (f.suspicious() != null) {
            clauses.add("l.suspicious = :suspicious");
            params.put("suspicious", f.suspicious());
        }
        if (f.batchId() != null) {
            clauses.add("l.batch_id = :batchId");
            params.put("batchId", f.batchId());
        }
        if (f.query() != null) {
            clauses.add("(l.key_lookup LIKE :keyQuery OR LOWER(l.notes) LIKE :textQuery OR l.customer_id IN "
                    + "(SELECT c.id FROM customers c WHERE LOWER(c.name) LIKE :textQuery OR LOWER(c.email) LIKE :textQuery"
                    + " OR LOWER(c.company) LIKE :textQuery))");
            params.put(
                    "keyQuery",
                    like(f.query().toUpperCase(java.util.Locale.ROOT).replace("-", "")));
            params.put("textQuery", like(f.query().toLowerCase(java.util.Locale.ROOT)));
        }
        return clauses.isEmpty() ? "" : " WHERE " + String.join(" AND ", clauses);
    }

    private static String like(String text) {
        return "%" + text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%";
    }

    private static List<Object> values(License l) {
        List<Object> v = new ArrayList<>();
        v.add(l.licenseKey());
        v.add(l.keyLookup());
        v.add(l.productId());
        v.add(l.customerId());
        v.add(l.licenseTypeId());
        v.add(l.status().name());
        v.add(Db.ts(l.validFrom()));
        v.add(Db.ts(l.expiresAt()));
        v.add(l.durationDays());
        v.add(l.expirationBasis().name());
        v.add(l.deviceLimit());
        v.add(l.concurrentSessionsLimit());
        v.add(Features.write(l.features()));
        v.add(l.singleUse());
        v.add(l.legacy());
        v.add(l.batchId());
        v.add(l.notes());
        v.add(l.suspicious());
        v.add(l.suspiciousReason());
        v.add(Db.ts(l.activatedAt()));
        v.add(Db.ts(l.createdAt()));
        v.add(Db.ts(l.updatedAt()));
        return v;
    }

    static License map(ResultSet rs, int row) throws SQLException {
        return new License(
                rs.getLong("id"),
                rs.getString("license_key"),
                rs.getString("key_lookup"),
                rs.getLong("product_id"),
                Db.bigint(rs, "customer_id"),
                Db.bigint(rs, "license_type_id"),
                LicenseStatus.valueOf(rs.getString("status")),
                Db.instant(rs, "valid_from"),
                Db.instant(rs, "expires_at"),
                Db.integer(rs, "duration_days"),
                ExpirationBasis.valueOf(rs.getString("expiration_basis")),
                rs.getInt("device_limit"),
                rs.getInt("concurrent_sessions_limit"),
                Features.read(rs.getString("features")),
                rs.getBoolean("single_use"),
                rs.getBoolean("legacy"),
                rs.getString("batch_id"),
                rs.getString("notes"),
                rs.getBoolean("suspicious"),
                rs.getString("suspicious_reason"),
                Db.instant(rs, "activated_at"),
                Db.instant(rs, "created_at"),
                Db.instant(rs, "updated_at"));
    }
}
