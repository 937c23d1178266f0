package dev.licensor.server.product;

import dev.licensor.server.support.Db;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import javax.sql.DataSource;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.jdbc.support.GeneratedKeyHolder;
import org.springframework.stereotype.Repository;

@Repository
class ProductRepository {
    private static final String COLUMNS =
            """
            id, name, key_prefix, current_version, minimum_version, download_url, whats_new, released_at,
            heartbeat_interval, session_timeout, offline_grace_days, expiry_grace_days,
            auto_activate_on_session, require_signed_requests, max_deactivations_per_30_days,
            created_at, updated_at""";

    private final JdbcClient jdbc;
    private final String shareLock;

    ProductRepository(JdbcClient jdbc, DataSource dataSource) {
        this.jdbc = jdbc;
        // Issuing licenses only needs the row not to change: on PostgreSQL any number of issuers
        // share the lock (a change waits for them all). H2 has no shared row lock, so issuers of one
        // product take turns there, as they already do for the resource pool.
        this.shareLock = Db.postgres(dataSource) ? "FOR SHARE" : "FOR UPDATE";
    }

    long insert(Product p) {
        GeneratedKeyHolder keys = new GeneratedKeyHolder();
        jdbc.sql(
                        """
                        INSERT INTO products (name, key_prefix, current_version, minimum_version, download_url,
                            whats_new, released_at, heartbeat_interval, session_timeout, offline_grace_days,
                            expiry_grace_days, auto_activate_on_session, require_signed_requests,
                            max_deactivations_per_30_days, created_at, updated_at)
                        VALUES (:name, :prefix, :current, :minimum, :download, :whatsNew, :releasedAt, :heartbeat,
                            :timeout, :offlineGrace, :expiryGrace, :autoActivate, :signed, :maxDeactivations,
                            :createdAt, :updatedAt)""")
                .params(params(p))
                .update(keys, "id");
        return keys.getKeyAs(Long.class);
    }

    void update(Product p) {
        jdbc.sql(
                        """
                        UPDATE products SET name = :name, key_prefix = :prefix, current_version = :current,
                            minimum_version = :minimum,
                            download_url = :download, whats_new = :whatsNew, released_at = :releasedAt,
                            heartbeat_interval = :heartbeat, session_timeout = :timeout,
                            offline_grace_days = :offlineGrace, expiry_grace_days = :expiryGrace,
                            auto_activate_on_session = :autoActivate, require_signed_requests = :signed,
                            max_deactivations_per_30_days = :maxDeactivations, updated_at = :updatedAt
                        WHERE id = :id""")
                .params(params(p))
                .param("id", p.id())
                .update();
    }

    Optional<Product> find(long id) {
        return jdbc.sql("SELECT " + COLUMNS + " FROM products WHERE id = ?")
                .param(id)
                .query(ProductRepository::map)
                .optional();
    }

    /** The product with its row locked against every other lock until the transaction ends. */
    Optional<Product> lock(long id) {
        return jdbc.sql("SELECT " + COLUMNS + " FROM products WHERE id = ? FOR UPDATE")
                .param(id)
                .query(ProductRepository::map)
                .optional();
    }

    /** The product with its row locked against changes, but where possible not against other issuers. */
    Optional<Product> lockShared(long id) {
        return jdbc.sql("SELECT " + COLUMNS + " FROM products WHERE id = ? " + shareLock)
                .param(id)
                .query(ProductRepository::map)
                .optional();
    }

    List<Product> list(int offset, int limit) {
        return jdbc.sql("SELECT " + COLUMNS + " FROM products ORDER BY id LIMIT ? OFFSET ?")
                .param(limit)
                .param(offset)
                .query(ProductRepository::map)
                .list();
    }

    long count() {
        return jdbc.sql("SELECT COUNT(*) FROM products").query(Long.class).single();
    }

    boolean hasLicenses(long id) {
        return countLicenses(id) > 0;
    }

    long countLicenses(long id) {
        return jdbc.sql("SELECT COUNT(*) FROM licenses WHERE product_id = ?")
                .param(id)
                .query(Long.class)
                .single();
    }

    void delete(long id) {
        jdbc.sql("DELETE FROM products WHERE id = ?").param(id).update();
    }

    private static java.util.Map<String, Object> params(Product p) {
        java.util.Map<String, Object> m = new java.util.HashMap<>();
        m.put("name", p.name());
        m.put("prefix", p.keyPrefix());
        m.put("current", p.currentVersion());
        m.put("minimum", p.minimumVersion());
        m.put("download", p.downloadUrl());
        m.put("whatsNew", p.whatsNew());
        m.put("releasedAt", Db.ts(p.releasedAt()));
        m.put("heartbeat", p.heartbeatInterval());
        m.put("timeout", p.sessionTimeout());
        m.put("offlineGrace", p.offlineGraceDays());
        m.put("expiryGrace", p.expiryGraceDays());
        m.put("autoActivate", p.autoActivateOnSession());
        m.put("signed", p.requireSignedRequests());
        m.put("maxDeactivations", p.maxDeactivationsPer30Days());
        m.put("createdAt", Db.ts(p.createdAt()));
        m.put("updatedAt", Db.ts(p.updatedAt()));
        return m;
    }

    static Product map(ResultSet rs, int row) throws SQLException {
        Instant created = Db.instant(rs, "created_at");
        Instant updated = Db.instant(rs, "updated_at");
        return new Product(
                rs.getLong("id"),
                rs.getString("name"),
                rs.getString("key_prefix"),
                rs.getString("current_version"),
                rs.getString("minimum_version"),
                rs.getString("download_url"),
                rs.getString("whats_new"),
                Db.instant(rs, "released_at"),
                rs.getInt("heartbeat_interval"),
                rs.getInt("session_timeout"),
                rs.getInt("offline_grace_days"),
                rs.getInt("expiry_grace_days"),
                rs.getBoolean("auto_activate_on_session"),
                rs.getBoolean("require_signed_requests"),
                Db.integer(rs, "max_deactivations_per_30_days"),
                created == null ? Instant.EPOCH : created,
                updated == null ? Instant.EPOCH : updated);
    }
}
