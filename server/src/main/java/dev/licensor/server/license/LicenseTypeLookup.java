package dev.licensor.server.license;

import dev.licensor.server.support.Db;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.jspecify.annotations.Nullable;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.jdbc.support.GeneratedKeyHolder;
import org.springframework.stereotype.Repository;

/** Reads and writes license types (the presets new licenses start from). */
@Repository
class LicenseTypeLookup {
    private static final String COLUMNS =
            """
            id, product_id, name, duration_days, expiration_basis, device_limit,
                concurrent_sessions_limit, features, single_use, domains, ipv4_addresses, phone_numbers,
                created_at, updated_at""";

    private final JdbcClient jdbc;

    LicenseTypeLookup(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    Optional<LicenseType> find(long id) {
        return jdbc.sql("SELECT " + COLUMNS + " FROM license_types WHERE id = ?")
                .param(id)
                .query(LicenseTypeLookup::map)
                .optional();
    }

    Optional<LicenseType> lock(long id) {
        return jdbc.sql("SELECT " + COLUMNS + " FROM license_types WHERE id = ? FOR UPDATE")
                .param(id)
                .query(LicenseTypeLookup::map)
                .optional();
    }

    List<LicenseType> list(@Nullable Long productId, int offset, int limit) {
        var spec = jdbc.sql("SELECT " + COLUMNS + " FROM license_types"
                + (productId == null ? "" : " WHERE product_id = :productId")
                + " ORDER BY product_id, name, id LIMIT :limit OFFSET :offset");
        if (productId != null) {
            spec = spec.param("productId", productId);
        }
        return spec.param("limit", limit)
                .param("offset", offset)
                .query(LicenseTypeLookup::map)
                .list();
    }

    long count(@Nullable Long productId) {
        var spec = jdbc.sql(
                "SELECT COUNT(*) FROM license_types" + (productId == null ? "" : " WHERE product_id = :productId"));
        if (productId != null) {
            spec = spec.param("productId", productId);
        }
        return spec.query(Long.class).single();
    }

    long insert(LicenseType t) {
        GeneratedKeyHolder keys = new GeneratedKeyHolder();
        jdbc.sql(
                        """
                        INSERT INTO license_types (product_id, name, duration_days, expiration_basis, device_limit,
                            concurrent_sessions_limit, features, single_use, domains, ipv4_addresses, phone_numbers,
                            created_at, updated_at)
                        VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)""")
                .params(
                        t.productId(),
                        t.name(),
                        t.durationDays(),
                        t.expirationBasis().name(),
                        t.deviceLimit(),
                        t.concurrentSessionsLimit(),
                        Features.write(t.features()),
                        t.singleUse(),
                        t.domains(),
                        t.ipv4Addresses(),
                        t.phoneNumbers(),
                        Db.ts(t.createdAt()),
                        Db.ts(t.updatedAt()))
                .update(keys, "id");
        return keys.getKeyAs(Long.class);
    }

    void update(LicenseType t) {
        jdbc.sql(
                        """
                        UPDATE license_types SET name = ?, duration_days = ?, expiration_basis = ?, device_limit = ?,
                            concurrent_sessions_limit = ?, features = ?, single_use = ?, domains = ?,
                            ipv4_addresses = ?, phone_numbers = ?, updated_at = ?
                        WHERE id = ?""")
                .params(
                        t.name(),
                        t.durationDays(),
                        t.expirationBasis().name(),
                        t.deviceLimit(),
                        t.concurrentSessionsLimit(),
                        Features.write(t.features()),
                        t.singleUse(),
                        t.domains(),
                        t.ipv4Addresses(),
                        t.phoneNumbers(),
                        Db.ts(t.updatedAt()),
                        t.id())
                .update();
    }

    /** Whether another type of the product already has this name (names are unique per product). */
    boolean nameTaken(long productId, String name, long exceptId) {
        return jdbc.sql("SELECT COUNT(*) FROM license_types WHERE product_id = ? AND name = ? AND id <> ?")
                        .params(productId, name, exceptId)
                        .query(Long.class)
                        .single()
                > 0;
    }

    long countLicenses(long id) {
        return jdbc.sql("SELECT COUNT(*) FROM licenses WHERE license_type_id = ?")
                .param(id)
                .query(Long.class)
                .single();
    }

    /** Removes the type from its licenses, which keep their own limits, expiry and features. */
    int detachLicenses(long id, Instant now) {
        return jdbc.sql("UPDATE licenses SET license_type_id = NULL, updated_at = ? WHERE license_type_id = ?")
                .params(Db.ts(now), id)
                .update();
    }

    void delete(long id) {
        jdbc.sql("DELETE FROM license_types WHERE id = ?").param(id).update();
    }

    static LicenseType map(ResultSet rs, int row) throws SQLException {
        return new LicenseType(
                rs.getLong("id"),
                rs.getLong("product_id"),
                rs.getString("name"),
                Db.integer(rs, "duration_days"),
                ExpirationBasis.valueOf(rs.getString("expiration_basis")),
                rs.getInt("device_limit"),
                rs.getInt("concurrent_sessions_limit"),
                Features.read(rs.getString("features")),
                rs.getBoolean("single_use"),
                rs.getInt("domains"),
                rs.getInt("ipv4_addresses"),
                rs.getInt("phone_numbers"),
                Db.instant(rs, "created_at"),
                Db.instant(rs, "updated_at"));
    }
}
