package dev.licensor.server.lead.api;

import dev.licensor.server.lead.Activity;
import dev.licensor.server.lead.Contact;
import dev.licensor.server.lead.Institution;
import dev.licensor.server.lead.Leads;
import dev.licensor.server.lead.Note;
import dev.licensor.server.lead.NoteVersion;
import dev.licensor.server.web.PageResponse;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.Parameter;
import io.swagger.v3.oas.annotations.media.Content;
import io.swagger.v3.oas.annotations.media.ExampleObject;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.tags.Tag;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;
import org.springframework.http.HttpStatus;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PatchMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.ResponseStatus;
import org.springframework.web.bind.annotation.RestController;
import tools.jackson.databind.JsonNode;

/** Admin API: leads (institutions, contact persons, versioned notes, tags, activities). Writes: ADMIN. */
@RestController
@RequestMapping("/api/admin/leads")
@Tag(name = "Admin: leads", description = "A small CRM: institutions, contact persons, notes, tags, activities")
class AdminLeadController {
    private static final String EXAMPLE =
            """
            {"name": "Gymnasium Nord", "website": "https://gymnasium-nord.example", "city": "Hamburg",
             "country": "DE", "status": "CONTACTED", "tags": ["school", "pilot"]}""";

    private final Leads leads;

    AdminLeadController(Leads leads) {
        this.leads = leads;
    }

    @Schema(name = "LeadRequest", description = "Create: name required. Patch: any subset. Unknown fields: 400")
    record LeadBody(
            @Schema(maxLength = 200) String name,
            @Schema(maxLength = 500) @Nullable String website,
            @Schema(maxLength = 200) @Nullable String city,
            @Schema(maxLength = 100) @Nullable String country,
            @Schema(
                            allowableValues = {"NEW", "CONTACTED", "QUALIFIED", "WON", "LOST"},
                            defaultValue = "NEW")
                    @Nullable
                    String status,
            @Schema(description = "The customer the lead became") @Nullable Long customerId,
            @Schema(description = "Replaces the tags; each trimmed and lower-cased, at most 40 characters") @Nullable
                    List<String> tags) {}

    @Schema(name = "LeadContactRequest", description = "Create: name required. Patch: any subset")
    record ContactBody(
            @Schema(maxLength = 200) String name,
            @Schema(maxLength = 320) @Nullable String email,
            @Schema(maxLength = 50) @Nullable String phone,
            @Schema(maxLength = 200) @Nullable String position) {}

    @Schema(name = "LeadNoteRequest", description = "A note's text; editing adds a version")
    record NoteBody(@Schema(maxLength = 10000) String text) {}

    @Schema(name = "LeadActivityRequest", description = "Unknown fields: 400")
    record ActivityBody(
            @Schema(allowableValues = {"CALL", "EMAIL", "MEETING", "OTHER"}) String kind,
            @Schema(description = "Default: now") @Nullable String occurredAt,
            @Schema(maxLength = 2000) String summary,
            @Schema(description = "A contact person of this institution") @Nullable Long contactId) {}

    @GetMapping
    @Operation(summary = "List or search leads, by name")
    PageResponse<Institution> list(
            @Parameter(description = "Case-insensitive search in name, website, city, country and contact persons")
                    @RequestParam(required = false)
                    @Nullable
                    String q,
            @RequestParam(required = false) @Nullable String tag,
            @RequestParam(required = false) @Nullable String status,
            @RequestParam(defaultValue = "0") int page,
            @RequestParam(defaultValue = "50") int size) {
        return leads.list(new Leads.ListQuery(q, tag, status), new PageResponse.Paging(page, size));
    }

    @GetMapping("/tags")
    @Operation(summary = "Every tag in use, with how many leads carry it")
    Map<String, Long> allTags() {
        return leads.tags();
    }

    @PostMapping
    @ResponseStatus(HttpStatus.CREATED)
    @Operation(summary = "Create a lead")
    Institution create(
            @io.swagger.v3.oas.annotations.parameters.RequestBody(
                            content =
                                    @Content(
                                            schema = @Schema(implementation = LeadBody.class),
                                            examples = @ExampleObject(value = EXAMPLE)))
                    @RequestBody
                    JsonNode body) {
        return leads.create(body);
    }

    @GetMapping("/{id}")
    @Operation(summary = "One lead")
    Institution get(@PathVariable long id) {
        return leads.get(id);
    }

    @PatchMapping("/{id}")
    @Operation(summary = "Change a lead; null or \"\" clears an optional field; tags, when given, replace them")
    Institution patch(
            @PathVariable long id,
            @io.swagger.v3.oas.annotations.parameters.RequestBody(
                            content =
                                    @Content(
                                            schema = @Schema(implementation = LeadBody.class),
                                            examples = @ExampleObject(value = "{\"status\": \"QUALIFIED\"}")))
                    @RequestBody
                    JsonNode body) {
        return leads.patch(id, body);
    }

    @PostMapping("/{id}/convert")
    @Operation(
            summary = "Make the lead a customer (named after it, with its first contact person's email and"
                    + " phone); the lead is linked to it and WON. 409 when it already has a customer")
    Institution convert(@PathVariable long id) {
        return leads.convert(id);
    }

    @DeleteMapping("/{id}")
    @ResponseStatus(HttpStatus.NO_CONTENT)
    @Operation(summary = "Delete a lead with its contact persons, notes (every version), tags and activities")
    void delete(@PathVariable long id) {
        leads.delete(id);
    }

    // ---- tags ----

    @PutMapping("/{id}/tags/{tag}")
    @Operation(summary = "Add a tag (trimmed, lower-cased); answers the lead's tags. Idempotent")
    List<String> addTag(@PathVariable long id, @PathVariable String tag) {
        return leads.addTag(id, tag);
    }

    @DeleteMapping("/{id}/tags/{tag}")
    @Operation(summary = "Remove a tag; answers the lead's tags. Idempotent")
    List<String> removeTag(@PathVariable long id, @PathVariable String tag) {
        return leads.removeTag(id, tag);
    }

    // ---- contacts ----

    @GetMapping("/{id}/contacts")
    @Operation(summary = "A lead's contact persons, by name")
    PageResponse<Contact> contacts(
            @PathVariable long id,
            @RequestParam(defaultValue = "0") int page,
            @RequestParam(defaultValue = "50") int size) {
        return leads.contacts(id, new PageResponse.Paging(page, size));
    }

    @PostMapping("/{id}/contacts")
    @ResponseStatus(HttpStatus.CREATED)
    @Operation(summary = "Add a contact person")
    Contact addContact(
            @PathVariable long id,
            @io.swagger.v3.oas.annotations.parameters.RequestBody(
                            content = @Content(schema = @Schema(implementation = ContactBody.class)))
                    @RequestBody
                    JsonNode body) {
        return leads.addContact(id, body);
    }

    @PatchMapping("/{id}/contacts/{contactId}")
    @Operation(summary = "Change a contact person")
    Contact patchContact(@PathVariable long id, @PathVariable long contactId, @RequestBody JsonNode body) {
        return leads.patchContact(id, contactId, body);
    }

    @DeleteMapping("/{id}/contacts/{contactId}")
    @ResponseStatus(HttpStatus.NO_CONTENT)
    @Operation(summary = "Delete a contact person; activities with them stay, without them")
    void deleteContact(@PathVariable long id, @PathVariable long contactId) {
        leads.deleteContact(id, contactId);
    }

    // ---- notes ----

    @GetMapping("/{id}/notes")
    @Operation(summary = "A lead's notes as they read now, last changed first")
    PageResponse<Note> notes(
            @PathVariable long id,
            @RequestParam(defaultValue = "0") int page,
            @RequestParam(defaultValue = "50") int size) {
        return leads.notes(id, new PageResponse.Paging(page, size));
    }

    @PostMapping("/{id}/notes")
    @ResponseStatus(HttpStatus.CREATED)
    @Operation(summary = "Add a note (version 1)")
    Note addNote(
            @PathVariable long id,
            @io.swagger.v3.oas.annotations.parameters.RequestBody(
                            content = @Content(schema = @Schema(implementation = NoteBody.class)))
                    @RequestBody
                    JsonNode body) {
        return leads.addNote(id, body);
    }

    @PatchMapping("/{id}/notes/{noteId}")
    @Operation(summary = "Edit a note: the text becomes its next version; earlier versions stay")
    Note editNote(@PathVariable long id, @PathVariable long noteId, @RequestBody JsonNode body) {
        return leads.editNote(id, noteId, body);
    }

    @GetMapping("/{id}/notes/{noteId}/versions")
    @Operation(summary = "Every version of a note with its author and time, newest first")
    PageResponse<NoteVersion> noteVersions(
            @PathVariable long id,
            @PathVariable long noteId,
            @RequestParam(defaultValue = "0") int page,
            @RequestParam(defaultValue = "50") int size) {
        return leads.noteVersions(id, noteId, new PageResponse.Paging(page, size));
    }

    @DeleteMapping("/{id}/notes/{noteId}")
    @ResponseStatus(HttpStatus.NO_CONTENT)
    @Operation(summary = "Delete a note with all its versions")
    void deleteNote(@PathVariable long id, @PathVariable long noteId) {
        leads.deleteNote(id, noteId);
    }

    // ---- activities ----

    @GetMapping("/{id}/activities")
    @Operation(summary = "A lead's activities, the latest first")
    PageResponse<Activity> activities(
            @PathVariable long id,
            @RequestParam(defaultValue = "0") int page,
            @RequestParam(defaultValue = "50") int size) {
        return leads.activities(id, new PageResponse.Paging(page, size));
    }

    @PostMapping("/{id}/activities")
    @ResponseStatus(HttpStatus.CREATED)
    @Operation(summary = "Record a call, email, meeting or other contact")
    Activity addActivity(
            @PathVariable long id,
            @io.swagger.v3.oas.annotations.parameters.RequestBody(
                            content = @Content(schema = @Schema(implementation = ActivityBody.class)))
                    @RequestBody
                    JsonNode body) {
        return leads.addActivity(id, body);
    }

    @DeleteMapping("/{id}/activities/{activityId}")
    @ResponseStatus(HttpStatus.NO_CONTENT)
    @Operation(summary = "Delete an activity")
    void deleteActivity(@PathVariable long id, @PathVariable long activityId) {
        leads.deleteActivity(id, activityId);
    }
}
