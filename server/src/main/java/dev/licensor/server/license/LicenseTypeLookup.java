package dev.licensor.server.license;

import dev.licensor.server.support.Db;
import java.util.Optional;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

/** Reads license types (the presets new licenses start from). */
@Repository
class LicenseTypeLookup {
    private final JdbcClient jdbc;

    LicenseTypeLookup(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    Optional<LicenseType> find(long id) {
        return jdbc.sql(
                        """
                        SELECT id, product_id, name, duration_days, expiration_basis, device_limit,
                            concurrent_sessions_limit, features, single_use, created_at, updated_at
                        FROM license_types WHERE id = ?""")
                .param(id)
                .query((rs, n) -> new LicenseType(
                        rs.getLong("id"),
                        rs.getLong("product_id"),
                        rs.getString("name"),
                        Db.integer(rs, "duration_days"),
                        ExpirationBasis.valueOf(rs.getString("expiration_basis")),
                        rs.getInt("device_limit"),
                        rs.getInt("concurrent_sessions_limit"),
                        Features.read(rs.getString("features")),
                        rs.getBoolean("single_use"),
                        Db.instant(rs, "created_at"),
                        Db.instant(rs, "updated_at")))
                .optional();
    }
}
