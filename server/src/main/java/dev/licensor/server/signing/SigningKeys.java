package dev.licensor.server.signing;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.KeyUse;
import com.nimbusds.jose.jwk.OctetKeyPair;
import com.nimbusds.jose.util.Base64URL;
import dev.licensor.protocol.ErrorCode;
import dev.licensor.protocol.ResponseSigning;
import dev.licensor.server.audit.AuditLog;
import dev.licensor.server.security.Actor;
import dev.licensor.server.support.Db;
import dev.licensor.server.support.Refreshing;
import dev.licensor.server.support.SecretBox;
import dev.licensor.server.web.ApiException;
import dev.licensor.server.web.PageResponse;
import java.nio.charset.StandardCharsets;
import java.security.KeyPair;
import java.security.SecureRandom;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.ApplicationArguments;
import org.springframework.boot.ApplicationRunner;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * The Ed25519 keys that sign responses and offline tokens. The first key is created on first
 * start (several instances starting at once on one database create exactly one: creation runs
 * under a row lock). Private keys are stored encrypted with the server secret. A rotation makes a
 * new key the signing one and keeps the old public key published until it is retired. Each
 * instance caches the keys and re-reads them every {@code licensor.signing.key-refresh-seconds}, in
 * the background ({@link Refreshing}).
 */
@Service
@Order(Ordered.HIGHEST_PRECEDENCE)
public class SigningKeys implements ApplicationRunner {
    private static final Logger log = LoggerFactory.getLogger(SigningKeys.class);
    static final String ALGORITHM = "Ed25519";

    private final JdbcClient jdbc;
    private final TransactionTemplate tx;
    private final SecretBox box;
    private final SecureRandom random;
    private final Clock clock;
    private final AuditLog audit;
    private final Map<String, Ed25519.SigningKey> decrypted = new ConcurrentHashMap<>();
    private final Refreshing.Value<Snapshot> current;
    private final SigningProperties.Engine engine;

    SigningKeys(
            JdbcClient jdbc,
            TransactionTemplate tx,
            SecretBox box,
            SecureRandom random,
            Clock clock,
            AuditLog audit,
            SigningProperties properties) {
        this.jdbc = jdbc;
        this.tx = tx;
        this.box = box;
        this.random = random;
        this.clock = clock;
        this.audit = audit;
        this.engine = Ed25519.engine(properties.engine());
        Duration refresh = Duration.ofSeconds(Math.max(1, properties.keyRefreshSeconds()));
        this.current = new Refreshing.Value<>(refresh, refresh.multipliedBy(2), this::load);
    }

    /** A signing key as listed by the admin API (never with its private part). */
    public record KeyView(
            String kid,
            String algorithm,
            String status,
            String publicKey,
            Instant createdAt,
            String createdBy,
            @Nullable Instant retiredAt) {}

    /** The key that signs now. */
    record ActiveKey(String kid, Ed25519.SigningKey privateKey) {}

    private record Snapshot(ActiveKey active, List<KeyView> keys) {}

    @Override
    public void run(ApplicationArguments args) {
        snapshot();
        if (engine == SigningProperties.Engine.AWS_LC) {
            log.info("Ed25519 signatures by AWS-LC (native).");
        } else {
            String problem = Ed25519.nativeProblem();
            log.info(
                    "Ed25519 signatures by BouncyCastle{}.",
                    problem == null ? " (licensor.signing.engine)" : "; AWS-LC is not usable here: " + problem);
        }
    }

    /** The key that signs responses and tokens now. */
    ActiveKey active() {
        return snapshot().active();
    }

    /**
     * Signs a canonical string with the key that signs now, as the value of an {@code
     * X-Licensor-Signature} header ({@code keyid="…", algorithm="ed25519", signature="…"}): for
     * client-API responses and the messages the server sends itself (webhooks), all verifiable with
     * {@code /api/keys}.
     */
    public String signatureHeader(String canonical) {
        ActiveKey key = active();
        return ResponseSigning.header(key.kid(), key.privateKey().sign(canonical.getBytes(StandardCharsets.UTF_8)));
    }

    /** One page of the keys, newest first (retired ones included), as the admin API lists them. */
    @Transactional(readOnly = true)
    public PageResponse<KeyView> list(PageResponse.Paging paging) {
        List<KeyView> page = jdbc.sql(
                        """
                        SELECT kid, algorithm, public_key, status, created_at, created_by, retired_at
                        FROM signing_keys ORDER BY created_at DESC, kid DESC LIMIT ? OFFSET ?""")
                .params(paging.size(), paging.offset())
                .query((rs, n) -> view(rs))
                .list();
        long total =
                jdbc.sql("SELECT COUNT(*) FROM signing_keys").query(Long.class).single();
        return PageResponse.of(page, paging, total);
    }

    /** The published public keys (active and rotated-out, not retired) as a JWKS document. */
    public Map<String, Object> jwks() {
        List<JWK> keys = new ArrayList<>();
        for (KeyView key : snapshot().keys()) {
            if (!key.status().equals("RETIRED")) {
                keys.add(publicJwk(key.kid(), key.publicKey()));
            }
        }
        return new JWKSet(keys).toJSONObject(true);
    }

    /** Creates a new signing key; the previous one keeps being published until retired. */
    public KeyView rotate() {
        KeyView created = tx.execute(status -> {
            lockKeys();
            Optional<String> previous = jdbc.sql("SELECT kid FROM signing_keys WHERE status = 'ACTIVE'")
                    .query(String.class)
                    .optional();
            previous.ifPresent(kid -> jdbc.sql("UPDATE signing_keys SET status = 'PUBLISHED' WHERE kid = ?")
                    .param(kid)
                    .update());
            KeyView key = insert(Actor.current().label());
            audit.record(
                    "signing_key.rotate",
                    "signing_key",
                    key.kid(),
                    previous.map(kid -> Map.of("active_kid", kid)).orElse(null),
                    Map.of("active_kid", key.kid()));
            return key;
        });
        current.invalidate();
        log.info("Rotated the signing key: {} signs from now on.", created.kid());
        return created;
    }

    /** Stops publishing a rotated-out key. The signing key itself cannot be retired: rotate first. */
    public KeyView retire(String kid) {
        KeyView retired = tx.execute(status -> {
            lockKeys();
            KeyView key = find(kid).orElseThrow(() -> ApiException.of(ErrorCode.NOT_FOUND));
            if (key.status().equals("ACTIVE")) {
                throw ApiException.of(ErrorCode.CONFLICT).detail("signing-key.retire-active");
            }
            if (key.status().equals("RETIRED")) {
                return key;
            }
            jdbc.sql("UPDATE signing_keys SET status = 'RETIRED', retired_at = ? WHERE kid = ?")
                    .params(Db.ts(clock.instant()), kid)
                    .update();
            audit.record(
                    "signing_key.retire",
                    "signing_key",
                    kid,
                    Map.of("status", key.status()),
                    Map.of("status", "RETIRED"));
            return find(kid).orElseThrow();
        });
        current.invalidate();
        decrypted.remove(kid);
        return retired;
    }

    private Snapshot snapshot() {
        return current.get();
    }

    private Snapshot load() {
        List<Row> rows = rows();
        if (rows.stream().noneMatch(r -> r.view().status().equals("ACTIVE"))) {
            createFirstKey();
            rows = rows();
        }
        Row active = rows.stream()
                .filter(r -> r.view().status().equals("ACTIVE"))
                .findFirst()
                .orElseThrow(() -> new IllegalStateException("no active signing key"));
        Ed25519.SigningKey privateKey = decrypted.computeIfAbsent(
                active.view().kid(),
                kid -> Ed25519.signingKey(Base64.getDecoder().decode(box.decrypt(active.privateKeyEnc())), engine));
        return new Snapshot(
                new ActiveKey(active.view().kid(), privateKey),
                rows.stream().map(Row::view).toList());
    }

    /** Creates the first key unless another instance (or thread) already has. */
    private void createFirstKey() {
        tx.executeWithoutResult(status -> {
            lockKeys();
            long active = jdbc.sql("SELECT COUNT(*) FROM signing_keys WHERE status = 'ACTIVE'")
                    .query(Long.class)
                    .single();
            if (active == 0) {
                KeyView key = insert(Actor.SYSTEM.label());
                audit.record(
                        Actor.SYSTEM,
                        "signing_key.create",
                        "signing_key",
                        key.kid(),
                        null,
                        Map.of("active_kid", key.kid()));
                log.info("Created the first response and token signing key {}.", key.kid());
            }
        });
    }

    /** Serializes key creation and rotation across instances: every change holds this row lock. */
    private void lockKeys() {
        jdbc.sql("SELECT name FROM trust_locks WHERE name = 'signing-keys' FOR UPDATE")
                .query(String.class)
                .single();
    }

    private KeyView insert(String createdBy) {
        KeyPair pair = Ed25519.generate(random);
        String x = Base64URL.encode(Ed25519.raw(pair.getPublic())).toString();
        String kid = thumbprint(x);
        Instant now = clock.instant();
        jdbc.sql(
                        """
                        INSERT INTO signing_keys (kid, algorithm, public_key, private_key_enc, status, created_at, created_by)
                        VALUES (?, ?, ?, ?, 'ACTIVE', ?, ?)""")
                .params(
                        kid,
                        ALGORITHM,
                        x,
                        box.encrypt(Base64.getEncoder()
                                .encodeToString(pair.getPrivate().getEncoded())),
                        Db.ts(now),
                        createdBy)
                .update();
        decrypted.put(kid, Ed25519.signingKey(pair.getPrivate().getEncoded(), engine));
        return new KeyView(kid, ALGORITHM, "ACTIVE", x, now, createdBy, null);
    }

    private Optional<KeyView> find(String kid) {
        return rows().stream().map(Row::view).filter(k -> k.kid().equals(kid)).findFirst();
    }

    private record Row(KeyView view, String privateKeyEnc) {}

    private List<Row> rows() {
        return jdbc.sql(
                        """
                        SELECT kid, algorithm, public_key, private_key_enc, status, created_at, created_by, retired_at
                        FROM signing_keys ORDER BY created_at, kid""")
                .query((rs, n) -> new Row(view(rs), rs.getString("private_key_enc")))
                .list();
    }

    private static KeyView view(ResultSet rs) throws SQLException {
        return new KeyView(
                rs.getString("kid"),
                rs.getString("algorithm"),
                rs.getString("status"),
                rs.getString("public_key"),
                Db.instant(rs, "created_at"),
                rs.getString("created_by"),
                Db.instant(rs, "retired_at"));
    }

    private static OctetKeyPair publicJwk(String kid, String x) {
        return new OctetKeyPair.Builder(Curve.Ed25519, new Base64URL(x))
                .keyID(kid)
                .keyUse(KeyUse.SIGNATURE)
                .algorithm(JWSAlgorithm.EdDSA)
                .build();
    }

    /** The RFC 7638 thumbprint of the public key: a stable, collision-free key id. */
    private static String thumbprint(String x) {
        try {
            return new OctetKeyPair.Builder(Curve.Ed25519, new Base64URL(x))
                    .build()
                    .computeThumbprint()
                    .toString();
        } catch (JOSEException e) {
            throw new IllegalStateException(e);
        }
    }
}
