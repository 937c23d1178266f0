package dev.licensor.server.security;

import dev.licensor.protocol.ErrorCode;
import dev.licensor.server.audit.AuditLog;
import dev.licensor.server.support.Db;
import dev.licensor.server.support.Hashes;
import dev.licensor.server.web.ApiException;
import dev.licensor.server.web.PageResponse;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import org.jspecify.annotations.Nullable;
import org.springframework.dao.DuplicateKeyException;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.jdbc.support.GeneratedKeyHolder;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/** Admin API tokens: shown once, stored as SHA-256 hashes, each with a role. */
@Service
public class AdminTokens {
    private static final long CACHE_NANOS = 5_000_000_000L;

    private final JdbcClient jdbc;
    private final SecureRandom random;
    private final Clock clock;
    private final AuditLog audit;
    private final Map<String, Cached> cache = new ConcurrentHashMap<>();

    AdminTokens(JdbcClient jdbc, SecureRandom random, Clock clock, AuditLog audit) {
        this.jdbc = jdbc;
        this.random = random;
        this.clock = clock;
        this.audit = audit;
    }

    /** A token as listed, without its secret. */
    public record TokenView(
            long id, String name, Role role, Instant createdAt, String createdBy, @Nullable Instant revokedAt) {}

    /** A newly created token, shown this once. */
    public record CreatedToken(long id, String name, Role role, String token, Instant createdAt) {}

    @Transactional
    public CreatedToken create(String name, Role role) {
        byte[] bytes = new byte[32];
        random.nextBytes(bytes);
        String token = "lsr_" + Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
        long id = insert(name, role, token, Actor.current().label());
        audit.record("admin_token.create", "admin_token", id, null, Map.of("name", name, "role", role));
        return new CreatedToken(id, name, role, token, clock.instant());
    }

    /** Stores a token chosen by the operator (the bootstrap token); false when it already exists. */
    @Transactional
    public boolean createBootstrap(String token) {
        if (count() > 0) {
            return false;
        }
        try {
            long id = insert("bootstrap", Role.ADMIN, token, Actor.SYSTEM.label());
            audit.record(Actor.SYSTEM, "admin_token.bootstrap", "admin_token", id, null, Map.of("role", Role.ADMIN));
            return true;
        } catch (DuplicateKeyException e) {
            return false;
        }
    }

    /** One page of the tokens, oldest first (revoked ones included). */
    @Transactional(readOnly = true)
    public PageResponse<TokenView> list(PageResponse.Paging paging) {
        List<TokenView> page = jdbc.sql(
                        """
                        SELECT id, name, role, created_at, created_by, revoked_at FROM admin_tokens
                        ORDER BY id LIMIT ? OFFSET ?""")
                .params(paging.size(), paging.offset())
                .query((rs, n) -> new TokenView(
                        rs.getLong("id"),
                        rs.getString("name"),
                        Role.valueOf(rs.getString("role")),
                        Db.instant(rs, "created_at"),
                        rs.getString("created_by"),
                        Db.instant(rs, "revoked_at")))
                .list();
        return PageResponse.of(page, paging, count());
    }

    @Transactional
    public void revoke(long id) {
        int updated = jdbc.sql("UPDATE admin_tokens SET revoked_at = ? WHERE id = ? AND revoked_at IS NULL")
                .params(Db.ts(clock.instant()), id)
                .update();
        if (updated == 0) {
            throw ApiException.of(ErrorCode.NOT_FOUND);
        }
        cache.clear();
        audit.record("admin_token.revoke", "admin_token", id, null, null);
    }

    /** The actor a presented bearer token stands for; empty when unknown or revoked. */
    public Optional<Actor> authenticate(String presented) {
        if (presented.isEmpty() || presented.length() > 200) {
            return Optional.empty();
        }
        String hash = Hashes.sha256Hex(presented);
        long now = System.nanoTime();
        Cached hit = cache.get(hash);
        if (hit != null && now - hit.loadedAt < CACHE_NANOS) {
            return Optional.of(hit.actor);
        }
        Optional<Actor> actor = jdbc.sql(
                        "SELECT id, name, role FROM admin_tokens WHERE token_hash = ? AND revoked_at IS NULL")
                .param(hash)
                .query((rs, n) ->
                        new Actor("token", rs.getLong("id"), rs.getString("name"), Role.valueOf(rs.getString("role"))))
                .optional();
        actor.ifPresent(a -> cache.put(hash, new Cached(a, now)));
        return actor;
    }

    long count() {
        return jdbc.sql("SELECT COUNT(*) FROM admin_tokens").query(Long.class).single();
    }

    private long insert(String name, Role role, String token, String createdBy) {
        GeneratedKeyHolder keys = new GeneratedKeyHolder();
        jdbc.sql(
                        """
                        INSERT INTO admin_tokens (name, token_hash, role, created_at, created_by)
                        VALUES (?, ?, ?, ?, ?)""")
                .params(name, Hashes.sha256Hex(token), role.name(), Db.ts(clock.instant()), createdBy)
                .update(keys, "id");
        return keys.getKeyAs(Long.class);
    }

    private record Cached(Actor actor, long loadedAt) {}
}
