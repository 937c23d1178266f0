package dev.licensor.server.product;

import com.github.benmanes.caffeine.cache.LoadingCache;
import dev.licensor.protocol.ErrorCode;
import dev.licensor.protocol.LicenseKeyFormat;
import dev.licensor.protocol.Version;
import dev.licensor.server.audit.AuditLog;
import dev.licensor.server.support.Refreshing;
import dev.licensor.server.web.ApiException;
import dev.licensor.server.web.JsonFields;
import dev.licensor.server.web.PageResponse;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.Set;
import org.jspecify.annotations.Nullable;
import org.springframework.dao.DuplicateKeyException;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Propagation;
import org.springframework.transaction.annotation.Transactional;
import tools.jackson.databind.JsonNode;

/**
 * Products and their client configuration. Client-API look-ups go through a cache re-read every
 * 5 s ({@link Refreshing}), so a change made on one instance reaches the others within 10 s.
 */
@Service
public class Products {
    /** Fields accepted on create and patch, as the admin API spells them. */
    public static final Set<String> FIELDS = Set.of(
            "name",
            "key_prefix",
            "current_version",
            "minimum_version",
            "download_url",
            "whats_new",
            "heartbeat_interval",
            "session_timeout",
            "offline_grace_days",
            "expiry_grace_days",
            "auto_activate_on_session",
            "require_signed_requests",
            "max_deactivations_per_30_days");

    private static final Duration REFRESH = Duration.ofSeconds(5);

    private final ProductRepository repository;
    private final AuditLog audit;
    private final Clock clock;
    private final LoadingCache<Long, Product> cache;

    Products(ProductRepository repository, AuditLog audit, Clock clock) {
        this.repository = repository;
        this.audit = audit;
        this.clock = clock;
        this.cache = Refreshing.cache(REFRESH, REFRESH.multipliedBy(2), 10_000, id -> repository
                .find(id)
                .orElse(null));
    }

    /** The product, read through the client-API cache. */
    public Product cached(long id) {
        Product product = cache.get(id);
        if (product == null) {
            throw ApiException.of(ErrorCode.INVALID_API_KEY);
        }
        return product;
    }

    public Optional<Product> find(long id) {
        return repository.find(id);
    }

    public Product get(long id) {
        return repository.find(id).orElseThrow(() -> ApiException.of(ErrorCode.NOT_FOUND));
    }

    public PageResponse<Product> list(PageResponse.Paging paging) {
        return PageResponse.of(repository.list(paging.offset(), paging.size()), paging, repository.count());
    }

    @Transactional
    public Product create(JsonNode body) {
        JsonFields f = new JsonFields(body, FIELDS);
        Instant now = clock.instant();
        String prefix = prefix(f);
        Product draft = new Product(
                0,
                "",
                prefix == null ? "" : prefix,
                null,
                null,
                null,
                null,
                null,
                30,
                60,
                7,
                0,
                true,
                false,
                null,
                now,
                now);
        Product product = apply(f, draft, draft.keyPrefix(), true, now);
        try {
            long id = repository.insert(product);
            Product created = repository.find(id).orElseThrow();
            audit.record("product.create", "product", id, null, created);
            return created;
        } catch (DuplicateKeyException e) {
            throw JsonFields.invalid("key_prefix", "is already used by another product");
        }
    }

    /**
     * Changes any of the given fields. The key prefix may change only while the product has no
     * licenses, since every issued key carries it and is looked up by it; the row lock makes that
     * check hold against licenses being issued at the same time ({@link #lockForIssuing}). API keys
     * made before keep the old prefix in their text and keep working: they are found by their hash.
     */
    @Transactional
    public Product patch(long id, JsonNode body) {
        JsonFields f = new JsonFields(body, FIELDS);
        String prefix = f.has("key_prefix") ? prefix(f) : null;
        Product before = repository.lock(id).orElseThrow(() -> ApiException.of(ErrorCode.NOT_FOUND));
        // Every field is checked first (the prefix's form too), then whether it may change.
        Product after = apply(f, before, prefix == null ? before.keyPrefix() : prefix, false, clock.instant());
        if (!after.keyPrefix().equals(before.keyPrefix())) {
            long licenses = repository.countLicenses(id);
            if (licenses > 0) {
                throw ApiException.of(ErrorCode.CONFLICT)
                        .with("key_prefix", before.keyPrefix())
                        .with("licenses", licenses)
                        .detail("product.key-prefix.has-licenses");
            }
        }
        try {
            repository.update(after);
        } catch (DuplicateKeyException e) {
            throw JsonFields.invalid("key_prefix", "is already used by another product");
        }
        cache.invalidate(id);
        Product updated = repository.find(id).orElseThrow();
        audit.record("product.update", "product", id, before, updated);
        return updated;
    }

    /**
     * The product licenses are being issued for, its row locked against changes until the issuing
     * transaction ends, so its key prefix cannot change before the new keys are committed (or rolled
     * back). Issuers of one product do not wait for each other on PostgreSQL.
     */
    @Transactional(propagation = Propagation.MANDATORY)
    public Optional<Product> lockForIssuing(long id) {
        return repository.lockShared(id);
    }

    /** How many licenses the product has issued: while none, its key prefix may change. */
    @Transactional(readOnly = true)
    public long licenseCount(long id) {
        return repository.countLicenses(id);
    }

    @Transactional
    public void delete(long id) {
        Product before = get(id);
        if (repository.hasLicenses(id)) {
            throw ApiException.of(ErrorCode.CONFLICT).detail("product.delete.has-licenses");
        }
        repository.delete(id);
        cache.invalidate(id);
        audit.record("product.delete", "product", id, before, null);
    }

    private static Product apply(JsonFields f, Product p, String keyPrefix, boolean creating, Instant now) {
        String name = creating || f.has("name") ? f.string("name", 200, false) : p.name();
        String current = f.has("current_version") ? version(f, "current_version") : p.currentVersion();
        String minimum = f.has("minimum_version") ? version(f, "minimum_version") : p.minimumVersion();
        String download = f.has("download_url") ? url(f) : p.downloadUrl();
        String whatsNew = f.has("whats_new") ? f.string("whats_new", 10_000, true) : p.whatsNew();
        int heartbeat = f.has("heartbeat_interval")
                ? orElse(f.integer("heartbeat_interval", 1, 86_400, false), p.heartbeatInterval())
                : p.heartbeatInterval();
        int timeout;
        if (f.has("session_timeout")) {
            timeout = orElse(f.integer("session_timeout", 1, 172_800, false), p.sessionTimeout());
        } else if (f.has("heartbeat_interval")) {
            // Keep the documented default relation (timeout = 2 x interval) unless given.
            timeout = Math.max(p.sessionTimeout(), 2 * heartbeat);
        } else {
            timeout = p.sessionTimeout();
        }
        if (timeout < heartbeat) {
            f.error("session_timeout", "must not be shorter than heartbeat_interval");
        }
        int offline = f.has("offline_grace_days")
                ? orElse(f.integer("offline_grace_days", 0, 3650, false), p.offlineGraceDays())
                : p.offlineGraceDays();
        int expiryGrace = f.has("expiry_grace_days")
                ? orElse(f.integer("expiry_grace_days", 0, 3650, false), p.expiryGraceDays())
                : p.expiryGraceDays();
        boolean autoActivate =
                f.has("auto_activate_on_session") ? f.bool("auto_activate_on_session") : p.autoActivateOnSession();
        boolean signed =
                f.has("require_signed_requests") ? f.bool("require_signed_requests") : p.requireSignedRequests();
        Integer maxDeactivations = f.has("max_deactivations_per_30_days")
                ? f.integer("max_deactivations_per_30_days", 0, 1_000_000, true)
                : p.maxDeactivationsPer30Days();
        if (current != null
                && minimum != null
                && Version.parse(current).isPresent()
                && Version.parse(minimum).isPresent()
                && Version.of(current).isBefore(Version.of(minimum))) {
            f.error("minimum_version", "must not be newer than current_version");
        }
        f.validate();
        Instant releasedAt = current != null && !current.equals(p.currentVersion()) ? now : p.releasedAt();
        return new Product(
                p.id(),
                name == null ? p.name() : name.strip(),
                keyPrefix,
                current,
                minimum,
                download,
                whatsNew,
                releasedAt,
                heartbeat,
                timeout,
                offline,
                expiryGrace,
                autoActivate,
                signed,
                maxDeactivations,
                p.createdAt(),
                now);
    }

    /** A key prefix as given on create or patch: 2 to 4 upper-case letters. */
    private static @Nullable String prefix(JsonFields f) {
        String prefix = f.string("key_prefix", 4, false);
        if (prefix != null && !LicenseKeyFormat.isValidPrefix(prefix)) {
            f.error("key_prefix", "must be 2 to 4 upper-case letters A-Z");
        }
        return prefix;
    }

    private static @Nullable String version(JsonFields f, String field) {
        String value = f.string(field, 64, true);
        if (value != null && Version.parse(value).isEmpty()) {
            f.error(field, "must be a version such as 1.4.2 or 2.0.0-beta.1");
        }
        return value == null ? null : value.strip();
    }

    private static @Nullable String url(JsonFields f) {
        String value = f.string("download_url", 2000, true);
        if (value != null) {
            try {
                URI uri = URI.create(value.strip());
                if (!"https".equals(uri.getScheme()) && !"http".equals(uri.getScheme()) || uri.getHost() == null) {
                    f.error("download_url", "must be an http(s) URL");
                }
            } catch (IllegalArgumentException e) {
                f.error("download_url", "must be an http(s) URL");
            }
        }
        return value == null ? null : value.strip();
    }

    private static int orElse(@Nullable Integer value, int fallback) {
        return value == null ? fallback : value;
    }
}
