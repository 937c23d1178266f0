package dev.licensor.server.customer;

import dev.licensor.protocol.ErrorCode;
import dev.licensor.server.audit.AuditLog;
import dev.licensor.server.license.AdminLicenseView;
import dev.licensor.server.license.LicenseAdmin;
import dev.licensor.server.web.ApiException;
import dev.licensor.server.web.JsonFields;
import dev.licensor.server.web.PageResponse;
import dev.licensor.server.web.SafeStrings;
import java.time.Clock;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.jspecify.annotations.Nullable;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;
import tools.jackson.databind.JsonNode;

/**
 * Customers: the people and companies that own licenses. Deleting a customer who still owns
 * licenses is refused ({@code 409}) unless forced, which keeps the licenses without a customer.
 */
@Service
public class Customers {
    /** Fields accepted on create and patch. */
    public static final Set<String> FIELDS = Set.of("name", "email", "company", "phone", "notes", "test");

    private final CustomerRepository repository;
    private final LicenseAdmin licenses;
    private final AuditLog audit;
    private final Clock clock;

    Customers(CustomerRepository repository, LicenseAdmin licenses, AuditLog audit, Clock clock) {
        this.repository = repository;
        this.licenses = licenses;
        this.audit = audit;
        this.clock = clock;
    }

    /** A customer's licenses (one page) with quick statistics over all of them. */
    public record CustomerLicenses(
            List<AdminLicenseView> items, int page, int size, long total, LicenseAdmin.CustomerLicenseStats stats) {}

    /** Searches name, email and company, ignoring case; {@code null} lists everyone. */
    public PageResponse<Customer> search(@Nullable String query, @Nullable Boolean test, PageResponse.Paging paging) {
        String q = null;
        if (query != null && !query.isBlank()) {
            if (query.length() > 200) {
                throw JsonFields.invalid("q", "at most 200 characters");
            }
            if (!SafeStrings.isSafe(query)) {
                throw JsonFields.invalid("q", "contains characters that are not allowed");
            }
            q = query.strip();
        }
        return PageResponse.of(
                repository.search(q, test, paging.offset(), paging.size()), paging, repository.count(q, test));
    }

    public Customer get(long id) {
        return repository.find(id).orElseThrow(() -> ApiException.of(ErrorCode.NOT_FOUND));
    }

    @Transactional(readOnly = true)
    public CustomerLicenses licenses(long id, PageResponse.Paging paging) {
        get(id);
        PageResponse<AdminLicenseView> page =
                licenses.list(new LicenseAdmin.ListQuery(null, null, id, null, null, null, null, null), paging);
        return new CustomerLicenses(page.items(), page.page(), page.size(), page.total(), licenses.customerStats(id));
    }

    @Transactional
    public Customer create(JsonNode body) {
        JsonFields f = new JsonFields(body, FIELDS);
        Instant now = clock.instant();
        Customer customer = apply(f, new Customer(0, "", null, null, null, null, false, now, now), true, now);
        long id = repository.insert(customer);
        Customer created = repository.find(id).orElseThrow();
        audit.record("customer.create", "customer", id, null, created);
        return created;
    }

    @Transactional
    public Customer patch(long id, JsonNode body) {
        JsonFields f = new JsonFields(body, FIELDS);
        Customer before = repository.lock(id).orElseThrow(() -> ApiException.of(ErrorCode.NOT_FOUND));
        Customer after = apply(f, before, false, clock.instant());
        repository.update(after);
        Customer updated = repository.find(id).orElseThrow();
        audit.record("customer.update", "customer", id, before, updated);
        return updated;
    }

    /**
     * Deletes a customer. One who still owns licenses is refused with {@code 409 CONFLICT} (with
     * the number of licenses) unless {@code force} is set: then the licenses stay, without a
     * customer, and keep working.
     */
    @Transactional
    public void delete(long id, boolean force) {
        Customer before = repository.lock(id).orElseThrow(() -> ApiException.of(ErrorCode.NOT_FOUND));
        long owned = licenses.countOfCustomer(id);
        if (owned > 0 && !force) {
            throw ApiException.of(ErrorCode.CONFLICT)
                    .with("licenses", owned)
                    .detail("customer.delete.has-licenses", owned);
        }
        int detached = owned > 0 ? licenses.detachCustomer(id) : 0;
        repository.delete(id);
        Map<String, Object> outcome = new LinkedHashMap<>();
        outcome.put("deleted", true);
        outcome.put("detached_licenses", detached);
        audit.record("customer.delete", "customer", id, before, outcome);
    }

    private static Customer apply(JsonFields f, Customer c, boolean creating, Instant now) {
        String name = creating || f.has("name") ? f.string("name", 200, false) : c.name();
        String email = f.has("email") ? f.email("email") : c.email();
        String company = f.has("company") ? f.optionalString("company", 200) : c.company();
        String phone = f.has("phone") ? f.phone("phone") : c.phone();
        String notes = f.has("notes") ? f.optionalString("notes", 10_000) : c.notes();
        boolean test = f.has("test") ? f.bool("test") : c.test();
        f.validate();
        return new Customer(
                c.id(), name == null ? c.name() : name.strip(), email, company, phone, notes, test, c.createdAt(), now);
    }
}
