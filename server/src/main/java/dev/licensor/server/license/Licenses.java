package dev.licensor.server.license;

import dev.licensor.protocol.ErrorCode;
import dev.licensor.protocol.LicenseKeyFormat;
import dev.licensor.server.audit.AuditLog;
import dev.licensor.server.product.Product;
import dev.licensor.server.product.Products;
import dev.licensor.server.web.ApiException;
import dev.licensor.server.web.JsonFields;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import org.jspecify.annotations.Nullable;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.dao.DuplicateKeyException;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;
import tools.jackson.databind.JsonNode;

/** Issuing licenses: one at a time (optionally importing an existing key) or in batches. */
@Service
public class Licenses {
    /** The most licenses one batch may create. */
    public static final int MAX_BATCH = 10_000;

    static final Set<String> CREATE_FIELDS = Set.of(
            "product_id",
            "customer_id",
            "license_type_id",
            "device_limit",
            "concurrent_sessions_limit",
            "duration_days",
            "expiration_basis",
            "expires_at",
            "valid_from",
            "features",
            "single_use",
            "notes",
            "license_key");

    private final LicenseRepository licenses;
    private final LicenseTypeLookup types;
    private final LicenseKeys keys;
    private final LicenseViews views;
    private final Products products;
    private final AuditLog audit;
    private final JdbcClient jdbc;
    private final ApplicationEventPublisher events;
    private final Clock clock;

    Licenses(
            LicenseRepository licenses,
            LicenseTypeLookup types,
            LicenseKeys keys,
            LicenseViews views,
            Products products,
            AuditLog audit,
            JdbcClient jdbc,
            ApplicationEventPublisher events,
            Clock clock) {
        this.licenses = licenses;
        this.types = types;
        this.keys = keys;
        this.views = views;
        this.products = products;
        this.audit = audit;
        this.jdbc = jdbc;
        this.events = events;
        this.clock = clock;
    }

    /** The answer to a batch creation. */
    public record Batch(String batchId, int count, List<String> licenseKeys) {}

    @Transactional
    public AdminLicenseView create(JsonNode body) {
        JsonFields f = new JsonFields(body, CREATE_FIELDS);
        Draft draft = draft(f);
        String typedKey = f.string("license_key", LicenseKeys.MAX_LENGTH, true);
        f.validate();
        Product product = draft.product;
        String key;
        boolean legacy = false;
        if (typedKey == null) {
            key = keys.generate(product.keyPrefix());
        } else {
            key = typedKey.strip();
            if (LicenseKeyFormat.hasStandardShape(key, product.keyPrefix())) {
                if (!keys.isGenuine(key, product.keyPrefix())) {
                    throw JsonFields.invalid(
                            "license_key",
                            "has the shape of a Licensor key but its check characters do not match this server's secret");
                }
            } else {
                legacy = true;
                if (LicenseKeyFormat.compact(key).length() < 4) {
                    throw JsonFields.invalid("license_key", "must have at least 4 letters or digits");
                }
            }
        }
        License license = draft.toLicense(key, legacy, null);
        if (licenses.lookupExists(license.keyLookup())) {
            throw ApiException.of(ErrorCode.CONFLICT).detail("license.key-exists");
        }
        long id;
        try {
            id = licenses.insert(license);
        } catch (DuplicateKeyException e) {
            throw ApiException.of(ErrorCode.CONFLICT).detail("license.key-exists");
        }
        if (draft.resourcesType != null) {
            events.publishEvent(LicensesIssued.of(
                    List.of(new LicensesIssued.Issued(id, license.licenseKey())), draft.resourcesType));
        }
        License created = licenses.findById(id).orElseThrow();
        AdminLicenseView view = view(created, product);
        audit.record(legacy ? "license.import" : "license.create", "license", id, null, view);
        events.publishEvent(new LicensesCreated(product.id(), List.of(created)));
        return view;
    }

    @Transactional
    public Batch createBatch(JsonNode body) {
        Set<String> allowed = new HashSet<>(CREATE_FIELDS);
        allowed.remove("license_key");
        allowed.add("count");
        JsonFields f = new JsonFields(body, allowed);
        Integer count = f.integer("count", 1, MAX_BATCH, false);
        Draft draft = draft(f);
        f.validate();
        String batchId = UUID.randomUUID().toString();
        Set<String> seen = new HashSet<>();
        List<License> batch = new ArrayList<>(count);
        while (batch.size() < count) {
            String key = keys.generate(draft.product.keyPrefix());
            if (seen.add(key)) {
                batch.add(draft.toLicense(key, false, batchId));
            }
        }
        licenses.insertAll(batch);
        if (draft.resourcesType != null) {
            events.publishEvent(LicensesIssued.of(licenses.issuedInBatch(batchId), draft.resourcesType));
        }
        events.publishEvent(new LicensesCreated(draft.product.id(), batch));
        List<String> issued = batch.stream().map(License::licenseKey).toList();
        audit.record(
                "license.batch_create",
                "license_batch",
                batchId,
                null,
                Map.of("batch_id", batchId, "count", count, "product_id", draft.product.id()));
        return new Batch(batchId, count, issued);
    }

    /**
     * ACTIVE licenses of the given products expiring no later than {@code to}, soonest first (then
     * by id), at most {@code limit}, that come after ({@code from}, {@code afterId}) in that order:
     * pass the last one's expiry and id to read the next page (for expiry notices).
     */
    @Transactional(readOnly = true)
    public List<License> expiring(
            java.util.Collection<Long> productIds, Instant from, long afterId, Instant to, int limit) {
        return licenses.expiring(productIds, from, afterId, to, limit);
    }

    /** The admin view of a license. */
    public AdminLicenseView view(License license, Product product) {
        return view(license, product, views.names(license));
    }

    /** The admin view with names already read (lists read them for a whole page at once). */
    AdminLicenseView view(License license, Product product, LicenseViews.Names names) {
        Instant now = clock.instant();
        return new AdminLicenseView(
                license.id(),
                license.licenseKey(),
                license.productId(),
                product.name(),
                license.customerId(),
                license.licenseTypeId(),
                names.type(),
                license.displayStatus(now, product.expiryGraceDays()),
                names.licensedTo(),
                license.validFrom(),
                license.expiresAt(),
                license.durationDays(),
                license.expirationBasis(),
                license.deviceLimit(),
                names.devicesUsed(),
                license.concurrentSessionsLimit(),
                views.liveSessions(license.id()),
                license.features(),
                license.singleUse(),
                license.legacy(),
                license.batchId(),
                license.notes(),
                license.suspicious(),
                license.suspiciousReason(),
                license.activatedAt(),
                license.createdAt(),
                license.updatedAt());
    }

    /** The validated settings shared by single and batch creation. */
    private Draft draft(JsonFields f) {
        Long productId = longField(f, "product_id", false);
        // Locked: the product's key prefix, which the new keys carry, cannot change until they are committed.
        Product product =
                productId == null ? null : products.lockForIssuing(productId).orElse(null);
        if (productId != null && product == null) {
            f.error("product_id", "no such product");
        }
        Long customerId = longField(f, "customer_id", true);
        if (customerId != null && !exists("customers", customerId)) {
            f.error("customer_id", "no such customer");
        }
        Long typeId = longField(f, "license_type_id", true);
        LicenseType type = null;
        if (typeId != null) {
            type = types.find(typeId).orElse(null);
            if (type == null || (product != null && type.productId() != product.id())) {
                f.error("license_type_id", "no such license type for this product");
                type = null;
            }
        }
        Integer deviceLimit = f.has("device_limit") ? f.integer("device_limit", 1, 100_000, false) : null;
        Integer sessions =
                f.has("concurrent_sessions_limit") ? f.integer("concurrent_sessions_limit", 1, 100_000, false) : null;
        Integer duration = f.has("duration_days") ? f.integer("duration_days", 1, 36_500, true) : null;
        ExpirationBasis basis = null;
        if (f.has("expiration_basis")) {
            String text = f.string("expiration_basis", 32, false);
            try {
                basis = text == null ? null : ExpirationBasis.valueOf(text);
            } catch (IllegalArgumentException e) {
                f.error("expiration_basis", "must be FROM_CREATION or FROM_FIRST_ACTIVATION");
            }
        }
        Instant expiresAt = f.has("expires_at") ? f.instantOrEndOfDay("expires_at", true) : null;
        Instant validFrom = f.has("valid_from") ? f.instantOrStartOfDay("valid_from", true) : null;
        List<String> features = f.has("features") ? f.strings("features", 100, 100) : null;
        Boolean singleUse = f.has("single_use") ? f.bool("single_use") : null;
        String notes = f.has("notes") ? f.string("notes", 10_000, true) : null;

        int devices = deviceLimit != null ? deviceLimit : type != null ? type.deviceLimit() : 1;
        int concurrent = sessions != null
                ? sessions
                : type != null ? Math.min(type.concurrentSessionsLimit(), devices) : devices;
        if (concurrent > devices) {
            f.error("concurrent_sessions_limit", "must not exceed device_limit");
        }
        if (expiresAt != null && duration != null) {
            f.error("expires_at", "give either expires_at or duration_days, not both");
        }
        if (expiresAt != null && validFrom != null && !expiresAt.isAfter(validFrom)) {
            f.error("expires_at", "must be after valid_from");
        }
        Integer days = duration != null ? duration : expiresAt == null && type != null ? type.durationDays() : null;
        if (validFrom != null
                && days != null
                && validFrom.plus(Duration.ofDays(days)).isAfter(JsonFields.LATEST)) {
            f.error("valid_from", "valid_from plus the duration would be after the year 9999");
        }
        ExpirationBasis expirationBasis =
                basis != null ? basis : type != null ? type.expirationBasis() : ExpirationBasis.FROM_CREATION;
        return new Draft(
                product == null ? EMPTY_PRODUCT : product,
                customerId,
                type == null ? null : type.id(),
                devices,
                concurrent,
                days,
                expirationBasis,
                expiresAt,
                validFrom,
                features != null ? features : type != null ? type.features() : List.of(),
                singleUse != null ? singleUse : type != null && type.singleUse(),
                notes,
                clock.instant(),
                type != null && type.needsResources() ? type : null);
    }

    private boolean exists(String table, long id) {
        return jdbc.sql("SELECT COUNT(*) FROM " + table + " WHERE id = ?")
                        .param(id)
                        .query(Long.class)
                        .single()
                > 0;
    }

    private static @Nullable Long longField(JsonFields f, String field, boolean nullable) {
        Integer value = f.has(field) || !nullable ? f.integer(field, 1, Integer.MAX_VALUE, nullable) : null;
        return value == null ? null : value.longValue();
    }

    private static final Product EMPTY_PRODUCT = new Product(
            0, "", "XX", null, null, null, null, null, 30, 60, 7, 0, true, false, null, Instant.EPOCH, Instant.EPOCH);

    private record Draft(
            Product product,
            @Nullable Long customerId,
            @Nullable Long licenseTypeId,
            int deviceLimit,
            int concurrentSessionsLimit,
            @Nullable Integer durationDays,
            ExpirationBasis basis,
            @Nullable Instant expiresAt,
            @Nullable Instant validFrom,
            List<String> features,
            boolean singleUse,
            @Nullable String notes,
            Instant now,
            // The type, when its licenses get resources from the pool.
            @Nullable LicenseType resourcesType) {
        License toLicense(String key, boolean legacy, @Nullable String batchId) {
            Instant expiry = expiresAt;
            if (expiry == null && durationDays != null && basis == ExpirationBasis.FROM_CREATION) {
                Instant start = validFrom != null && validFrom.isAfter(now) ? validFrom : now;
                expiry = start.plus(Duration.ofDays(durationDays));
            }
            return new License(
                    0,
                    key,
                    LicenseKeyFormat.compact(key),
                    product.id(),
                    customerId,
                    licenseTypeId,
                    LicenseStatus.ACTIVE,
                    validFrom,
                    expiry,
                    durationDays,
                    basis,
                    deviceLimit,
                    concurrentSessionsLimit,
                    features,
                    singleUse,
                    legacy,
                    batchId,
                    notes,
                    false,
                    null,
                    null,
                    now,
                    now);
        }
    }
}
