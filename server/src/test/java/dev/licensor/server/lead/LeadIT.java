package dev.licensor.server.lead;

import static org.assertj.core.api.Assertions.assertThat;

import dev.licensor.server.testing.AbstractAdminIT;
import dev.licensor.server.testing.Http;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/**
 * Leads through the admin API: institutions with filters and paging, contact persons, notes that
 * keep every version, normalized tags, activities, roles, audit rows, unknown fields, idempotent
 * retries and deletion of everything of a lead. Names and tags carry a run-unique suffix: the
 * database is shared with other tests (and other runs, on PostgreSQL).
 */
class LeadIT extends AbstractAdminIT {
    private final String run = UUID.randomUUID().toString().substring(0, 8);

    private JsonNode created(Http.Response response) {
        assertThat(response.status()).as(response.toString()).isEqualTo(201);
        return response.json();
    }

    private long lead(String name, Map<String, Object> fields) {
        Map<String, Object> body = new HashMap<>(fields);
        body.put("name", name);
        return created(admin("POST", "/api/admin/leads", body)).get("id").asLong();
    }

    private static List<String> names(JsonNode page) {
        return page.get("items")
                .valueStream()
                .map(i -> i.get("name").asString())
                .toList();
    }

    @Test
    void anInstitutionIsCreatedReadChangedAndListedWithFilters() {
        Http.Response response = admin(
                "POST",
                "/api/admin/leads",
                Map.of(
                        "name",
                        "  Gymnasium Nord " + run + " ",
                        "website",
                        "https://gymnasium-nord.example",
                        "city",
                        "Hamburg",
                        "country",
                        "DE",
                        "tags",
                        List.of(" School ", "PILOT-" + run, "school")));
        JsonNode school = created(response);
        long id = school.get("id").asLong();
        assertThat(school.get("name").asString()).isEqualTo("Gymnasium Nord " + run);
        assertThat(school.get("status").asString()).isEqualTo("NEW");
        assertThat(school.get("customer_id").isNull()).isTrue();
        assertThat(school.get("created_at").asString()).endsWith("Z");
        // Trimmed, lower-cased, once each, sorted.
        assertThat(school.get("tags").valueStream().map(JsonNode::asString)).containsExactly("pilot-" + run, "school");

        long other = lead("Firma Süd " + run, Map.of("city", "München", "status", "qualified"));
        lead("Verloren " + run, Map.of("status", "LOST", "tags", List.of("school")));

        assertThat(ok(adminGet("/api/admin/leads/" + id)).get("website").asString())
                .isEqualTo("https://gymnasium-nord.example");
        assertThat(adminGet("/api/admin/leads/999999999").status()).isEqualTo(404);

        // Search in name and city, any case; tag filter (normalized); status filter; paging.
        JsonNode byName = ok(adminGet("/api/admin/leads?q=" + run));
        assertThat(byName.get("total").asLong()).isEqualTo(3);
        assertThat(names(byName)).containsExactly("Firma Süd " + run, "Gymnasium Nord " + run, "Verloren " + run);
        assertThat(names(ok(adminGet("/api/admin/leads?q=M%C3%BCNCHEN")))).contains("Firma Süd " + run);
        assertThat(names(ok(adminGet("/api/admin/leads?tag=%20PILOT-" + run))))
                .containsExactly("Gymnasium Nord " + run);
        assertThat(names(ok(adminGet("/api/admin/leads?q=" + run + "&tag=school"))))
                .containsExactly("Gymnasium Nord " + run, "Verloren " + run);
        assertThat(names(ok(adminGet("/api/admin/leads?q=" + run + "&status=QUALIFIED"))))
                .containsExactly("Firma Süd " + run);
        JsonNode page = ok(adminGet("/api/admin/leads?q=" + run + "&size=2&page=1"));
        assertThat(page.get("page").asInt()).isEqualTo(1);
        assertThat(page.get("size").asInt()).isEqualTo(2);
        assertThat(page.get("total").asLong()).isEqualTo(3);
        assertThat(names(page)).containsExactly("Verloren " + run);
        assertInvalid(adminGet("/api/admin/leads?status=MAYBE"), "status");
        assertInvalid(adminGet("/api/admin/leads?tag=" + "x".repeat(41)), "tag");

        // Patch: a subset; "" clears; tags replace; status and customer checked.
        long customer = customer("Lead Customer " + run, Map.of());
        JsonNode patched = ok(admin(
                "PATCH",
                "/api/admin/leads/" + id,
                Map.of("status", "WON", "customer_id", customer, "city", "", "tags", List.of("Customer"))));
        assertThat(patched.get("status").asString()).isEqualTo("WON");
        assertThat(patched.get("customer_id").asLong()).isEqualTo(customer);
        assertThat(patched.get("city").isNull()).isTrue();
        assertThat(patched.get("country").asString()).isEqualTo("DE");
        assertThat(patched.get("tags").valueStream().map(JsonNode::asString)).containsExactly("customer");
        assertInvalid(admin("PATCH", "/api/admin/leads/" + id, Map.of("status", "MAYBE")), "status");
        assertInvalid(admin("PATCH", "/api/admin/leads/" + id, Map.of("customer_id", 999_999_999)), "customer_id");
        assertInvalid(admin("PATCH", "/api/admin/leads/" + other, Map.of("name", " ")), "name");
        assertInvalid(admin("POST", "/api/admin/leads", Map.of("city", "Bremen")), "name");
        assertInvalid(
                admin("POST", "/api/admin/leads", Map.of("name", "x", "tags", List.of("y".repeat(41)))), "tags[0]");
        assertThat(ok(adminGet("/api/admin/leads/" + id)).get("status").asString())
                .isEqualTo("WON");

        // The customer going keeps the lead, without the link.
        assertThat(admin("DELETE", "/api/admin/customers/" + customer, null).status())
                .isEqualTo(204);
        assertThat(ok(adminGet("/api/admin/leads/" + id)).get("customer_id").isNull())
                .isTrue();
    }

    @Test
    void unknownFieldsAreRefusedEverywhere() {
        long id = lead("Strict " + run, Map.of());
        assertInvalid(admin("POST", "/api/admin/leads", Map.of("name", "x", "nmae", "y")), "nmae");
        assertInvalid(admin("PATCH", "/api/admin/leads/" + id, Map.of("colour", "red")), "colour");
        assertInvalid(admin("POST", "/api/admin/leads/" + id + "/contacts", Map.of("name", "a", "age", 3)), "age");
        assertInvalid(admin("POST", "/api/admin/leads/" + id + "/notes", Map.of("text", "a", "title", "b")), "title");
        assertInvalid(
                admin("POST", "/api/admin/leads/" + id + "/activities", Map.of("summary", "a", "mood", "good")),
                "mood");
        assertInvalid(admin("POST", "/api/admin/leads", "[]"), "");
        assertThat(names(ok(adminGet("/api/admin/leads?q=" + run)))).containsExactly("Strict " + run);
    }

    @Test
    void editingANoteAddsAVersionAndKeepsTheOldOnes() {
        long id = lead("Notes " + run, Map.of());
        JsonNode note =
                created(admin("POST", "/api/admin/leads/" + id + "/notes", Map.of("text", "First call went well")));
        long noteId = note.get("id").asLong();
        assertThat(note.get("version").asInt()).isEqualTo(1);
        assertThat(note.get("created_by").asString()).startsWith("token:");

        String editor = "Bearer " + token(Role.ADMIN);
        JsonNode edited = ok(http.send(
                "PATCH",
                "/api/admin/leads/" + id + "/notes/" + noteId,
                Map.of("text", "First call went well; pilot in March"),
                "Authorization",
                editor));
        assertThat(edited.get("version").asInt()).isEqualTo(2);
        assertThat(edited.get("text").asString()).isEqualTo("First call went well; pilot in March");
        assertThat(edited.get("updated_by").asString())
                .isNotEqualTo(edited.get("created_by").asString());
        // The same text again is no new version.
        assertThat(ok(admin(
                                "PATCH",
                                "/api/admin/leads/" + id + "/notes/" + noteId,
                                Map.of("text", "First call went well; pilot in March")))
                        .get("version")
                        .asInt())
                .isEqualTo(2);
        ok(admin("PATCH", "/api/admin/leads/" + id + "/notes/" + noteId, Map.of("text", "Pilot postponed")));

        JsonNode versions = items(adminGet("/api/admin/leads/" + id + "/notes/" + noteId + "/versions"));
        assertThat(versions.valueStream().map(v -> v.get("version").asInt())).containsExactly(3, 2, 1);
        assertThat(versions.valueStream().map(v -> v.get("text").asString()))
                .containsExactly("Pilot postponed", "First call went well; pilot in March", "First call went well");
        assertThat(versions.get(1).get("author").asString())
                .isEqualTo(edited.get("updated_by").asString());
        assertThat(versions.get(2).get("created_at").asString()).endsWith("Z");

        JsonNode notes = items(adminGet("/api/admin/leads/" + id + "/notes"));
        assertThat(notes).hasSize(1);
        assertThat(notes.get(0).get("text").asString()).isEqualTo("Pilot postponed");
        assertThat(notes.get(0).get("version").asInt()).isEqualTo(3);

        assertInvalid(admin("PATCH", "/api/admin/leads/" + id + "/notes/" + noteId, Map.of("text", "  ")), "text");
        // A note is reached through its own lead only.
        long other = lead("Other notes " + run, Map.of());
        assertThat(adminGet("/api/admin/leads/" + other + "/notes/" + noteId + "/versions")
                        .status())
                .isEqualTo(404);
        assertThat(admin("PATCH", "/api/admin/leads/" + other + "/notes/" + noteId, Map.of("text", "x"))
                        .status())
                .isEqualTo(404);

        assertThat(admin("DELETE", "/api/admin/leads/" + id + "/notes/" + noteId, null)
                        .status())
                .isEqualTo(204);
        assertThat(items(adminGet("/api/admin/leads/" + id + "/notes"))).isEmpty();
        assertThat(count("lead_note_versions WHERE note_id = " + noteId)).isZero();
    }

    @Test
    void contactsNotesAndNoteVersionsAreListedAsPages() {
        long id = lead("Pages " + run, Map.of());
        long other = lead("Other pages " + run, Map.of());
        for (String name : List.of("carla Cruz", "Anna Adler", "Bert Brook")) {
            created(admin("POST", "/api/admin/leads/" + id + "/contacts", Map.of("name", name)));
        }
        created(admin("POST", "/api/admin/leads/" + other + "/contacts", Map.of("name", "Aaron Elsewhere")));
        List<Long> noteIds = new ArrayList<>();
        for (String text : List.of("first", "second", "third")) {
            noteIds.add(created(admin("POST", "/api/admin/leads/" + id + "/notes", Map.of("text", text)))
                    .get("id")
                    .asLong());
        }
        // Editing the first note makes it the last changed, and gives it versions 2 and 3.
        ok(admin("PATCH", "/api/admin/leads/" + id + "/notes/" + noteIds.get(0), Map.of("text", "first, again")));
        ok(admin("PATCH", "/api/admin/leads/" + id + "/notes/" + noteIds.get(0), Map.of("text", "first, third")));

        JsonNode contacts = assertPagedList("/api/admin/leads/" + id + "/contacts", 3);
        assertThat(contacts.valueStream().map(c -> c.get("name").asString()))
                .containsExactly("Anna Adler", "Bert Brook", "carla Cruz");
        JsonNode notes = assertPagedList("/api/admin/leads/" + id + "/notes", 3);
        assertThat(notes.get(0).get("id").asLong()).isEqualTo(noteIds.get(0));
        assertThat(notes.valueStream().map(n -> n.get("text").asString()))
                .containsExactlyInAnyOrder("first, third", "second", "third");
        JsonNode versions = assertPagedList("/api/admin/leads/" + id + "/notes/" + noteIds.get(0) + "/versions", 3);
        assertThat(versions.valueStream().map(v -> v.get("version").asInt())).containsExactly(3, 2, 1);
        assertThat(adminGet("/api/admin/leads/" + other + "/notes/" + noteIds.get(0) + "/versions?size=1")
                        .status())
                .isEqualTo(404);
        assertThat(adminGet("/api/admin/leads/999999999/contacts").status()).isEqualTo(404);
    }

    @Test
    void tagsAreNormalizedAddedOnceAndRemoved() {
        long id = lead("Tags " + run, Map.of());
        String tag = "Hot-Lead-" + run;
        Http.Response added = admin("PUT", "/api/admin/leads/" + id + "/tags/%20" + tag + "%20", null);
        assertThat(ok(added).valueStream().map(JsonNode::asString)).containsExactly(tag.toLowerCase());
        // Again, in another case: still one tag, and no second audit row.
        ok(admin("PUT", "/api/admin/leads/" + id + "/tags/" + tag.toUpperCase(), null));
        ok(admin("PUT", "/api/admin/leads/" + id + "/tags/zeta", null));
        assertThat(ok(adminGet("/api/admin/leads/" + id))
                        .get("tags")
                        .valueStream()
                        .map(JsonNode::asString))
                .containsExactly(tag.toLowerCase(), "zeta");
        assertThat(auditActions("lead", id)).containsExactly("lead.create", "lead.tag_add", "lead.tag_add");
        assertThat(ok(adminGet("/api/admin/leads/tags")).get(tag.toLowerCase()).asLong())
                .isEqualTo(1);

        assertInvalid(admin("PUT", "/api/admin/leads/" + id + "/tags/" + "t".repeat(41), null), "tag");
        assertInvalid(admin("PUT", "/api/admin/leads/" + id + "/tags/%20%20", null), "tag");

        JsonNode left = ok(admin("DELETE", "/api/admin/leads/" + id + "/tags/" + tag, null));
        assertThat(left.valueStream().map(JsonNode::asString)).containsExactly("zeta");
        assertThat(ok(admin("DELETE", "/api/admin/leads/" + id + "/tags/" + tag, null)))
                .hasSize(1);
        assertThat(admin("PUT", "/api/admin/leads/999999999/tags/x", null).status())
                .isEqualTo(404);
    }

    @Test
    void contactsAndActivitiesMakeATimeline() {
        long id = lead("Timeline " + run, Map.of());
        JsonNode jane = created(admin(
                "POST",
                "/api/admin/leads/" + id + "/contacts",
                Map.of("name", "Jane Roe", "email", "jane@school.example", "phone", "+49 40 123", "position", "Head")));
        long janeId = jane.get("id").asLong();
        assertThat(jane.get("position").asString()).isEqualTo("Head");
        assertInvalid(
                admin("POST", "/api/admin/leads/" + id + "/contacts", Map.of("name", "X", "email", "nope")), "email");
        JsonNode changed =
                ok(admin("PATCH", "/api/admin/leads/" + id + "/contacts/" + janeId, Map.of("position", "Deputy head")));
        assertThat(changed.get("position").asString()).isEqualTo("Deputy head");
        assertThat(changed.get("email").asString()).isEqualTo("jane@school.example");

        created(admin(
                "POST",
                "/api/admin/leads/" + id + "/activities",
                Map.of(
                        "kind",
                        "call",
                        "occurred_at",
                        "2026-11-02T09:00:00Z",
                        "summary",
                        "Intro call",
                        "contact_id",
                        janeId)));
        JsonNode meeting = created(admin(
                "POST",
                "/api/admin/leads/" + id + "/activities",
                Map.of("kind", "MEETING", "occurred_at", "2026-11-20T14:00:00Z", "summary", "Demo on site")));
        assertThat(meeting.get("actor").asString()).startsWith("token:");
        assertThat(meeting.get("contact_id").isNull()).isTrue();
        assertInvalid(
                admin("POST", "/api/admin/leads/" + id + "/activities", Map.of("kind", "FAX", "summary", "x")), "kind");
        assertInvalid(
                admin("POST", "/api/admin/leads/" + id + "/activities", Map.of("kind", "CALL", "summary", "")),
                "summary");
        assertInvalid(
                admin(
                        "POST",
                        "/api/admin/leads/" + id + "/activities",
                        Map.of("kind", "CALL", "summary", "x", "occurred_at", "yesterday")),
                "occurred_at");
        // A contact person of another lead is refused.
        long other = lead("Other timeline " + run, Map.of());
        long stranger = created(admin("POST", "/api/admin/leads/" + other + "/contacts", Map.of("name", "Stranger")))
                .get("id")
                .asLong();
        assertInvalid(
                admin(
                        "POST",
                        "/api/admin/leads/" + id + "/activities",
                        Map.of("kind", "CALL", "summary", "x", "contact_id", stranger)),
                "contact_id");

        JsonNode timeline = ok(adminGet("/api/admin/leads/" + id + "/activities"));
        assertThat(timeline.get("total").asLong()).isEqualTo(2);
        assertThat(timeline.get("items").valueStream().map(a -> a.get("summary").asString()))
                .containsExactly("Demo on site", "Intro call");
        assertThat(timeline.get("items").get(1).get("contact_name").asString()).isEqualTo("Jane Roe");

        // The contact person goes; the activity stays, without them.
        assertThat(admin("DELETE", "/api/admin/leads/" + id + "/contacts/" + janeId, null)
                        .status())
                .isEqualTo(204);
        JsonNode after = ok(adminGet("/api/admin/leads/" + id + "/activities"));
        assertThat(after.get("total").asLong()).isEqualTo(2);
        assertThat(after.get("items").get(1).get("contact_id").isNull()).isTrue();
        assertThat(items(adminGet("/api/admin/leads/" + id + "/contacts"))).isEmpty();

        long activity = after.get("items").get(0).get("id").asLong();
        assertThat(admin("DELETE", "/api/admin/leads/" + other + "/activities/" + activity, null)
                        .status())
                .isEqualTo(404);
        assertThat(admin("DELETE", "/api/admin/leads/" + id + "/activities/" + activity, null)
                        .status())
                .isEqualTo(204);
        assertThat(ok(adminGet("/api/admin/leads/" + id + "/activities"))
                        .get("total")
                        .asLong())
                .isEqualTo(1);
        // Contact persons are searched too.
        assertThat(names(ok(adminGet("/api/admin/leads?q=stranger")))).contains("Other timeline " + run);
    }

    @Test
    void everyWriteIsAuditedAndDeletingALeadTakesEverythingOfIt() {
        long id = lead("Audited " + run, Map.of("tags", List.of("a", "b")));
        long contact = created(admin("POST", "/api/admin/leads/" + id + "/contacts", Map.of("name", "C")))
                .get("id")
                .asLong();
        long note = created(admin("POST", "/api/admin/leads/" + id + "/notes", Map.of("text", "v1")))
                .get("id")
                .asLong();
        ok(admin("PATCH", "/api/admin/leads/" + id + "/notes/" + note, Map.of("text", "v2")));
        created(admin(
                "POST",
                "/api/admin/leads/" + id + "/activities",
                Map.of("kind", "EMAIL", "summary", "Sent prices", "contact_id", contact)));
        ok(admin("PATCH", "/api/admin/leads/" + id, Map.of("status", "CONTACTED")));

        assertThat(admin("DELETE", "/api/admin/leads/" + id, null).status()).isEqualTo(204);
        assertThat(adminGet("/api/admin/leads/" + id).status()).isEqualTo(404);
        assertThat(admin("DELETE", "/api/admin/leads/" + id, null).status()).isEqualTo(404);
        for (String table : List.of("lead_contacts", "lead_notes", "lead_tags", "lead_activities")) {
            assertThat(count(table + " WHERE institution_id = " + id)).as(table).isZero();
        }
        assertThat(count("lead_note_versions WHERE note_id = " + note)).isZero();

        assertThat(auditActions("lead", id))
                .containsExactly(
                        "lead.create",
                        "lead.contact_create",
                        "lead.note_create",
                        "lead.note_update",
                        "lead.activity_create",
                        "lead.update",
                        "lead.delete");
        String deleted = jdbc.sql(
                        "SELECT new_value FROM audit_log WHERE entity_type = 'lead' AND entity_id = ? AND action = 'lead.delete'")
                .param(String.valueOf(id))
                .query(String.class)
                .single();
        assertThat(deleted).contains("\"contacts\":1", "\"notes\":1", "\"note_versions\":2", "\"tags\":2");
        // The audit API finds a lead's history by entity.
        JsonNode audit = ok(adminGet("/api/admin/audit?entity_type=lead&entity_id=" + id));
        assertThat(audit.get("total").asLong()).isEqualTo(7);
    }

    @Test
    void aLeadBecomesACustomerOnceWithItsFirstContactPersonsAddress() {
        long id = lead("Gymnasium Nord " + run, Map.of("status", "QUALIFIED"));
        created(admin(
                "POST",
                "/api/admin/leads/" + id + "/contacts",
                Map.of("name", "Zoe Zander", "email", "zoe@example.org")));
        created(admin(
                "POST",
                "/api/admin/leads/" + id + "/contacts",
                Map.of("name", "Anna Adler", "email", "anna@example.org", "phone", "+49 40 123")));

        JsonNode lead = ok(admin("POST", "/api/admin/leads/" + id + "/convert", null));

        assertThat(lead.get("status").asString()).isEqualTo("WON");
        long customerId = lead.get("customer_id").asLong();
        JsonNode customer = ok(adminGet("/api/admin/customers/" + customerId));
        assertThat(customer.get("name").asString()).isEqualTo("Gymnasium Nord " + run);
        assertThat(customer.get("company").asString()).isEqualTo("Gymnasium Nord " + run);
        assertThat(customer.get("email").asString()).isEqualTo("anna@example.org");
        assertThat(customer.get("phone").asString()).isEqualTo("+49 40 123");
        assertThat(customer.get("notes").asString()).isEqualTo("From lead #" + id + ".");
        assertThat(auditActions("customer", customerId)).containsExactly("customer.create");
        assertThat(auditActions("lead", id)).endsWith("lead.convert");

        long customers = count("customers");
        Http.Response again = adminWith("POST", "/api/admin/leads/" + id + "/convert", null, "Accept-Language", "de");
        assertThat(again.status()).isEqualTo(409);
        assertThat(again.json().get("customer_id").asLong()).isEqualTo(customerId);
        assertThat(again.json().get("detail").asString()).isEqualTo("Dieser Lead ist schon Kunde " + customerId + ".");
        assertThat(count("customers")).isEqualTo(customers);

        // Without contact persons the customer has a name only.
        long bare = lead("Bare " + run, Map.of());
        JsonNode bareCustomer = ok(adminGet("/api/admin/customers/"
                + ok(admin("POST", "/api/admin/leads/" + bare + "/convert", null))
                        .get("customer_id")
                        .asLong()));
        assertThat(bareCustomer.path("email").isString()).isFalse();
        assertThat(admin("POST", "/api/admin/leads/999999999/convert", null).status())
                .isEqualTo(404);
    }

    @Test
    void everyRoleReadsButOnlyAdministratorsWrite() {
        long id = lead("Roles " + run, Map.of());
        long note = created(admin("POST", "/api/admin/leads/" + id + "/notes", Map.of("text", "n")))
                .get("id")
                .asLong();
        for (Role role : List.of(Role.VIEWER, Role.SUPPORT)) {
            assertThat(ok(as(role, "GET", "/api/admin/leads?q=" + run, null))
                            .get("total")
                            .asLong())
                    .isEqualTo(1);
            ok(as(role, "GET", "/api/admin/leads/" + id, null));
            ok(as(role, "GET", "/api/admin/leads/" + id + "/notes/" + note + "/versions", null));
            ok(as(role, "GET", "/api/admin/leads/" + id + "/activities", null));
            long audits = auditCount();
            List<Http.Response> refused = List.of(
                    as(role, "POST", "/api/admin/leads", Map.of("name", "Nope " + run)),
                    as(role, "PATCH", "/api/admin/leads/" + id, Map.of("status", "LOST")),
                    as(role, "DELETE", "/api/admin/leads/" + id, null),
                    as(role, "PUT", "/api/admin/leads/" + id + "/tags/nope", null),
                    as(role, "POST", "/api/admin/leads/" + id + "/contacts", Map.of("name", "Nope")),
                    as(role, "POST", "/api/admin/leads/" + id + "/notes", Map.of("text", "nope")),
                    as(role, "PATCH", "/api/admin/leads/" + id + "/notes/" + note, Map.of("text", "nope")),
                    as(role, "POST", "/api/admin/leads/" + id + "/activities", Map.of("summary", "nope")),
                    as(role, "POST", "/api/admin/leads/" + id + "/convert", null));
            for (Http.Response response : refused) {
                assertThat(response.status()).as(role + " " + response).isEqualTo(403);
                assertThat(response.code()).isEqualTo("FORBIDDEN");
            }
            assertThat(auditCount()).isEqualTo(audits);
        }
        JsonNode lead = ok(adminGet("/api/admin/leads/" + id));
        assertThat(lead.get("status").asString()).isEqualTo("NEW");
        assertThat(lead.get("tags")).isEmpty();
        assertThat(names(ok(adminGet("/api/admin/leads?q=" + run)))).containsExactly("Roles " + run);
        assertThat(http.send("GET", "/api/admin/leads", null).status()).isEqualTo(401);
    }

    @Test
    void aRetriedCreateWithTheSameIdempotencyKeyCreatesOneLead() {
        String key = "lead-" + run;
        Map<String, Object> body = Map.of("name", "Once " + run);
        Http.Response first = adminWith("POST", "/api/admin/leads", body, "Idempotency-Key", key);
        Http.Response second = adminWith("POST", "/api/admin/leads", body, "Idempotency-Key", key);
        assertThat(first.status()).isEqualTo(201);
        assertThat(second.status()).isEqualTo(201);
        assertThat(second.json().get("id").asLong())
                .isEqualTo(first.json().get("id").asLong());
        assertThat(ok(adminGet("/api/admin/leads?q=Once%20" + run)).get("total").asLong())
                .isEqualTo(1);
    }

    @Test
    void oddInputNeverCausesAServerErrorNorAChange() {
        long id = lead("Odd " + run, Map.of("tags", List.of("odd")));
        long contact = created(admin("POST", "/api/admin/leads/" + id + "/contacts", Map.of("name", "C")))
                .get("id")
                .asLong();
        long note = created(admin("POST", "/api/admin/leads/" + id + "/notes", Map.of("text", "n")))
                .get("id")
                .asLong();
        long audits = auditCount();
        List<String> bodies = List.of(
                "",
                "null",
                "[]",
                "42",
                "{",
                "{\"name\": null}",
                "{\"name\": \"\\u0000\"}",
                "{\"name\": \"\\ud800\"}",
                "{\"name\": \"" + "n".repeat(201) + "\"}",
                "{\"status\": 5}",
                "{\"customer_id\": 1e400}",
                "{\"customer_id\": 99999999999999999999999}",
                "{\"customer_id\": -1}",
                "{\"tags\": {\"a\": 1}}",
                "{\"tags\": [1, 2]}",
                "{\"text\": [\"x\"]}",
                "{\"text\": \"" + "t".repeat(10_001) + "\"}",
                "{\"kind\": \"CALL\", \"summary\": \"x\", \"occurred_at\": \"+999999999-12-31T23:59:59Z\"}",
                "{\"kind\": \"CALL\", \"summary\": \"x\", \"contact_id\": 2147483648}",
                "{\"email\": \"" + "a".repeat(400) + "@x.io\"}");
        List<String[]> targets = List.of(
                new String[] {"POST", "/api/admin/leads"},
                new String[] {"PATCH", "/api/admin/leads/" + id},
                new String[] {"POST", "/api/admin/leads/" + id + "/contacts"},
                new String[] {"PATCH", "/api/admin/leads/" + id + "/contacts/" + contact},
                new String[] {"POST", "/api/admin/leads/" + id + "/notes"},
                new String[] {"PATCH", "/api/admin/leads/" + id + "/notes/" + note},
                new String[] {"POST", "/api/admin/leads/" + id + "/activities"});
        List<String> failures = oddInputFailures(
                targets,
                bodies,
                (target, body, status) -> status == 400,
                List.of(
                        "/api/admin/leads/1.5",
                        "/api/admin/leads/%20",
                        "/api/admin/leads?q=%ED%A0%80",
                        "/api/admin/leads?tag=%00",
                        "/api/admin/leads?page=99999999&size=500",
                        "/api/admin/leads/" + id + "/activities?size=0",
                        "/api/admin/leads/" + id + "/contacts?size=0",
                        "/api/admin/leads/" + id + "/notes?page=-1",
                        "/api/admin/leads/" + id + "/notes/" + note + "/versions?size=501"));
        assertThat(failures).isEmpty();
        assertThat(auditCount()).isEqualTo(audits);
        JsonNode after = ok(adminGet("/api/admin/leads/" + id));
        assertThat(after.get("name").asString()).isEqualTo("Odd " + run);
        assertThat(after.get("tags").valueStream().map(JsonNode::asString)).containsExactly("odd");
        assertThat(items(adminGet("/api/admin/leads/" + id + "/notes"))
                        .get(0)
                        .get("version")
                        .asInt())
                .isEqualTo(1);
    }

    private long count(String tableAndWhere) {
        return jdbc.sql("SELECT COUNT(*) FROM " + tableAndWhere)
                .query(Long.class)
                .single();
    }
}
