package dev.licensor.server.resource;

import dev.licensor.protocol.ErrorCode;
import dev.licensor.server.audit.AuditLog;
import dev.licensor.server.license.License;
import dev.licensor.server.license.LicenseAdmin;
import dev.licensor.server.license.LicenseStatus;
import dev.licensor.server.license.LicensesIssued;
import dev.licensor.server.security.Actor;
import dev.licensor.server.web.ApiException;
import dev.licensor.server.web.JsonFields;
import dev.licensor.server.web.PageResponse;
import dev.licensor.server.web.Problems;
import dev.licensor.server.web.SafeStrings;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.jspecify.annotations.Nullable;
import org.springframework.dao.DuplicateKeyException;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Propagation;
import org.springframework.transaction.annotation.Transactional;
import tools.jackson.databind.JsonNode;

/**
 * The resource pool: adding and editing resources, allocating them to licenses (by license type
 * when licenses are created, or by hand), releasing them into quarantine and back.
 *
 * <p>Every allocation and release writes a history row and happens in the transaction that
 * changes the license: creation claims free rows with {@code FOR UPDATE SKIP LOCKED}, so two
 * creations at once never get the same resource, and a short pool fails the whole creation; a
 * revocation or deletion releases the license's resources into quarantine for
 * {@code licensor.resources.quarantine-days}; suspension keeps them. Allocating by hand locks the
 * license row first, as every other license change does, so it cannot slip past a revocation.
 */
@Service
public class ResourcePool {
    /** The most values one batch (or import) may add. */
    public static final int MAX_BATCH = 10_000;

    /** Why an allocation ended. */
    public static final String RELEASED = "released";

    public static final String LICENSE_REVOKED = "license_revoked";
    public static final String LICENSE_DELETED = "license_deleted";

    private static final Set<String> CREATE_FIELDS = Set.of("kind", "value", "notes");
    private static final Set<String> BATCH_FIELDS = Set.of("kind", "values");
    private static final Set<String> PATCH_FIELDS = Set.of("value", "notes");

    private final ResourceRepository resources;
    private final LicenseAdmin licenses;
    private final AuditLog audit;
    private final ResourceProperties properties;
    private final Clock clock;

    ResourcePool(
            ResourceRepository resources,
            LicenseAdmin licenses,
            AuditLog audit,
            ResourceProperties properties,
            Clock clock) {
        this.resources = resources;
        this.licenses = licenses;
        this.audit = audit;
        this.properties = properties;
        this.clock = clock;
    }

    /** Filters of the list, as typed; null means "any". */
    public record ListQuery(
            @Nullable String kind, @Nullable String status, @Nullable String licenseKey, @Nullable String q) {}

    /** The answer to a batch: how many resources of the kind were added. */
    public record BatchResult(ResourceKind kind, int created) {}

    // ---- reading ----

    /** Not one transaction: an unknown {@code license_key} answers an empty page, not a rollback. */
    public PageResponse<Resource> list(ListQuery query, PageResponse.Paging paging) {
        List<Problems.FieldError> errors = new ArrayList<>();
        ResourceKind kind = null;
        if (query.kind() != null && !query.kind().isBlank()) {
            kind = ResourceKind.parse(query.kind()).orElse(null);
            if (kind == null) {
                errors.add(new Problems.FieldError("kind", "must be one of DOMAIN, IPV4, PHONE"));
            }
        }
        ResourceStatus status = null;
        if (query.status() != null && !query.status().isBlank()) {
            status = status(query.status()).orElse(null);
            if (status == null) {
                errors.add(new Problems.FieldError("status", "must be one of AVAILABLE, ALLOCATED, QUARANTINED"));
            }
        }
        String q = query.q() == null || query.q().isBlank() ? null : query.q().strip();
        if (q != null && (q.length() > 200 || !SafeStrings.isSafe(q))) {
            errors.add(new Problems.FieldError("q", "at most 200 characters, no control characters"));
        }
        if (!errors.isEmpty()) {
            throw JsonFields.invalid(errors);
        }
        Long licenseId = null;
        if (query.licenseKey() != null && !query.licenseKey().isBlank()) {
            Optional<License> license = license(query.licenseKey());
            if (license.isEmpty()) {
                return PageResponse.of(List.of(), paging, 0);
            }
            licenseId = license.get().id();
        }
        ResourceRepository.Filter filter = new ResourceRepository.Filter(kind, status, licenseId, q);
        return PageResponse.of(resources.list(filter, paging.offset(), paging.size()), paging, resources.count(filter));
    }

    @Transactional(readOnly = true)
    public Resource get(long id) {
        return resources.find(id).orElseThrow(ResourcePool::notFound);
    }

    /** A resource's allocations, newest first. */
    @Transactional(readOnly = true)
    public PageResponse<Allocation> history(long id, PageResponse.Paging paging) {
        get(id);
        return PageResponse.of(
                resources.history(id, paging.offset(), paging.size()), paging, resources.countHistory(id));
    }

    /** One page of the resources a license holds now, by kind and value, by the key an administrator typed. */
    @Transactional(readOnly = true)
    public PageResponse<Resource> ofLicense(String typedKey, PageResponse.Paging paging) {
        ResourceRepository.Filter filter = new ResourceRepository.Filter(
                null, null, licenses.findForAdmin(typedKey).id(), null);
        return PageResponse.of(resources.list(filter, paging.offset(), paging.size()), paging, resources.count(filter));
    }

    /** The resources a license holds now. */
    @Transactional(readOnly = true)
    public List<Resource> ofLicense(long licenseId) {
        return resources.ofLicense(licenseId);
    }

    /** Available resources to choose from (the panel's allocate list): the first {@code perKind} of each kind. */
    @Transactional(readOnly = true)
    public List<Resource> available(int perKind) {
        List<Resource> available = new ArrayList<>();
        for (ResourceKind kind : ResourceKind.values()) {
            available.addAll(resources.list(
                    new ResourceRepository.Filter(kind, ResourceStatus.AVAILABLE, null, null), 0, perKind));
        }
        return available;
    }

    // ---- the pool ----

    @Transactional
    public Resource create(JsonNode body) {
        JsonFields f = new JsonFields(body, CREATE_FIELDS);
        ResourceKind kind = kind(f);
        String raw = f.string("value", ResourceKind.MAX_LENGTH * 2, false);
        String notes = notes(f);
        f.validate();
        String value = normalize(kind, raw, "value");
        if (resources.exists(kind, value, 0)) {
            throw exists(kind, value);
        }
        long id;
        try {
            id = resources.insert(kind, value, notes, clock.instant());
        } catch (DuplicateKeyException e) {
            throw exists(kind, value);
        }
        Resource created = resources.find(id).orElseThrow();
        audit.record("resource.create", "resource", id, null, created);
        return created;
    }

    /** Adds many values of one kind, all or none; each bad or duplicate value is named. */
    @Transactional
    public BatchResult createBatch(JsonNode body) {
        JsonFields f = new JsonFields(body, BATCH_FIELDS);
        ResourceKind kind = kind(f);
        List<String> raw = f.strings("values", MAX_BATCH, ResourceKind.MAX_LENGTH * 2);
        if (f.has("values") && raw.isEmpty()) {
            f.error("values", "must name at least one value");
        } else if (!f.has("values")) {
            f.error("values", "must not be null");
        }
        f.validate();
        List<Problems.FieldError> errors = new ArrayList<>();
        List<String> values = new ArrayList<>(raw.size());
        Map<String, Integer> seen = new LinkedHashMap<>();
        for (int i = 0; i < raw.size(); i++) {
            String field = "values[" + i + "]";
            try {
                String value = kind.normalize(raw.get(i));
                Integer first = seen.putIfAbsent(value, i);
                if (first != null) {
                    errors.add(new Problems.FieldError(field, value + " is given twice (also values[" + first + "])"));
                } else {
                    values.add(value);
                }
            } catch (IllegalArgumentException e) {
                errors.add(new Problems.FieldError(field, e.getMessage()));
            }
        }
        Set<String> existing = new HashSet<>(resources.existing(kind, values));
        for (Map.Entry<String, Integer> e : seen.entrySet()) {
            if (existing.contains(e.getKey())) {
                errors.add(new Problems.FieldError(
                        "values[" + e.getValue() + "]", e.getKey() + " is already in the pool"));
            }
        }
        if (!errors.isEmpty()) {
            throw JsonFields.invalid(errors);
        }
        try {
            resources.insertAll(kind, values, clock.instant());
        } catch (DuplicateKeyException e) {
            // Another request added one of the values since the check above.
            throw ApiException.of(ErrorCode.CONFLICT).detail("resource.exists-concurrently");
        }
        Map<String, Object> outcome = new LinkedHashMap<>();
        outcome.put("kind", kind.name());
        outcome.put("count", values.size());
        outcome.put("values", values.size() <= 100 ? values : values.subList(0, 100));
        audit.record("resource.batch_create", "resource", null, null, outcome);
        return new BatchResult(kind, values.size());
    }

    /** Changes the notes, or the value of a resource that is not allocated. */
    @Transactional
    public Resource patch(long id, JsonNode body) {
        JsonFields f = new JsonFields(body, PATCH_FIELDS);
        String raw = f.has("value") ? f.string("value", ResourceKind.MAX_LENGTH * 2, false) : null;
        String notes = f.has("notes") ? notes(f) : null;
        f.validate();
        Resource before = lock(id);
        String value = before.value();
        if (raw != null) {
            value = normalize(before.kind(), raw, "value");
            if (!value.equals(before.value())) {
                if (before.status() == ResourceStatus.ALLOCATED) {
                    throw conflict(before, "resource.allocated");
                }
                if (resources.exists(before.kind(), value, id)) {
                    throw exists(before.kind(), value);
                }
            }
        }
        resources.update(id, value, f.has("notes") ? notes : before.notes(), clock.instant());
        Resource updated = get(id);
        audit.record("resource.update", "resource", id, before, updated);
        return updated;
    }

    /** Deletes a resource that is not allocated; its history stays. */
    @Transactional
    public void delete(long id) {
        Resource before = lockUnallocated(id);
        resources.delete(id);
        audit.record("resource.delete", "resource", id, before, null);
    }

    // ---- allocation by hand ----

    /** Allocates an available resource to a license that is not revoked. */
    @Transactional
    public Resource allocate(long id, JsonNode body) {
        JsonFields f = new JsonFields(body, Set.of("license_key"));
        String key = f.string("license_key", 200, false);
        f.validate();
        // The license first, as every license change locks it: a revocation cannot interleave.
        License license = licenses.lockForAdmin(key == null ? "" : key);
        if (license.status() == LicenseStatus.REVOKED) {
            throw ApiException.of(ErrorCode.CONFLICT)
                    .with("status", license.status().name())
                    .detail("license.revoked-final");
        }
        Resource before = lock(id);
        if (before.status() != ResourceStatus.AVAILABLE) {
            throw conflict(before, "resource.not-available", before.status().name());
        }
        resources.allocate(
                List.of(new ResourceRepository.Grant(
                        id, before.kind(), before.value(), license.id(), license.licenseKey())),
                Actor.current().label(),
                clock.instant());
        Resource updated = get(id);
        audit.record("resource.allocate", "resource", id, before, updated);
        return updated;
    }

    /** Releases an allocated resource into quarantine. */
    @Transactional
    public Resource release(long id) {
        Resource before = lock(id);
        if (before.status() != ResourceStatus.ALLOCATED) {
            throw conflict(before, "resource.not-allocated");
        }
        Resource old = withLicenseKey(before);
        Instant now = clock.instant();
        resources.release(id, quarantineEnd(now), RELEASED, Actor.current().label(), now);
        Resource updated = get(id);
        audit.record("resource.release", "resource", id, old, updated);
        return updated;
    }

    /** Releases a resource that the license (by the key an administrator typed) holds. */
    @Transactional
    public Resource releaseFrom(String typedKey, long id) {
        License license = licenses.findForAdmin(typedKey);
        Resource resource = get(id);
        if (resource.licenseId() == null || resource.licenseId() != license.id()) {
            throw ApiException.of(ErrorCode.CONFLICT).detail("resource.not-of-license");
        }
        return release(id);
    }

    /** Puts an available resource into quarantine, or moves the end of a quarantine. */
    @Transactional
    public Resource quarantine(long id, @Nullable JsonNode body) {
        Instant until = null;
        Instant now = clock.instant();
        if (body != null && !body.isNull()) {
            JsonFields f = new JsonFields(body, Set.of("until"));
            until = f.has("until") ? f.instant("until", true) : null;
            if (until != null && !until.isAfter(now)) {
                f.error("until", "must be in the future");
            }
            f.validate();
        }
        Resource before = lockUnallocated(id);
        resources.quarantine(id, until != null ? until : quarantineEnd(now), now);
        Resource updated = get(id);
        audit.record("resource.quarantine", "resource", id, before, updated);
        return updated;
    }

    /** Ends a resource's quarantine now. */
    @Transactional
    public Resource makeAvailable(long id) {
        Resource before = lockUnallocated(id);
        if (before.status() == ResourceStatus.AVAILABLE) {
            return get(id);
        }
        resources.makeAvailable(id, clock.instant());
        Resource updated = get(id);
        audit.record("resource.make_available", "resource", id, before, updated);
        return updated;
    }

    // ---- with the license's own changes ----

    /**
     * Allocates what the licenses' type asks for to each license just created, in the creating
     * transaction; a short pool refuses the creation with {@code 409 CONFLICT} naming the kind.
     */
    @Transactional(propagation = Propagation.MANDATORY)
    public void allocateIssued(LicensesIssued issued) {
        List<LicensesIssued.Issued> created = issued.licenses();
        if (created.isEmpty()) {
            return;
        }
        List<ResourceRepository.Grant> grants = new ArrayList<>();
        Map<String, Object> counts = new LinkedHashMap<>();
        for (ResourceKind kind : ResourceKind.values()) {
            int each =
                    switch (kind) {
                        case DOMAIN -> issued.domains();
                        case IPV4 -> issued.ipv4Addresses();
                        case PHONE -> issued.phoneNumbers();
                    };
            if (each == 0) {
                continue;
            }
            int needed = Math.multiplyExact(each, created.size());
            List<Resource> claimed = resources.claim(kind, needed);
            if (claimed.size() < needed) {
                long available = resources.countAvailable(kind);
                throw ApiException.of(ErrorCode.CONFLICT)
                        .with("kind", kind.name())
                        .with("needed", needed)
                        .with("available", available)
                        .detail("resource.pool-short", kind.name(), needed, available);
            }
            for (int i = 0; i < needed; i++) {
                LicensesIssued.Issued license = created.get(i / each);
                Resource r = claimed.get(i);
                grants.add(new ResourceRepository.Grant(r.id(), kind, r.value(), license.id(), license.licenseKey()));
            }
            counts.put(kind.name(), needed);
        }
        resources.allocate(grants, Actor.current().label(), clock.instant());
        Map<String, Object> outcome = new LinkedHashMap<>();
        outcome.put("licenses", created.size());
        outcome.put("first_license_key", created.getFirst().licenseKey());
        outcome.put("allocated", counts);
        audit.record(
                "resource.allocate_on_create", "license", created.getFirst().id(), null, outcome);
    }

    /** Releases a license's resources into quarantine (it was revoked or is being deleted). */
    @Transactional(propagation = Propagation.MANDATORY)
    public void releaseLicense(long licenseId, String reason) {
        List<Resource> held = resources.ofLicense(licenseId);
        if (held.isEmpty()) {
            return;
        }
        Instant now = clock.instant();
        Instant until = quarantineEnd(now);
        resources.releaseAll(licenseId, until, reason, Actor.current().label(), now);
        Map<String, Object> outcome = new LinkedHashMap<>();
        outcome.put("reason", reason);
        outcome.put("quarantined_until", until.toString());
        outcome.put(
                "resources",
                held.stream().map(r -> r.kind().name() + " " + r.value()).toList());
        audit.record("resource.release", "license", licenseId, null, outcome);
    }

    /** Returns resources whose quarantine has passed to the pool; how many. */
    @Transactional
    public int endQuarantines() {
        return resources.endQuarantines(clock.instant());
    }

    // ---- helpers ----

    private Instant quarantineEnd(Instant now) {
        return now.plus(Duration.ofDays(properties.quarantineDays()));
    }

    private Resource lock(long id) {
        return resources.lock(id).orElseThrow(ResourcePool::notFound);
    }

    /** The resource locked, refused with {@code 409} while it is allocated. */
    private Resource lockUnallocated(long id) {
        Resource resource = lock(id);
        if (resource.status() == ResourceStatus.ALLOCATED) {
            throw conflict(resource, "resource.allocated");
        }
        return resource;
    }

    private static ApiException conflict(Resource resource, String detail, Object... args) {
        return ApiException.of(ErrorCode.CONFLICT)
                .with("status", resource.status().name())
                .detail(detail, args);
    }

    /** The locked row with its license key read, for the audit log. */
    private Resource withLicenseKey(Resource locked) {
        return resources.find(locked.id()).orElse(locked);
    }

    private Optional<License> license(String typedKey) {
        try {
            return Optional.of(licenses.findForAdmin(typedKey));
        } catch (ApiException e) {
            if (e.code() == ErrorCode.LICENSE_NOT_FOUND) {
                return Optional.empty();
            }
            throw e;
        }
    }

    private static ResourceKind kind(JsonFields f) {
        String text = f.string("kind", 16, false);
        if (text == null) {
            return ResourceKind.DOMAIN;
        }
        Optional<ResourceKind> kind = ResourceKind.parse(text);
        if (kind.isEmpty()) {
            f.error("kind", "must be one of DOMAIN, IPV4, PHONE");
            return ResourceKind.DOMAIN;
        }
        return kind.get();
    }

    private static @Nullable String notes(JsonFields f) {
        String notes = f.has("notes") ? f.string("notes", 10_000, true) : null;
        return notes == null || notes.isBlank() ? null : notes.strip();
    }

    private static String normalize(ResourceKind kind, @Nullable String raw, String field) {
        try {
            return kind.normalize(raw == null ? "" : raw);
        } catch (IllegalArgumentException e) {
            throw JsonFields.invalid(field, e.getMessage() == null ? "is not valid" : e.getMessage());
        }
    }

    private static Optional<ResourceStatus> status(String text) {
        try {
            return Optional.of(ResourceStatus.valueOf(text.strip().toUpperCase(java.util.Locale.ROOT)));
        } catch (IllegalArgumentException e) {
            return Optional.empty();
        }
    }

    private static ApiException exists(ResourceKind kind, String value) {
        return ApiException.of(ErrorCode.CONFLICT)
                .with("kind", kind.name())
                .with("value", value)
                .detail("resource.exists", kind.name(), value);
    }

    private static ApiException notFound() {
        return ApiException.of(ErrorCode.NOT_FOUND).detail("resource.not-found");
    }
}
