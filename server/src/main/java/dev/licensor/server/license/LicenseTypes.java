package dev.licensor.server.license;

import dev.licensor.protocol.ErrorCode;
import dev.licensor.server.audit.AuditLog;
import dev.licensor.server.product.Products;
import dev.licensor.server.web.ApiException;
import dev.licensor.server.web.JsonFields;
import dev.licensor.server.web.PageResponse;
import java.time.Clock;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.jspecify.annotations.Nullable;
import org.springframework.dao.DuplicateKeyException;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;
import tools.jackson.databind.JsonNode;

/**
 * License types: per-product presets a new license starts from. A license copies the type's
 * duration, limits, features and single-use flag when it is created, so editing or deleting a type
 * never changes licenses already issued. The type's {@code domains}, {@code ipv4_addresses} and
 * {@code phone_numbers} are allocated from the resource pool when a license is created, and only
 * then. Durations are whole days, {@code null} meaning perpetual;
 * the usual presets are 1 day, 5 days and 1, 6 or 12 months as 30, 180 or 365 days.
 */
@Service
public class LicenseTypes {
    /** Fields accepted on create; patch accepts the same except {@code product_id}. */
    public static final Set<String> FIELDS = Set.of(
            "product_id",
            "name",
            "duration_days",
            "expiration_basis",
            "device_limit",
            "concurrent_sessions_limit",
            "features",
            "single_use",
            "domains",
            "ipv4_addresses",
            "phone_numbers");

    /** The longest duration a type or license may have: 100 years. */
    static final int MAX_DURATION_DAYS = 36_500;
    /** The highest device or session limit. */
    static final int MAX_LIMIT = 100_000;
    /** The most resources of one kind a type may give each license. */
    static final int MAX_RESOURCES = 1_000;

    private final LicenseTypeLookup types;
    private final Products products;
    private final AuditLog audit;
    private final Clock clock;

    LicenseTypes(LicenseTypeLookup types, Products products, AuditLog audit, Clock clock) {
        this.types = types;
        this.products = products;
        this.audit = audit;
        this.clock = clock;
    }

    public PageResponse<LicenseType> list(@Nullable Long productId, PageResponse.Paging paging) {
        return PageResponse.of(types.list(productId, paging.offset(), paging.size()), paging, types.count(productId));
    }

    public LicenseType get(long id) {
        return types.find(id).orElseThrow(() -> ApiException.of(ErrorCode.NOT_FOUND));
    }

    @Transactional
    public LicenseType create(JsonNode body) {
        JsonFields f = new JsonFields(body, FIELDS);
        Integer productId = f.integer("product_id", 1, Integer.MAX_VALUE, false);
        if (productId != null && products.find(productId).isEmpty()) {
            f.error("product_id", "no such product");
        }
        Instant now = clock.instant();
        LicenseType draft = new LicenseType(
                0,
                productId == null ? 0 : productId,
                "",
                null,
                ExpirationBasis.FROM_CREATION,
                1,
                1,
                List.of(),
                false,
                0,
                0,
                0,
                now,
                now);
        LicenseType type = apply(f, draft, true, now);
        if (types.nameTaken(type.productId(), type.name(), 0)) {
            throw JsonFields.invalid("name", "is already used by another license type of this product");
        }
        long id;
        try {
            id = types.insert(type);
        } catch (DuplicateKeyException e) {
            throw JsonFields.invalid("name", "is already used by another license type of this product");
        }
        LicenseType created = types.find(id).orElseThrow();
        audit.record("license_type.create", "license_type", id, null, created);
        return created;
    }

    @Transactional
    public LicenseType patch(long id, JsonNode body) {
        JsonFields f = new JsonFields(body, FIELDS);
        if (f.has("product_id")) {
            f.error("product_id", "cannot be changed: create a type for the other product instead");
        }
        LicenseType before = types.lock(id).orElseThrow(() -> ApiException.of(ErrorCode.NOT_FOUND));
        LicenseType after = apply(f, before, false, clock.instant());
        if (!after.name().equals(before.name()) && types.nameTaken(after.productId(), after.name(), id)) {
            throw JsonFields.invalid("name", "is already used by another license type of this product");
        }
        try {
            types.update(after);
        } catch (DuplicateKeyException e) {
            throw JsonFields.invalid("name", "is already used by another license type of this product");
        }
        LicenseType updated = types.find(id).orElseThrow();
        audit.record("license_type.update", "license_type", id, before, updated);
        return updated;
    }

    /**
     * Deletes a type. A type still used by licenses is refused with {@code 409 CONFLICT} unless
     * {@code force} is set, which detaches it from those licenses (they keep their own settings).
     */
    @Transactional
    public void delete(long id, boolean force) {
        LicenseType before = types.lock(id).orElseThrow(() -> ApiException.of(ErrorCode.NOT_FOUND));
        long used = types.countLicenses(id);
        if (used > 0 && !force) {
            throw ApiException.of(ErrorCode.CONFLICT).with("licenses", used).detail("license-type.delete.in-use", used);
        }
        int detached = used > 0 ? types.detachLicenses(id, clock.instant()) : 0;
        types.delete(id);
        Map<String, Object> outcome = new LinkedHashMap<>();
        outcome.put("deleted", true);
        outcome.put("detached_licenses", detached);
        audit.record("license_type.delete", "license_type", id, before, outcome);
    }

    private static LicenseType apply(JsonFields f, LicenseType t, boolean creating, Instant now) {
        String name = creating || f.has("name") ? f.string("name", 200, false) : t.name();
        Integer duration = f.has("duration_days")
                ? f.integer("duration_days", 1, MAX_DURATION_DAYS, true)
                : creating ? null : t.durationDays();
        ExpirationBasis basis = f.has("expiration_basis") ? basis(f) : t.expirationBasis();
        Integer devices = f.has("device_limit") ? f.integer("device_limit", 1, MAX_LIMIT, false) : null;
        Integer sessions =
                f.has("concurrent_sessions_limit") ? f.integer("concurrent_sessions_limit", 1, MAX_LIMIT, false) : null;
        int deviceLimit = devices != null ? devices : t.deviceLimit();
        // A new type without a session limit allows a session on every device.
        int sessionLimit = sessions != null ? sessions : creating ? deviceLimit : t.concurrentSessionsLimit();
        if (sessionLimit > deviceLimit) {
            f.error(
                    "concurrent_sessions_limit",
                    "must not exceed device_limit (" + deviceLimit + "); lower both together");
        }
        List<String> features = f.has("features") ? f.strings("features", 100, 100) : t.features();
        boolean singleUse = f.has("single_use") ? f.bool("single_use") : t.singleUse();
        int domains = resourceCount(f, "domains", t.domains());
        int ipv4Addresses = resourceCount(f, "ipv4_addresses", t.ipv4Addresses());
        int phoneNumbers = resourceCount(f, "phone_numbers", t.phoneNumbers());
        f.validate();
        return new LicenseType(
                t.id(),
                t.productId(),
                name == null ? t.name() : name.strip(),
                duration,
                basis == null ? t.expirationBasis() : basis,
                deviceLimit,
                sessionLimit,
                features,
                singleUse,
                domains,
                ipv4Addresses,
                phoneNumbers,
                t.createdAt(),
                now);
    }

    private static int resourceCount(JsonFields f, String field, int current) {
        if (!f.has(field)) {
            return current;
        }
        Integer value = f.integer(field, 0, MAX_RESOURCES, false);
        return value == null ? current : value;
    }

    /** Reads {@code expiration_basis}, recording an error for anything but the two bases. */
    static @Nullable ExpirationBasis basis(JsonFields f) {
        String text = f.string("expiration_basis", 32, false);
        if (text == null) {
            return null;
        }
        try {
            return ExpirationBasis.valueOf(text);
        } catch (IllegalArgumentException e) {
            f.error("expiration_basis", "must be FROM_CREATION or FROM_FIRST_ACTIVATION");
            return null;
        }
    }
}
