package dev.licensor.server.lead;

import dev.licensor.server.support.Db;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import org.jspecify.annotations.Nullable;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.jdbc.support.GeneratedKeyHolder;
import org.springframework.stereotype.Repository;

@Repository
class LeadRepository {
    private static final String INSTITUTION =
            "id, name, website, city, country, status, customer_id, created_at, updated_at";
    private static final String CONTACT = "id, institution_id, name, email, phone, position, created_at, updated_at";
    private static final String NOTE =
            "id, institution_id, body, version, created_at, created_by, updated_at, updated_by";

    private final JdbcClient jdbc;

    LeadRepository(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    /** The list filters, validated; null means "any". */
    record Filter(@Nullable String q, @Nullable Tag tag, @Nullable LeadStatus status) {}

    // ---- institutions ----

    Optional<Institution> find(long id) {
        return jdbc.sql("SELECT " + INSTITUTION + " FROM lead_institutions WHERE id = ?")
                .param(id)
                .query(LeadRepository::institution)
                .optional()
                .map(i -> i.withTags(tags(id)));
    }

    Optional<Institution> lock(long id) {
        return jdbc.sql("SELECT " + INSTITUTION + " FROM lead_institutions WHERE id = ? FOR UPDATE")
                .param(id)
                .query(LeadRepository::institution)
                .optional()
                .map(i -> i.withTags(tags(id)));
    }

    /** One page of institutions, by name, each with its tags. */
    List<Institution> list(Filter filter, int offset, int limit) {
        Map<String, Object> params = new HashMap<>();
        String where = where(filter, params);
        params.put("limit", limit);
        params.put("offset", offset);
        List<Institution> page = jdbc.sql("SELECT " + INSTITUTION + " FROM lead_institutions" + where
                        + " ORDER BY LOWER(name), id LIMIT :limit OFFSET :offset")
                .params(params)
                .query(LeadRepository::institution)
                .list();
        if (page.isEmpty()) {
            return page;
        }
        Map<Long, List<String>> tags = new HashMap<>();
        jdbc.sql("SELECT institution_id, tag FROM lead_tags WHERE institution_id IN (:ids) ORDER BY tag")
                .param("ids", page.stream().map(Institution::id).toList())
                .query(rs -> {
                    tags.computeIfAbsent(rs.getLong("institution_id"), k -> new ArrayList<>())
                            .add(rs.getString("tag"));
                });
        return page.stream()
                .map(i -> i.withTags(tags.getOrDefault(i.id(), List.of())))
                .toList();
    }

    long count(Filter filter) {
        Map<String, Object> params = new HashMap<>();
        return jdbc.sql("SELECT COUNT(*) FROM lead_institutions" + where(filter, params))
                .params(params)
                .query(Long.class)
                .single();
    }

    long insert(Institution i) {
        GeneratedKeyHolder keys = new GeneratedKeyHolder();
        jdbc.sql(
                        """
                        INSERT INTO lead_institutions (name, website, city, country, status, customer_id, created_at,
                            updated_at)
                        VALUES (?, ?, ?, ?, ?, ?, ?, ?)""")
                .params(
                        i.name(),
                        i.website(),
                        i.city(),
                        i.country(),
                        i.status().name(),
                        i.customerId(),
                        Db.ts(i.createdAt()),
                        Db.ts(i.updatedAt()))
                .update(keys, "id");
        return keys.getKeyAs(Long.class);
    }

    void update(Institution i) {
        jdbc.sql(
                        """
                        UPDATE lead_institutions SET name = ?, website = ?, city = ?, country = ?, status = ?,
                            customer_id = ?, updated_at = ?
                        WHERE id = ?""")
                .params(
                        i.name(),
                        i.website(),
                        i.city(),
                        i.country(),
                        i.status().name(),
                        i.customerId(),
                        Db.ts(i.updatedAt()),
                        i.id())
                .update();
    }

    void touch(long id, Instant now) {
        jdbc.sql("UPDATE lead_institutions SET updated_at = ? WHERE id = ?")
                .params(Db.ts(now), id)
                .update();
    }

    /** Deletes an institution and everything of it, children first; how many rows of each went. */
    Map<String, Integer> delete(long id) {
        Map<String, Integer> deleted = new LinkedHashMap<>();
        deleted.put(
                "activities",
                jdbc.sql("DELETE FROM lead_activities WHERE institution_id = ?")
                        .param(id)
                        .update());
        deleted.put(
                "tags",
                jdbc.sql("DELETE FROM lead_tags WHERE institution_id = ?")
                        .param(id)
                        .update());
        deleted.put(
                "note_versions",
                jdbc.sql(
                                "DELETE FROM lead_note_versions WHERE note_id IN (SELECT id FROM lead_notes WHERE institution_id = ?)")
                        .param(id)
                        .update());
        deleted.put(
                "notes",
                jdbc.sql("DELETE FROM lead_notes WHERE institution_id = ?")
                        .param(id)
                        .update());
        deleted.put(
                "contacts",
                jdbc.sql("DELETE FROM lead_contacts WHERE institution_id = ?")
                        .param(id)
                        .update());
        jdbc.sql("DELETE FROM lead_institutions WHERE id = ?").param(id).update();
        return deleted;
    }

    private static String where(Filter filter, Map<String, Object> params) {
        List<String> clauses = new ArrayList<>();
        if (filter.q() != null) {
            clauses.add(
                    """
                    (LOWER(name) LIKE :q OR LOWER(website) LIKE :q
                     OR LOWER(city) LIKE :q OR LOWER(country) LIKE :q
                     OR EXISTS (SELECT 1 FROM lead_contacts c WHERE c.institution_id = lead_institutions.id
                        AND (LOWER(c.name) LIKE :q OR LOWER(c.email) LIKE :q)))""");
            params.put("q", "%" + escape(filter.q().toLowerCase(Locale.ROOT)) + "%");
        }
        if (filter.tag() != null) {
            clauses.add(
                    "EXISTS (SELECT 1 FROM lead_tags t WHERE t.institution_id = lead_institutions.id AND t.tag = :tag)");
            params.put("tag", filter.tag().value());
        }
        if (filter.status() != null) {
            clauses.add("status = :status");
            params.put("status", filter.status().name());
        }
        return clauses.isEmpty() ? "" : " WHERE " + String.join(" AND ", clauses);
    }

    private static String escape(String text) {
        return text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_");
    }

    // ---- tags ----

    List<String> tags(long institutionId) {
        return jdbc.sql("SELECT tag FROM lead_tags WHERE institution_id = ? ORDER BY tag")
                .param(institutionId)
                .query(String.class)
                .list();
    }

    /** Every tag in use, with how many institutions carry it, by tag. */
    Map<String, Long> allTags() {
        Map<String, Long> tags = new LinkedHashMap<>();
        jdbc.sql("SELECT tag, COUNT(*) AS n FROM lead_tags GROUP BY tag ORDER BY tag")
                .query(rs -> {
                    tags.put(rs.getString("tag"), rs.getLong("n"));
                });
        return tags;
    }

    /** Adds a tag unless the institution has it; whether it was added. */
    boolean addTag(long institutionId, Tag tag) {
        return jdbc.sql(
                                """
                                INSERT INTO lead_tags (institution_id, tag)
                                SELECT ?, ? WHERE NOT EXISTS
                                    (SELECT 1 FROM lead_tags WHERE institution_id = ? AND tag = ?)""")
                        .params(institutionId, tag.value(), institutionId, tag.value())
                        .update()
                > 0;
    }

    boolean removeTag(long institutionId, Tag tag) {
        return jdbc.sql("DELETE FROM lead_tags WHERE institution_id = ? AND tag = ?")
                        .params(institutionId, tag.value())
                        .update()
                > 0;
    }

    void removeTags(long institutionId) {
        jdbc.sql("DELETE FROM lead_tags WHERE institution_id = ?")
                .param(institutionId)
                .update();
    }

    // ---- contacts ----

    /** Every contact person of an institution, by name. */
    List<Contact> contacts(long institutionId) {
        return contacts(institutionId, 0, Integer.MAX_VALUE);
    }

    /** One page of an institution's contact persons, by name. */
    List<Contact> contacts(long institutionId, int offset, int limit) {
        return jdbc.sql("SELECT " + CONTACT
                        + " FROM lead_contacts WHERE institution_id = ? ORDER BY LOWER(name), id LIMIT ? OFFSET ?")
                .params(institutionId, limit, offset)
                .query(LeadRepository::contact)
                .list();
    }

    long countContacts(long institutionId) {
        return rowsWith("lead_contacts", "institution_id", institutionId);
    }

    Optional<Contact> contact(long institutionId, long id) {
        return jdbc.sql("SELECT " + CONTACT + " FROM lead_contacts WHERE institution_id = ? AND id = ?")
                .params(institutionId, id)
                .query(LeadRepository::contact)
                .optional();
    }

    long insertContact(Contact c) {
        GeneratedKeyHolder keys = new GeneratedKeyHolder();
        jdbc.sql(
                        """
                        INSERT INTO lead_contacts (institution_id, name, email, phone, position, created_at, updated_at)
                        VALUES (?, ?, ?, ?, ?, ?, ?)""")
                .params(
                        c.institutionId(),
                        c.name(),
                        c.email(),
                        c.phone(),
                        c.position(),
                        Db.ts(c.createdAt()),
                        Db.ts(c.updatedAt()))
                .update(keys, "id");
        return keys.getKeyAs(Long.class);
    }

    void updateContact(Contact c) {
        jdbc.sql(
                        """
                        UPDATE lead_contacts SET name = ?, email = ?, phone = ?, position = ?, updated_at = ?
                        WHERE id = ?""")
                .params(c.name(), c.email(), c.phone(), c.position(), Db.ts(c.updatedAt()), c.id())
                .update();
    }

    void deleteContact(long id) {
        // The activities with the person stay, without the person.
        jdbc.sql("UPDATE lead_activities SET contact_id = NULL WHERE contact_id = ?")
                .param(id)
                .update();
        jdbc.sql("DELETE FROM lead_contacts WHERE id = ?").param(id).update();
    }

    // ---- notes ----

    /** Every note of an institution, last changed first. */
    List<Note> notes(long institutionId) {
        return notes(institutionId, 0, Integer.MAX_VALUE);
    }

    /** One page of an institution's notes, last changed first. */
    List<Note> notes(long institutionId, int offset, int limit) {
        return jdbc.sql("SELECT " + NOTE + " FROM lead_notes WHERE institution_id = ?"
                        + " ORDER BY updated_at DESC, id DESC LIMIT ? OFFSET ?")
                .params(institutionId, limit, offset)
                .query(LeadRepository::note)
                .list();
    }

    long countNotes(long institutionId) {
        return rowsWith("lead_notes", "institution_id", institutionId);
    }

    Optional<Note> note(long institutionId, long id) {
        return jdbc.sql("SELECT " + NOTE + " FROM lead_notes WHERE institution_id = ? AND id = ?")
                .params(institutionId, id)
                .query(LeadRepository::note)
                .optional();
    }

    Optional<Note> lockNote(long institutionId, long id) {
        return jdbc.sql("SELECT " + NOTE + " FROM lead_notes WHERE institution_id = ? AND id = ? FOR UPDATE")
                .params(institutionId, id)
                .query(LeadRepository::note)
                .optional();
    }

    /** A new note, as its version 1. */
    long insertNote(long institutionId, String text, String author, Instant now) {
        GeneratedKeyHolder keys = new GeneratedKeyHolder();
        jdbc.sql(
                        """
                        INSERT INTO lead_notes (institution_id, body, version, created_at, created_by, updated_at,
                            updated_by)
                        VALUES (?, ?, 1, ?, ?, ?, ?)""")
                .params(institutionId, text, Db.ts(now), author, Db.ts(now), author)
                .update(keys, "id");
        long id = keys.getKeyAs(Long.class);
        insertVersion(id, 1, text, author, now);
        return id;
    }

    /** The next version of a (locked) note: the old versions stay as they are. */
    void addVersion(Note note, String text, String author, Instant now) {
        int version = note.version() + 1;
        insertVersion(note.id(), version, text, author, now);
        jdbc.sql("UPDATE lead_notes SET body = ?, version = ?, updated_at = ?, updated_by = ? WHERE id = ?")
                .params(text, version, Db.ts(now), author, note.id())
                .update();
    }

    private void insertVersion(long noteId, int version, String text, String author, Instant now) {
        jdbc.sql(
                        """
                        INSERT INTO lead_note_versions (note_id, version, body, author, created_at)
                        VALUES (?, ?, ?, ?, ?)""")
                .params(noteId, version, text, author, Db.ts(now))
                .update();
    }

    /** Every version of a note, newest first. */
    List<NoteVersion> versions(long noteId) {
        return versions(noteId, 0, Integer.MAX_VALUE);
    }

    /** One page of a note's versions, newest first. */
    List<NoteVersion> versions(long noteId, int offset, int limit) {
        return jdbc.sql(
                        """
                        SELECT note_id, version, body, author, created_at FROM lead_note_versions
                        WHERE note_id = ? ORDER BY version DESC LIMIT ? OFFSET ?""")
                .params(noteId, limit, offset)
                .query((rs, row) -> new NoteVersion(
                        rs.getLong("note_id"),
                        rs.getInt("version"),
                        rs.getString("body"),
                        rs.getString("author"),
                        Db.instant(rs, "created_at")))
                .list();
    }

    long countVersions(long noteId) {
        return rowsWith("lead_note_versions", "note_id", noteId);
    }

    void deleteNote(long id) {
        jdbc.sql("DELETE FROM lead_note_versions WHERE note_id = ?").param(id).update();
        jdbc.sql("DELETE FROM lead_notes WHERE id = ?").param(id).update();
    }

    // ---- activities ----

    /** One page of an institution's activities, the latest first. */
    List<Activity> activities(long institutionId, int offset, int limit) {
        return jdbc.sql(
                        """
                        SELECT a.id, a.institution_id, a.contact_id, c.name AS contact_name, a.kind, a.occurred_at,
                            a.summary, a.actor, a.created_at
                        FROM lead_activities a LEFT JOIN lead_contacts c ON c.id = a.contact_id
                        WHERE a.institution_id = ?
                        ORDER BY a.occurred_at DESC, a.id DESC LIMIT ? OFFSET ?""")
                .params(institutionId, limit, offset)
                .query(LeadRepository::activity)
                .list();
    }

    long countActivities(long institutionId) {
        return rowsWith("lead_activities", "institution_id", institutionId);
    }

    Optional<Activity> activity(long institutionId, long id) {
        return jdbc.sql(
                        """
                        SELECT a.id, a.institution_id, a.contact_id, c.name AS contact_name, a.kind, a.occurred_at,
                            a.summary, a.actor, a.created_at
                        FROM lead_activities a LEFT JOIN lead_contacts c ON c.id = a.contact_id
                        WHERE a.institution_id = ? AND a.id = ?""")
                .params(institutionId, id)
                .query(LeadRepository::activity)
                .optional();
    }

    long insertActivity(
            long institutionId,
            @Nullable Long contactId,
            ActivityKind kind,
            Instant occurredAt,
            String summary,
            String actor,
            Instant now) {
        GeneratedKeyHolder keys = new GeneratedKeyHolder();
        jdbc.sql(
                        """
                        INSERT INTO lead_activities (institution_id, contact_id, kind, occurred_at, summary, actor,
                            created_at)
                        VALUES (?, ?, ?, ?, ?, ?, ?)""")
                .params(institutionId, contactId, kind.name(), Db.ts(occurredAt), summary, actor, Db.ts(now))
                .update(keys, "id");
        return keys.getKeyAs(Long.class);
    }

    void deleteActivity(long id) {
        jdbc.sql("DELETE FROM lead_activities WHERE id = ?").param(id).update();
    }

    // ---- mapping ----

    private static Institution institution(ResultSet rs, int row) throws SQLException {
        return new Institution(
                rs.getLong("id"),
                rs.getString("name"),
                rs.getString("website"),
                rs.getString("city"),
                rs.getString("country"),
                LeadStatus.valueOf(rs.getString("status")),
                Db.bigint(rs, "customer_id"),
                List.of(),
                Db.instant(rs, "created_at"),
                Db.instant(rs, "updated_at"));
    }

    private static Contact contact(ResultSet rs, int row) throws SQLException {
        return new Contact(
                rs.getLong("id"),
                rs.getLong("institution_id"),
                rs.getString("name"),
                rs.getString("email"),
                rs.getString("phone"),
                rs.getString("position"),
                Db.instant(rs, "created_at"),
                Db.instant(rs, "updated_at"));
    }

    private static Note note(ResultSet rs, int row) throws SQLException {
        return new Note(
                rs.getLong("id"),
                rs.getLong("institution_id"),
                rs.getString("body"),
                rs.getInt("version"),
                Db.instant(rs, "created_at"),
                rs.getString("created_by"),
                Db.instant(rs, "updated_at"),
                rs.getString("updated_by"));
    }

    private static Activity activity(ResultSet rs, int row) throws SQLException {
        return new Activity(
                rs.getLong("id"),
                rs.getLong("institution_id"),
                Db.bigint(rs, "contact_id"),
                rs.getString("contact_name"),
                ActivityKind.valueOf(rs.getString("kind")),
                Db.instant(rs, "occurred_at"),
                rs.getString("summary"),
                rs.getString("actor"),
                Db.instant(rs, "created_at"));
    }

    /** How many rows of a lead's child table belong to one parent (names from this class only). */
    private long rowsWith(String table, String parentColumn, long parentId) {
        return jdbc.sql("SELECT COUNT(*) FROM " + table + " WHERE " + parentColumn + " = ?")
                .param(parentId)
                .query(Long.class)
                .single();
    }
}
