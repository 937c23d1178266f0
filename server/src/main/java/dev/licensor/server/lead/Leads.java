package dev.licensor.server.lead;

import dev.licensor.protocol.ErrorCode;
import dev.licensor.server.audit.AuditLog;
import dev.licensor.server.customer.Customers;
import dev.licensor.server.security.Actor;
import dev.licensor.server.web.ApiException;
import dev.licensor.server.web.JsonFields;
import dev.licensor.server.web.PageResponse;
import dev.licensor.server.web.Problems;
import dev.licensor.server.web.SafeStrings;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import org.jspecify.annotations.Nullable;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Leads: institutions that may become customers, their contact persons, versioned notes, tags and
 * activities. Every change locks the institution's row first (so two edits of one note cannot both
 * become version 2) and writes one audit row with entity type {@code lead} and the institution's
 * id, so the audit log shows a lead's whole history in one filter.
 */
@Service
public class Leads {
    private static final JsonMapper JSON = JsonMapper.builder().build();

    /** Fields accepted on create and patch of an institution. */
    public static final Set<String> FIELDS =
            Set.of("name", "website", "city", "country", "status", "customer_id", "tags");

    public static final Set<String> CONTACT_FIELDS = Set.of("name", "email", "phone", "position");
    public static final Set<String> NOTE_FIELDS = Set.of("text");
    public static final Set<String> ACTIVITY_FIELDS = Set.of("kind", "occurred_at", "summary", "contact_id");

    /** The most tags one institution may carry. */
    public static final int MAX_TAGS = 50;

    static final String ENTITY = "lead";

    private final LeadRepository repository;
    private final Customers customers;
    private final AuditLog audit;
    private final Clock clock;

    Leads(LeadRepository repository, Customers customers, AuditLog audit, Clock clock) {
        this.repository = repository;
        this.customers = customers;
        this.audit = audit;
        this.clock = clock;
    }

    /** The list filters as typed; null or blank means "any". */
    public record ListQuery(@Nullable String q, @Nullable String tag, @Nullable String status) {}

    /** An institution with everything of it, for its page. */
    public record Details(
            Institution institution, List<Contact> contacts, List<Note> notes, PageResponse<Activity> activities) {}

    // ---- reading ----

    /** Institutions by name, filtered by a search in names, places and contacts, a tag and a status. */
    public PageResponse<Institution> list(ListQuery query, PageResponse.Paging paging) {
        List<Problems.FieldError> errors = new ArrayList<>();
        String q = blankToNull(query.q());
        if (q != null && (q.length() > 200 || !SafeStrings.isSafe(q))) {
            errors.add(new Problems.FieldError("q", "at most 200 characters, no control characters"));
        }
        Tag tag = null;
        if (blankToNull(query.tag()) != null) {
            try {
                tag = Tag.of(query.tag());
            } catch (IllegalArgumentException e) {
                errors.add(new Problems.FieldError("tag", String.valueOf(e.getMessage())));
            }
        }
        LeadStatus status = null;
        if (blankToNull(query.status()) != null) {
            status = LeadStatus.parse(query.status()).orElse(null);
            if (status == null) {
                errors.add(new Problems.FieldError("status", "must be one of " + List.of(LeadStatus.values())));
            }
        }
        if (!errors.isEmpty()) {
            throw JsonFields.invalid(errors);
        }
        LeadRepository.Filter filter = new LeadRepository.Filter(q, tag, status);
        return PageResponse.of(
                repository.list(filter, paging.offset(), paging.size()), paging, repository.count(filter));
    }

    public Institution get(long id) {
        return repository.find(id).orElseThrow(Leads::notFound);
    }

    @Transactional(readOnly = true)
    public Details details(long id, PageResponse.Paging activityPaging) {
        Institution institution = get(id);
        return new Details(institution, repository.contacts(id), repository.notes(id), activities(id, activityPaging));
    }

    /** Every tag in use with how many institutions carry it, by tag. */
    public Map<String, Long> tags() {
        return repository.allTags();
    }

    // ---- institutions ----

    @Transactional
    public Institution create(JsonNode body) {
        JsonFields f = new JsonFields(body, FIELDS);
        Instant now = clock.instant();
        Institution blank = new Institution(0, "", null, null, null, LeadStatus.NEW, null, List.of(), now, now);
        Institution institution = apply(f, blank, true, now);
        List<Tag> tags = f.has("tags") ? tags(f) : List.of();
        f.validate();
        long id = repository.insert(institution);
        tags.forEach(t -> repository.addTag(id, t));
        Institution created = get(id);
        audit.record("lead.create", ENTITY, id, null, created);
        return created;
    }

    @Transactional
    public Institution patch(long id, JsonNode body) {
        JsonFields f = new JsonFields(body, FIELDS);
        Institution before = lock(id);
        Institution after = apply(f, before, false, clock.instant());
        List<Tag> tags = f.has("tags") ? tags(f) : null;
        f.validate();
        repository.update(after);
        if (tags != null) {
            repository.removeTags(id);
            tags.forEach(t -> repository.addTag(id, t));
        }
        Institution updated = get(id);
        audit.record("lead.update", ENTITY, id, before, updated);
        return updated;
    }

    /**
     * Makes a lead a customer: a new customer named after the institution, with the email and phone
     * of its first contact person (by name) and a note saying where it came from, linked to the lead,
     * whose status becomes {@code WON}. Both changes are audited. A lead already linked to a
     * customer is refused with {@code 409 CONFLICT}.
     */
    @Transactional
    public Institution convert(long id) {
        Institution before = lock(id);
        if (before.customerId() != null) {
            throw ApiException.of(ErrorCode.CONFLICT)
                    .with("customer_id", before.customerId())
                    .detail("lead.convert.already-customer", before.customerId());
        }
        Map<String, Object> fields = new LinkedHashMap<>();
        fields.put("name", before.name());
        fields.put("company", before.name());
        repository.contacts(id).stream().findFirst().ifPresent(contact -> {
            fields.put("email", contact.email());
            fields.put("phone", contact.phone());
        });
        fields.put("notes", "From lead #" + id + ".");
        long customerId = customers.create(JSON.valueToTree(fields)).id();
        Institution after = new Institution(
                before.id(),
                before.name(),
                before.website(),
                before.city(),
                before.country(),
                LeadStatus.WON,
                customerId,
                before.tags(),
                before.createdAt(),
                clock.instant());
        repository.update(after);
        Institution updated = get(id);
        audit.record("lead.convert", ENTITY, id, before, updated);
        return updated;
    }

    /** Deletes an institution with its contacts, notes (every version), tags and activities. */
    @Transactional
    public void delete(long id) {
        Institution before = lock(id);
        Map<String, Object> outcome = new LinkedHashMap<>();
        outcome.put("deleted", true);
        outcome.putAll(repository.delete(id));
        audit.record("lead.delete", ENTITY, id, before, outcome);
    }

    // ---- tags ----

    /** Adds a tag (normalized) unless the institution has it; answers the institution's tags. */
    @Transactional
    public List<String> addTag(long id, String typed) {
        Tag tag = tag(typed);
        lock(id);
        if (repository.addTag(id, tag)) {
            if (repository.tags(id).size() > MAX_TAGS) {
                throw JsonFields.invalid("tag", "at most " + MAX_TAGS + " tags per institution");
            }
            repository.touch(id, clock.instant());
            audit.record("lead.tag_add", ENTITY, id, null, Map.of("tag", tag.value()));
        }
        return repository.tags(id);
    }

    /** Removes a tag (normalized) if the institution has it. */
    @Transactional
    public List<String> removeTag(long id, String typed) {
        Tag tag = tag(typed);
        lock(id);
        if (repository.removeTag(id, tag)) {
            repository.touch(id, clock.instant());
            audit.record("lead.tag_remove", ENTITY, id, Map.of("tag", tag.value()), null);
        }
        return repository.tags(id);
    }

    // ---- contacts ----

    /** One page of an institution's contact persons, by name. */
    @Transactional(readOnly = true)
    public PageResponse<Contact> contacts(long id, PageResponse.Paging paging) {
        get(id);
        return PageResponse.of(
                repository.contacts(id, paging.offset(), paging.size()), paging, repository.countContacts(id));
    }

    @Transactional
    public Contact addContact(long id, JsonNode body) {
        JsonFields f = new JsonFields(body, CONTACT_FIELDS);
        lock(id);
        Instant now = clock.instant();
        Contact contact = applyContact(f, new Contact(0, id, "", null, null, null, now, now), true, now);
        long contactId = repository.insertContact(contact);
        Contact created = repository.contact(id, contactId).orElseThrow();
        audit.record("lead.contact_create", ENTITY, id, null, created);
        return created;
    }

    @Transactional
    public Contact patchContact(long id, long contactId, JsonNode body) {
        JsonFields f = new JsonFields(body, CONTACT_FIELDS);
        lock(id);
        Contact before = repository.contact(id, contactId).orElseThrow(() -> notFound("lead.contact-not-found"));
        Contact after = applyContact(f, before, false, clock.instant());
        repository.updateContact(after);
        Contact updated = repository.contact(id, contactId).orElseThrow();
        audit.record("lead.contact_update", ENTITY, id, before, updated);
        return updated;
    }

    /** Deletes a contact person; the activities with them stay, without them. */
    @Transactional
    public void deleteContact(long id, long contactId) {
        lock(id);
        Contact before = repository.contact(id, contactId).orElseThrow(() -> notFound("lead.contact-not-found"));
        repository.deleteContact(contactId);
        audit.record("lead.contact_delete", ENTITY, id, before, null);
    }

    // ---- notes ----

    /** One page of an institution's notes as they read now, last changed first. */
    @Transactional(readOnly = true)
    public PageResponse<Note> notes(long id, PageResponse.Paging paging) {
        get(id);
        return PageResponse.of(repository.notes(id, paging.offset(), paging.size()), paging, repository.countNotes(id));
    }

    @Transactional
    public Note addNote(long id, JsonNode body) {
        String text = noteText(body);
        lock(id);
        long noteId = repository.insertNote(id, text, Actor.current().label(), clock.instant());
        Note created = repository.note(id, noteId).orElseThrow();
        audit.record("lead.note_create", ENTITY, id, null, created);
        return created;
    }

    /** Edits a note: its text becomes a new version; the earlier versions stay readable. */
    @Transactional
    public Note editNote(long id, long noteId, JsonNode body) {
        String text = noteText(body);
        lock(id);
        Note before = repository.lockNote(id, noteId).orElseThrow(() -> notFound("lead.note-not-found"));
        if (before.text().equals(text)) {
            return before; // nothing changed: no version without a change
        }
        repository.addVersion(before, text, Actor.current().label(), clock.instant());
        Note updated = repository.note(id, noteId).orElseThrow();
        audit.record("lead.note_update", ENTITY, id, before, updated);
        return updated;
    }

    /** Every version of a note, newest first. */
    @Transactional(readOnly = true)
    public List<NoteVersion> noteVersions(long id, long noteId) {
        get(id);
        repository.note(id, noteId).orElseThrow(() -> notFound("lead.note-not-found"));
        return repository.versions(noteId);
    }

    /** One page of a note's versions, newest first. */
    @Transactional(readOnly = true)
    public PageResponse<NoteVersion> noteVersions(long id, long noteId, PageResponse.Paging paging) {
        get(id);
        repository.note(id, noteId).orElseThrow(() -> notFound("lead.note-not-found"));
        return PageResponse.of(
                repository.versions(noteId, paging.offset(), paging.size()), paging, repository.countVersions(noteId));
    }

    /** Deletes a note with all its versions (the audit row keeps the last text). */
    @Transactional
    public void deleteNote(long id, long noteId) {
        lock(id);
        Note before = repository.lockNote(id, noteId).orElseThrow(() -> notFound("lead.note-not-found"));
        repository.deleteNote(noteId);
        audit.record("lead.note_delete", ENTITY, id, before, null);
    }

    // ---- activities ----

    /** An institution's activities, the latest first. */
    @Transactional(readOnly = true)
    public PageResponse<Activity> activities(long id, PageResponse.Paging paging) {
        get(id);
        return PageResponse.of(
                repository.activities(id, paging.offset(), paging.size()), paging, repository.countActivities(id));
    }

    @Transactional
    public Activity addActivity(long id, JsonNode body) {
        JsonFields f = new JsonFields(body, ACTIVITY_FIELDS);
        Instant now = clock.instant();
        ActivityKind kind = ActivityKind.OTHER;
        String kindText = f.string("kind", 16, false);
        if (kindText != null) {
            Optional<ActivityKind> parsed = ActivityKind.parse(kindText);
            if (parsed.isEmpty()) {
                f.error("kind", "must be one of " + List.of(ActivityKind.values()));
            } else {
                kind = parsed.get();
            }
        }
        Instant occurredAt = f.has("occurred_at") ? f.instant("occurred_at", true) : null;
        String summary = f.string("summary", 2000, false);
        Integer contactId = f.has("contact_id") ? f.integer("contact_id", 1, Integer.MAX_VALUE, true) : null;
        f.validate();
        lock(id);
        if (contactId != null && repository.contact(id, contactId).isEmpty()) {
            throw JsonFields.invalid("contact_id", "no such contact person of this institution");
        }
        long activityId = repository.insertActivity(
                id,
                contactId == null ? null : contactId.longValue(),
                kind,
                occurredAt == null ? now : occurredAt,
                summary == null ? "" : summary.strip(),
                Actor.current().label(),
                now);
        repository.touch(id, now);
        Activity created = repository.activity(id, activityId).orElseThrow();
        audit.record("lead.activity_create", ENTITY, id, null, created);
        return created;
    }

    @Transactional
    public void deleteActivity(long id, long activityId) {
        lock(id);
        Activity before = repository.activity(id, activityId).orElseThrow(() -> notFound("lead.activity-not-found"));
        repository.deleteActivity(activityId);
        audit.record("lead.activity_delete", ENTITY, id, before, null);
    }

    // ---- helpers ----

    private Institution lock(long id) {
        return repository.lock(id).orElseThrow(Leads::notFound);
    }

    private Institution apply(JsonFields f, Institution i, boolean creating, Instant now) {
        String name = creating || f.has("name") ? f.string("name", 200, false) : i.name();
        String website = f.has("website") ? f.optionalString("website", 500) : i.website();
        String city = f.has("city") ? f.optionalString("city", 200) : i.city();
        String country = f.has("country") ? f.optionalString("country", 100) : i.country();
        LeadStatus status = i.status();
        if (f.has("status")) {
            String text = f.string("status", 16, false);
            if (text != null) {
                Optional<LeadStatus> parsed = LeadStatus.parse(text);
                if (parsed.isEmpty()) {
                    f.error("status", "must be one of " + List.of(LeadStatus.values()));
                } else {
                    status = parsed.get();
                }
            }
        }
        Long customerId = i.customerId();
        if (f.has("customer_id")) {
            Integer value = f.integer("customer_id", 1, Integer.MAX_VALUE, true);
            customerId = value == null ? null : value.longValue();
            if (customerId != null && !customerExists(customerId)) {
                f.error("customer_id", "no such customer");
            }
        }
        return new Institution(
                i.id(),
                name == null ? i.name() : name.strip(),
                website,
                city,
                country,
                status,
                customerId,
                i.tags(),
                i.createdAt(),
                now);
    }

    private boolean customerExists(long customerId) {
        try {
            customers.get(customerId);
            return true;
        } catch (ApiException e) {
            if (e.code() == ErrorCode.NOT_FOUND) {
                return false;
            }
            throw e;
        }
    }

    private static Contact applyContact(JsonFields f, Contact c, boolean creating, Instant now) {
        String name = creating || f.has("name") ? f.string("name", 200, false) : c.name();
        String email = f.has("email") ? f.email("email") : c.email();
        String phone = f.has("phone") ? f.phone("phone") : c.phone();
        String position = f.has("position") ? f.optionalString("position", 200) : c.position();
        f.validate();
        return new Contact(
                c.id(),
                c.institutionId(),
                name == null ? c.name() : name.strip(),
                email,
                phone,
                position,
                c.createdAt(),
                now);
    }

    private static String noteText(JsonNode body) {
        JsonFields f = new JsonFields(body, NOTE_FIELDS);
        String text = f.string("text", 10_000, false);
        f.validate();
        return text == null ? "" : text.strip();
    }

    /** The {@code tags} array, normalized and without repeats, in the order given. */
    private static List<Tag> tags(JsonFields f) {
        List<String> typed = f.strings("tags", MAX_TAGS, Tag.MAX_LENGTH * 2);
        Set<String> seen = new TreeSet<>();
        List<Tag> tags = new ArrayList<>();
        for (int i = 0; i < typed.size(); i++) {
            try {
                Tag tag = Tag.of(typed.get(i));
                if (seen.add(tag.value())) {
                    tags.add(tag);
                }
            } catch (IllegalArgumentException e) {
                f.error("tags[" + i + "]", String.valueOf(e.getMessage()));
            }
        }
        return tags;
    }

    private static Tag tag(String typed) {
        try {
            return Tag.of(typed);
        } catch (IllegalArgumentException e) {
            throw JsonFields.invalid("tag", String.valueOf(e.getMessage()));
        }
    }

    private static @Nullable String blankToNull(@Nullable String text) {
        return text == null || text.isBlank() ? null : text.strip();
    }

    private static ApiException notFound() {
        return notFound("lead.not-found");
    }

    private static ApiException notFound(String detail) {
        return ApiException.of(ErrorCode.NOT_FOUND).detail(detail);
    }
}
