package dev.licensor.server.license;

import dev.licensor.protocol.Crockford;
import dev.licensor.protocol.ErrorCode;
import dev.licensor.protocol.LicenseKeyFormat;
import dev.licensor.server.audit.AuditLog;
import dev.licensor.server.product.Product;
import dev.licensor.server.product.Products;
import dev.licensor.server.web.ApiException;
import dev.licensor.server.web.JsonFields;
import dev.licensor.server.web.PageResponse;
import dev.licensor.server.web.Problems;
import dev.licensor.server.web.SafeStrings;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import org.jspecify.annotations.Nullable;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.dao.DataIntegrityViolationException;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;
import tools.jackson.databind.JsonNode;

/**
 * Managing issued licenses and their devices from the admin API. Every change locks the license
 * row first (as activation does), so it cannot interleave with a client's activation or session
 * start, and publishes {@link LicenseStatusChanged} or {@link DeviceDeactivated} in the same
 * transaction for the session feature.
 *
 * <p>Decisions where the specification is silent: lowering {@code device_limit} below the devices
 * in use is allowed; those devices keep working and no new device can be activated until enough
 * are deactivated. {@code REVOKED} is final. Suspending a suspended license (and the like) is a
 * no-op answered 200. Admin deactivations do not count against the product's
 * {@code max_deactivations_per_30_days}.
 */
@Service
public class LicenseAdmin {
    /** Fields {@code PATCH /api/admin/licenses/{key}} accepts. */
    public static final Set<String> PATCH_FIELDS = Set.of(
            "customer_id",
            "license_type_id",
            "device_limit",
            "concurrent_sessions_limit",
            "expires_at",
            "valid_from",
            "features",
            "single_use",
            "notes");

    /** The statuses the list can filter on; {@code EXPIRED} is derived from the expiry. */
    public static final Set<String> LIST_STATUSES = Set.of("ACTIVE", "EXPIRED", "SUSPENDED", "REVOKED");

    private final LicenseRepository licenses;
    private final DeviceRepository devices;
    private final LicenseTypeLookup types;
    private final AdminLicenseQueries queries;
    private final Licenses issuing;
    private final Products products;
    private final AuditLog audit;
    private final ApplicationEventPublisher events;
    private final Clock clock;

    LicenseAdmin(
            LicenseRepository licenses,
            DeviceRepository devices,
            LicenseTypeLookup types,
            AdminLicenseQueries queries,
            Licenses issuing,
            Products products,
            AuditLog audit,
            ApplicationEventPublisher events,
            Clock clock) {
        this.licenses = licenses;
        this.devices = devices;
        this.types = types;
        this.queries = queries;
        this.issuing = issuing;
        this.products = products;
        this.audit = audit;
        this.events = events;
        this.clock = clock;
    }

    /** Filters of the license list; null means "any". */
    public record ListQuery(
            @Nullable Long productId,
            @Nullable String status,
            @Nullable Long customerId,
            @Nullable Long licenseTypeId,
            @Nullable Integer expiringWithinDays,
            @Nullable Boolean suspicious,
            @Nullable String batchId,
            @Nullable String q) {}

    /** A customer's licenses at a glance. */
    public record CustomerLicenseStats(long licenses, Map<String, Long> byStatus, long devicesInUse) {}

    /** The admin status actions. */
    public enum StatusAction {
        SUSPEND,
        REINSTATE,
        REVOKE
    }

    /** The admin device actions. */
    public enum DeviceAction {
        DEACTIVATE,
        BLOCK,
        UNBLOCK
    }

    // ---- reading ----

    @Transactional(readOnly = true)
    public PageResponse<AdminLicenseView> list(ListQuery query, PageResponse.Paging paging) {
        List<Problems.FieldError> errors = new ArrayList<>();
        String status = null;
        if (query.status() != null) {
            status = query.status().strip().toUpperCase(Locale.ROOT);
            if (!LIST_STATUSES.contains(status)) {
                errors.add(new Problems.FieldError("status", "must be one of ACTIVE, EXPIRED, SUSPENDED, REVOKED"));
            }
        }
        Integer within = query.expiringWithinDays();
        if (within != null && (within < 0 || within > LicenseTypes.MAX_DURATION_DAYS)) {
            errors.add(new Problems.FieldError(
                    "expiring_within_days", "must be between 0 and " + LicenseTypes.MAX_DURATION_DAYS));
        }
        String q = text(query.q(), "q", 200, errors);
        String batchId = text(query.batchId(), "batch_id", 36, errors);
        if (!errors.isEmpty()) {
            throw JsonFields.invalid(errors);
        }
        Instant now = clock.instant();
        LicenseRepository.Filter filter = new LicenseRepository.Filter(
                query.productId(),
                status,
                query.customerId(),
                query.licenseTypeId(),
                within == null ? null : now.plus(Duration.ofDays(within)),
                query.suspicious(),
                batchId,
                q == null || q.isBlank() ? null : q.strip(),
                now);
        List<License> page = licenses.list(filter, paging.offset(), paging.size());
        Map<Long, LicenseViews.Names> names =
                queries.names(page.stream().map(License::id).toList());
        Map<Long, Product> productsById = new HashMap<>();
        List<AdminLicenseView> items = page.stream()
                .map(l -> issuing.view(
                        l,
                        productsById.computeIfAbsent(l.productId(), products::get),
                        names.getOrDefault(l.id(), new LicenseViews.Names(null, null, 0))))
                .toList();
        return PageResponse.of(items, paging, licenses.count(filter));
    }

    @Transactional(readOnly = true)
    public AdminLicenseView get(String typedKey) {
        License license = find(typedKey);
        return view(license);
    }

    /** Every device of the license (active, deactivated and blocked), oldest first. */
    @Transactional(readOnly = true)
    public List<DeviceView> devices(String typedKey) {
        License license = find(typedKey);
        return devices.list(license.id()).stream().map(DeviceView::of).toList();
    }

    /** One page of the license's devices, oldest first. */
    @Transactional(readOnly = true)
    public PageResponse<DeviceView> devices(String typedKey, PageResponse.Paging paging) {
        License license = find(typedKey);
        List<DeviceView> page = devices.list(license.id(), paging.offset(), paging.size()).stream()
                .map(DeviceView::of)
                .toList();
        return PageResponse.of(page, paging, devices.count(license.id()));
    }

    /** A customer's licenses by status and the devices they use. */
    @Transactional(readOnly = true)
    public CustomerLicenseStats customerStats(long customerId) {
        return queries.customerStats(customerId, clock.instant());
    }

    /** How many licenses a customer owns. */
    public long countOfCustomer(long customerId) {
        return queries.countOfCustomer(customerId);
    }

    // ---- changing ----

    /**
     * Removes a customer from all its licenses (before the customer is deleted); the licenses keep
     * working. Returns how many licenses were detached.
     */
    @Transactional(propagation = org.springframework.transaction.annotation.Propagation.MANDATORY)
    public int detachCustomer(long customerId) {
        return queries.detachCustomer(customerId, clock.instant());
    }

    @Transactional
    public AdminLicenseView patch(String typedKey, JsonNode body) {
        JsonFields f = new JsonFields(body, PATCH_FIELDS);
        License before = lock(typedKey);
        Long customerId = before.customerId();
        if (f.has("customer_id")) {
            Integer id = f.integer("customer_id", 1, Integer.MAX_VALUE, true);
            customerId = id == null ? null : id.longValue();
            if (customerId != null && !queries.customerExists(customerId)) {
                f.error("customer_id", "no such customer");
            }
        }
        Long typeId = before.licenseTypeId();
        if (f.has("license_type_id")) {
            Integer id = f.integer("license_type_id", 1, Integer.MAX_VALUE, true);
            typeId = id == null ? null : id.longValue();
            if (typeId != null) {
                Optional<LicenseType> type = types.find(typeId);
                if (type.isEmpty() || type.get().productId() != before.productId()) {
                    f.error("license_type_id", "no such license type for this license's product");
                }
            }
        }
        int deviceLimit = before.deviceLimit();
        if (f.has("device_limit")) {
            Integer value = f.integer("device_limit", 1, LicenseTypes.MAX_LIMIT, false);
            deviceLimit = value == null ? deviceLimit : value;
        }
        int sessionLimit = before.concurrentSessionsLimit();
        if (f.has("concurrent_sessions_limit")) {
            Integer value = f.integer("concurrent_sessions_limit", 1, LicenseTypes.MAX_LIMIT, false);
            sessionLimit = value == null ? sessionLimit : value;
        }
        if (sessionLimit > deviceLimit) {
            f.error(
                    "concurrent_sessions_limit",
                    "must not exceed device_limit (" + deviceLimit + "); lower both together");
        }
        Instant expiresAt = f.has("expires_at") ? f.instantOrEndOfDay("expires_at", true) : before.expiresAt();
        Instant validFrom = f.has("valid_from") ? f.instantOrStartOfDay("valid_from", true) : before.validFrom();
        if (expiresAt != null && validFrom != null && !expiresAt.isAfter(validFrom)) {
            f.error(f.has("expires_at") ? "expires_at" : "valid_from", "expires_at must be after valid_from");
        }
        List<String> features = f.has("features") ? f.strings("features", 100, 100) : before.features();
        boolean singleUse = f.has("single_use") ? f.bool("single_use") : before.singleUse();
        String notes = f.has("notes") ? f.string("notes", 10_000, true) : before.notes();
        f.validate();
        Instant now = clock.instant();
        License after = new License(
                before.id(),
                before.licenseKey(),
                before.keyLookup(),
                before.productId(),
                customerId,
                typeId,
                before.status(),
                validFrom,
                expiresAt,
                before.durationDays(),
                before.expirationBasis(),
                deviceLimit,
                sessionLimit,
                features,
                singleUse,
                before.legacy(),
                before.batchId(),
                notes,
                before.suspicious(),
                before.suspiciousReason(),
                before.activatedAt(),
                before.createdAt(),
                now);
        AdminLicenseView old = view(before);
        licenses.update(after);
        if (!Objects.equals(before.expiresAt(), expiresAt)
                || !Objects.equals(before.validFrom(), validFrom)
                || before.deviceLimit() != deviceLimit
                || before.concurrentSessionsLimit() != sessionLimit) {
            events.publishEvent(new LicenseStatusChanged(before.id(), before.status()));
        }
        AdminLicenseView updated = view(licenses.findById(before.id()).orElseThrow());
        audit.record("license.update", "license", before.id(), old, updated);
        return updated;
    }

    /**
     * Deletes a license with its devices. Its live sessions are told first (as for a revocation),
     * so nothing keeps running on a license that no longer exists, and the resource pool takes its
     * resources back ({@link LicenseDeleting}).
     */
    @Transactional
    public void delete(String typedKey) {
        License license = lock(typedKey);
        AdminLicenseView old = view(license);
        events.publishEvent(new LicenseDeleting(license.id()));
        events.publishEvent(new LicenseStatusChanged(license.id(), LicenseStatus.REVOKED));
        try {
            licenses.delete(license.id());
        } catch (DataIntegrityViolationException e) {
            // A table of another feature still refers to the license without cascading.
            throw ApiException.of(ErrorCode.CONFLICT).detail("license.delete.referenced");
        }
        audit.record("license.delete", "license", license.id(), old, null);
    }

    /** Suspends, reinstates or revokes; a no-op (already in that state) changes and records nothing. */
    @Transactional
    public AdminLicenseView changeStatus(String typedKey, StatusAction action, @Nullable JsonNode body) {
        String reason = JsonFields.actionReason(body);
        License before = lock(typedKey);
        LicenseStatus target =
                switch (action) {
                    case SUSPEND -> LicenseStatus.SUSPENDED;
                    case REINSTATE -> LicenseStatus.ACTIVE;
                    case REVOKE -> LicenseStatus.REVOKED;
                };
        if (before.status() == target) {
            return view(before);
        }
        if (before.status() == LicenseStatus.REVOKED) {
            throw ApiException.of(ErrorCode.CONFLICT)
                    .with("status", before.status().name())
                    .detail("license.revoked-final");
        }
        AdminLicenseView old = view(before);
        queries.setStatus(before.id(), target, clock.instant());
        events.publishEvent(new LicenseStatusChanged(before.id(), target));
        AdminLicenseView updated = view(licenses.findById(before.id()).orElseThrow());
        audit.record(
                "license." + action.name().toLowerCase(Locale.ROOT),
                "license",
                before.id(),
                old,
                withReason(updated, reason));
        return updated;
    }

    /**
     * Extends by {@code days} from the later of now and the current expiry, or to {@code until}
     * (an instant, or a date: the last second of that day in UTC).
     * A license that has not started its {@code FROM_FIRST_ACTIVATION} duration gets the days
     * added to that duration. Perpetual and revoked licenses cannot be extended (409).
     */
    @Transactional
    public AdminLicenseView extend(String typedKey, JsonNode body) {
        JsonFields f = new JsonFields(body, Set.of("days", "until"));
        Integer days = null;
        Instant until = null;
        if (f.has("days") == f.has("until")) {
            f.error(f.has("days") ? "until" : "days", "give either days or until");
        } else if (f.has("days")) {
            days = f.integer("days", 1, LicenseTypes.MAX_DURATION_DAYS, false);
        } else {
            until = f.instantOrEndOfDay("until", false);
        }
        f.validate();
        License before = lock(typedKey);
        if (before.status() == LicenseStatus.REVOKED) {
            throw ApiException.of(ErrorCode.CONFLICT)
                    .with("status", before.status().name())
                    .detail("license.revoked-final");
        }
        Instant now = clock.instant();
        Instant expiresAt = before.expiresAt();
        Integer duration = before.durationDays();
        boolean pending = expiresAt == null
                && duration != null
                && before.activatedAt() == null
                && before.expirationBasis() == ExpirationBasis.FROM_FIRST_ACTIVATION;
        if (expiresAt == null && !pending) {
            throw ApiException.of(ErrorCode.CONFLICT).detail("license.extend.perpetual");
        }
        if (pending && days != null) {
            if (duration + days > 2 * LicenseTypes.MAX_DURATION_DAYS) {
                throw JsonFields.invalid(
                        "days", "the duration would exceed " + 2 * LicenseTypes.MAX_DURATION_DAYS + " days");
            }
            duration = duration + days;
        } else {
            Instant base = expiresAt == null || expiresAt.isBefore(now) ? now : expiresAt;
            if (days != null) {
                expiresAt = base.plus(Duration.ofDays(days));
                if (expiresAt.isAfter(JsonFields.LATEST)) {
                    throw JsonFields.invalid("days", "the expiry would be after the year 9999");
                }
            } else {
                Objects.requireNonNull(until);
                if (!until.isAfter(base)) {
                    throw JsonFields.invalid("until", "must be later than the current expiry and now (" + base + ")");
                }
                if (before.validFrom() != null && !until.isAfter(before.validFrom())) {
                    throw JsonFields.invalid("until", "must be after valid_from");
                }
                expiresAt = until;
            }
        }
        AdminLicenseView old = view(before);
        License after = new License(
                before.id(),
                before.licenseKey(),
                before.keyLookup(),
                before.productId(),
                before.customerId(),
                before.licenseTypeId(),
                before.status(),
                before.validFrom(),
                expiresAt,
                duration,
                before.expirationBasis(),
                before.deviceLimit(),
                before.concurrentSessionsLimit(),
                before.features(),
                before.singleUse(),
                before.legacy(),
                before.batchId(),
                before.notes(),
                before.suspicious(),
                before.suspiciousReason(),
                before.activatedAt(),
                before.createdAt(),
                now);
        licenses.update(after);
        events.publishEvent(new LicenseStatusChanged(before.id(), before.status()));
        AdminLicenseView updated = view(licenses.findById(before.id()).orElseThrow());
        Map<String, Object> request = new LinkedHashMap<>();
        if (days != null) {
            request.put("days", days);
        }
        if (until != null) {
            request.put("until", until.toString());
        }
        audit.record("license.extend", "license", before.id(), old, Map.of("request", request, "license", updated));
        return updated;
    }

    /**
     * Deactivates, blocks or unblocks one of a license's devices. Deactivating or blocking an
     * active device frees its slot and ends its live session; unblocking returns the device to
     * {@code DEACTIVATED}, so it must be activated again (and needs a free slot for that).
     */
    @Transactional
    public DeviceView deviceAction(String typedKey, long deviceId, DeviceAction action, @Nullable JsonNode body) {
        String reason = JsonFields.actionReason(body);
        License license = lock(typedKey);
        Device device = devices.findById(license.id(), deviceId)
                .orElseThrow(() -> ApiException.of(ErrorCode.NOT_FOUND).detail("device.not-found"));
        DeviceStatus target =
                switch (action) {
                    case DEACTIVATE -> {
                        if (device.status() == DeviceStatus.BLOCKED) {
                            throw ApiException.of(ErrorCode.CONFLICT)
                                    .with("device_status", device.status().name())
                                    .detail("device.blocked");
                        }
                        yield DeviceStatus.DEACTIVATED;
                    }
                    case BLOCK -> DeviceStatus.BLOCKED;
                    case UNBLOCK -> {
                        if (device.status() == DeviceStatus.ACTIVE) {
                            throw ApiException.of(ErrorCode.CONFLICT)
                                    .with("device_status", device.status().name())
                                    .detail("device.not-blocked");
                        }
                        yield DeviceStatus.DEACTIVATED;
                    }
                };
        if (device.status() == target) {
            return DeviceView.of(device);
        }
        devices.setStatus(device.id(), target, clock.instant());
        if (target != DeviceStatus.ACTIVE && device.status() != DeviceStatus.BLOCKED) {
            events.publishEvent(new DeviceDeactivated(license.id(), device.id(), target));
        }
        DeviceView updated =
                DeviceView.of(devices.findById(license.id(), device.id()).orElseThrow());
        Map<String, Object> newValue = new LinkedHashMap<>();
        newValue.put("license_id", license.id());
        newValue.put("license_key", license.licenseKey());
        newValue.put("status", updated.status().name());
        if (reason != null) {
            newValue.put("reason", reason);
        }
        audit.record(
                "device." + action.name().toLowerCase(Locale.ROOT),
                "device",
                device.id(),
                Map.of("license_id", license.id(), "status", device.status().name()),
                newValue);
        return updated;
    }

    // ---- helpers ----

    private AdminLicenseView view(License license) {
        return issuing.view(license, products.get(license.productId()));
    }

    /** The license of a key as typed in the admin API, read without a lock. */
    /**
     * The license of a key an administrator typed, locked for the caller's transaction (for the
     * admin actions of other features, e.g. usage quotas); {@code LICENSE_NOT_FOUND} otherwise.
     */
    @Transactional(propagation = org.springframework.transaction.annotation.Propagation.MANDATORY)
    public License lockForAdmin(String typedKey) {
        return lock(typedKey);
    }

    /** The license of a key an administrator typed, not locked; {@code LICENSE_NOT_FOUND} otherwise. */
    @Transactional(readOnly = true)
    public License findForAdmin(String typedKey) {
        return find(typedKey);
    }

    private License find(String typedKey) {
        for (String lookup : lookups(typedKey)) {
            Optional<License> found = licenses.findByLookup(lookup);
            if (found.isPresent()) {
                return found.get();
            }
        }
        throw ApiException.of(ErrorCode.LICENSE_NOT_FOUND);
    }

    /** The license of a key, locked for the rest of the transaction. */
    private License lock(String typedKey) {
        License found = find(typedKey);
        return licenses.lockById(found.id()).orElseThrow(() -> ApiException.of(ErrorCode.LICENSE_NOT_FOUND));
    }

    /**
     * Where to look a typed key up: its compact form (case, dashes and spaces ignored) and, for a
     * key of the standard shape, the form with Crockford's confusable letters read as digits.
     * Anything that cannot be a key at all is a 400.
     */
    static List<String> lookups(String typed) {
        if (typed.length() > LicenseKeys.MAX_LENGTH || !SafeStrings.isSafe(typed)) {
            throw JsonFields.invalid("license_key", "is not a license key");
        }
        String compact = LicenseKeyFormat.compact(typed);
        if (compact.length() < 4) {
            throw JsonFields.invalid("license_key", "is not a license key");
        }
        List<String> lookups = new ArrayList<>(2);
        lookups.add(compact);
        int prefixLength = compact.length() - LicenseKeyFormat.RANDOM_LENGTH - LicenseKeyFormat.CHECK_LENGTH;
        if (prefixLength >= 2
                && prefixLength <= 4
                && LicenseKeyFormat.isValidPrefix(compact.substring(0, prefixLength))) {
            StringBuilder canonical = new StringBuilder(compact.substring(0, prefixLength));
            for (int i = prefixLength; i < compact.length(); i++) {
                int value = Crockford.value(compact.charAt(i));
                if (value < 0) {
                    return lookups;
                }
                canonical.append(Crockford.symbol(value));
            }
            if (!canonical.toString().equals(compact)) {
                lookups.add(canonical.toString());
            }
        }
        return lookups;
    }

    private static Object withReason(AdminLicenseView view, @Nullable String reason) {
        return reason == null ? view : Map.of("license", view, "reason", reason);
    }

    private static @Nullable String text(
            @Nullable String value, String field, int max, List<Problems.FieldError> errors) {
        if (value == null) {
            return null;
        }
        if (value.length() > max) {
            errors.add(new Problems.FieldError(field, "at most " + max + " characters"));
        } else if (!SafeStrings.isSafe(value)) {
            errors.add(new Problems.FieldError(field, "contains characters that are not allowed"));
        }
        return value;
    }
}
