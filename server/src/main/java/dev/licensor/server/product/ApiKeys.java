package dev.licensor.server.product;

import com.github.benmanes.caffeine.cache.LoadingCache;
import dev.licensor.protocol.ErrorCode;
import dev.licensor.server.audit.AuditLog;
import dev.licensor.server.security.Actor;
import dev.licensor.server.support.Db;
import dev.licensor.server.support.Hashes;
import dev.licensor.server.support.Refreshing;
import dev.licensor.server.support.SecretBox;
import dev.licensor.server.web.ApiException;
import dev.licensor.server.web.PageResponse;
import java.io.Serializable;
import java.security.SecureRandom;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.jspecify.annotations.Nullable;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.jdbc.support.GeneratedKeyHolder;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/**
 * A product's credentials for the client API. The key ({@code <PREFIX>-<YYYY>-<32 chars>}) and
 * the request-signing secret are shown once at creation; the key is stored as a SHA-256 hash and
 * the signing secret encrypted with the server secret. Look-ups are cached and re-read every 5 s
 * ({@link Refreshing}); a revocation takes effect at once on the instance that made it and within
 * 10 s elsewhere.
 */
@Service
public class ApiKeys {
    private static final String ALPHABET = "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789";
    /** How old a cached key may get before it is re-read (a revocation elsewhere shows within it). */
    private static final Duration REFRESH = Duration.ofSeconds(5);

    private static final String VIEW_COLUMNS = "id, product_id, key_hint, created_at, created_by, revoked_at";

    private final JdbcClient jdbc;
    private final SecretBox box;
    private final SecureRandom random;
    private final Clock clock;
    private final AuditLog audit;
    private final Products products;
    // Only keys that exist are cached: unknown keys are an attacker's input and must not fill memory.
    private final LoadingCache<String, Credential> cache =
            Refreshing.cache(REFRESH, REFRESH.multipliedBy(2), 10_000, this::load);

    ApiKeys(JdbcClient jdbc, SecretBox box, SecureRandom random, Clock clock, AuditLog audit, Products products) {
        this.jdbc = jdbc;
        this.box = box;
        this.random = random;
        this.clock = clock;
        this.audit = audit;
        this.products = products;
    }

    /** A client credential resolved from an {@code X-API-Key}. */
    public record Credential(long apiKeyId, long productId, String signingSecret) {}

    /** An API key as listed (never with its secret). */
    public record ApiKeyView(
            long id,
            long productId,
            String keyHint,
            Instant createdAt,
            String createdBy,
            @Nullable Instant revokedAt) {}

    /** A newly created key with both secrets, shown this once. */
    public record CreatedApiKey(long id, long productId, String apiKey, String signingSecret, Instant createdAt)
            implements Serializable {}

    @Transactional
    public CreatedApiKey create(long productId) {
        Product product = products.get(productId);
        Instant now = clock.instant();
        StringBuilder key = new StringBuilder(product.keyPrefix())
                .append('-')
                .append(now.atOffset(ZoneOffset.UTC).getYear())
                .append('-');
        for (int i = 0; i < 32; i++) {
            key.append(ALPHABET.charAt(random.nextInt(ALPHABET.length())));
        }
        byte[] secretBytes = new byte[32];
        random.nextBytes(secretBytes);
        String signingSecret = Base64.getUrlEncoder().withoutPadding().encodeToString(secretBytes);
        String apiKey = key.toString();
        GeneratedKeyHolder keys = new GeneratedKeyHolder();
        jdbc.sql(
                        """
                        INSERT INTO api_keys (product_id, key_hash, key_hint, signing_secret_enc, created_at, created_by)
                        VALUES (?, ?, ?, ?, ?, ?)""")
                .params(
                        productId,
                        Hashes.sha256Hex(apiKey),
                        apiKey.substring(0, apiKey.length() - 28) + "…",
                        box.encrypt(signingSecret),
                        Db.ts(now),
                        Actor.current().label())
                .update(keys, "id");
        long id = keys.getKeyAs(Long.class);
        audit.record("api_key.create", "api_key", id, null, Map.of("product_id", productId));
        return new CreatedApiKey(id, productId, apiKey, signingSecret, now);
    }

    /** Every key of the product, oldest first (revoked ones included). */
    @Transactional(readOnly = true)
    public List<ApiKeyView> list(long productId) {
        products.get(productId);
        return jdbc.sql("SELECT " + VIEW_COLUMNS + " FROM api_keys WHERE product_id = ? ORDER BY id")
                .param(productId)
                .query(ApiKeys::view)
                .list();
    }

    /** One page of the product's keys, oldest first (revoked ones included). */
    @Transactional(readOnly = true)
    public PageResponse<ApiKeyView> list(long productId, PageResponse.Paging paging) {
        products.get(productId);
        List<ApiKeyView> page = jdbc.sql(
                        "SELECT " + VIEW_COLUMNS + " FROM api_keys WHERE product_id = ? ORDER BY id LIMIT ? OFFSET ?")
                .params(productId, paging.size(), paging.offset())
                .query(ApiKeys::view)
                .list();
        long total = jdbc.sql("SELECT COUNT(*) FROM api_keys WHERE product_id = ?")
                .param(productId)
                .query(Long.class)
                .single();
        return PageResponse.of(page, paging, total);
    }

    private static ApiKeyView view(ResultSet rs, int row) throws SQLException {
        return new ApiKeyView(
                rs.getLong("id"),
                rs.getLong("product_id"),
                rs.getString("key_hint"),
                Db.instant(rs, "created_at"),
                rs.getString("created_by"),
                Db.instant(rs, "revoked_at"));
    }

    @Transactional
    public void revoke(long productId, long keyId) {
        int updated = jdbc.sql(
                        """
                        UPDATE api_keys SET revoked_at = ? WHERE id = ? AND product_id = ? AND revoked_at IS NULL""")
                .params(Db.ts(clock.instant()), keyId, productId)
                .update();
        if (updated == 0) {
            boolean exists = jdbc.sql("SELECT COUNT(*) FROM api_keys WHERE id = ? AND product_id = ?")
                            .params(keyId, productId)
                            .query(Long.class)
                            .single()
                    > 0;
            if (!exists) {
                throw ApiException.of(ErrorCode.NOT_FOUND);
            }
            return;
        }
        cache.invalidateAll();
        audit.record("api_key.revoke", "api_key", keyId, null, Map.of("product_id", productId));
    }

    /** Resolves a presented key (surrounding blanks ignored); empty for none, unknown or revoked keys. */
    public Optional<Credential> authenticate(@Nullable String presented) {
        String key = presented == null ? "" : presented.strip();
        if (key.isEmpty() || key.length() > 64) {
            return Optional.empty();
        }
        return Optional.ofNullable(cache.get(Hashes.sha256Hex(key)));
    }

    private @Nullable Credential load(String hash) {
        return jdbc.sql(
                        """
                        SELECT id, product_id, signing_secret_enc FROM api_keys WHERE key_hash = ? AND revoked_at IS NULL""")
                .param(hash)
                .query((rs, n) -> new Credential(
                        rs.getLong("id"), rs.getLong("product_id"), box.decrypt(rs.getString("signing_secret_enc"))))
                .optional()
                .orElse(null);
    }
}
