package dev.licensor.server.lead.admin;

import dev.licensor.server.customer.Customer;
import dev.licensor.server.customer.Customers;
import dev.licensor.server.lead.ActivityKind;
import dev.licensor.server.lead.Institution;
import dev.licensor.server.lead.LeadStatus;
import dev.licensor.server.lead.Leads;
import dev.licensor.server.web.ApiException;
import dev.licensor.server.web.PageResponse;
import dev.licensor.server.web.admin.Csv;
import dev.licensor.server.web.admin.Flash;
import dev.licensor.server.web.admin.Forms;
import dev.licensor.server.web.admin.Pager;
import dev.licensor.server.web.admin.PanelController;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.Arrays;
import java.util.List;
import org.jspecify.annotations.Nullable;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.ModelAttribute;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.servlet.mvc.support.RedirectAttributes;

/**
 * Leads: the list with search, tag and status filters and CSV export; one institution's page with
 * its details, contact persons, tags, notes (with their version history) and activities.
 */
@PanelController
@RequestMapping("/admin/leads")
class LeadController {
    static final String LIST_VIEW = "admin/leads";
    static final String DETAIL_VIEW = "admin/lead";
    static final String NOTE_VIEW = "admin/lead-note";

    private final Leads leads;
    private final Customers customers;

    LeadController(Leads leads, Customers customers) {
        this.leads = leads;
        this.customers = customers;
    }

    /** The list filters, as query parameters. */
    record Filter(@Nullable String q, @Nullable String tag, @Nullable String status) {
        Leads.ListQuery query() {
            return new Leads.ListQuery(q, tag, status);
        }
    }

    record LeadForm(
            @Nullable String name,
            @Nullable String website,
            @Nullable String city,
            @Nullable String country,
            @Nullable String status,
            @Nullable String customerId,
            @Nullable String tags) {
        /** On create, blank fields are left out; on edit they clear the value. */
        Forms body(boolean creating) {
            Forms body = Forms.body().text("name", name).text("status", status);
            if (creating) {
                body.text("website", website).text("city", city).text("country", country);
                body.value("customer_id", Forms.id(customerId));
            } else {
                body.textOrNull("website", website).textOrNull("city", city).textOrNull("country", country);
                body.valueOrNull("customer_id", Forms.id(customerId));
            }
            if (tags != null && !tags.isBlank()) {
                body.value("tags", list(tags));
            }
            return body;
        }
    }

    record ContactForm(
            @Nullable String name, @Nullable String email, @Nullable String phone, @Nullable String position) {
        Forms body() {
            return Forms.body()
                    .text("name", name)
                    .textOrNull("email", email)
                    .textOrNull("phone", phone)
                    .textOrNull("position", position);
        }
    }

    record ActivityForm(
            @Nullable String kind, @Nullable String occurredAt, @Nullable String summary, @Nullable String contactId) {}

    @GetMapping
    String list(@ModelAttribute Filter filter, @RequestParam(defaultValue = "0") int page, Model model) {
        PageResponse<Institution> result = leads.list(filter.query(), Pager.paging(page));
        model.addAttribute("leads", result.items());
        model.addAttribute("pager", Pager.of(result));
        model.addAttribute("filter", filter);
        model.addAttribute("statuses", LeadStatus.values());
        model.addAttribute("tags", leads.tags());
        return LIST_VIEW;
    }

    @GetMapping("/export.csv")
    void export(@ModelAttribute Filter filter, HttpServletResponse response) throws IOException {
        Csv.write(
                response,
                "leads.csv",
                List.of(
                        "id",
                        "name",
                        "website",
                        "city",
                        "country",
                        "status",
                        "customer_id",
                        "tags",
                        "created_at",
                        "updated_at"),
                Csv.pages(paging -> leads.list(filter.query(), paging)),
                i -> Arrays.asList(
                        i.id(),
                        i.name(),
                        i.website(),
                        i.city(),
                        i.country(),
                        i.status(),
                        i.customerId(),
                        String.join(" ", i.tags()),
                        i.createdAt(),
                        i.updatedAt()));
    }

    @PostMapping
    String create(@ModelAttribute LeadForm form, RedirectAttributes redirect) {
        Institution created = leads.create(form.body(true).json());
        Flash.success(redirect, "panel.leads.created", created.name());
        return "redirect:/admin/leads/" + created.id();
    }

    @GetMapping("/{id}")
    String detail(@PathVariable long id, @RequestParam(defaultValue = "0") int page, Model model) {
        Leads.Details details = leads.details(id, Pager.paging(page));
        model.addAttribute("lead", details.institution());
        model.addAttribute("contacts", details.contacts());
        model.addAttribute("notes", details.notes());
        model.addAttribute("activities", details.activities().items());
        model.addAttribute("pager", Pager.of(details.activities()));
        model.addAttribute("customer", customer(details.institution().customerId()));
        model.addAttribute("statuses", LeadStatus.values());
        model.addAttribute("kinds", ActivityKind.values());
        return DETAIL_VIEW;
    }

    @PostMapping("/{id}")
    String update(@PathVariable long id, @ModelAttribute LeadForm form, RedirectAttributes redirect) {
        leads.patch(id, form.body(false).json());
        Flash.success(redirect, "panel.saved");
        return "redirect:/admin/leads/" + id;
    }

    @PostMapping("/{id}/convert")
    String convert(@PathVariable long id, RedirectAttributes redirect) {
        Institution lead = leads.convert(id);
        Flash.success(redirect, "panel.leads.converted", lead.name());
        return "redirect:/admin/leads/" + id;
    }

    @PostMapping("/{id}/delete")
    String delete(@PathVariable long id, RedirectAttributes redirect) {
        leads.delete(id);
        Flash.success(redirect, "panel.deleted");
        return "redirect:/admin/leads";
    }

    @PostMapping("/{id}/tags")
    String addTag(@PathVariable long id, @RequestParam(defaultValue = "") String tag, RedirectAttributes redirect) {
        List<String> tags = list(tag);
        if (tags.isEmpty()) {
            leads.addTag(id, tag); // refused as blank, with the reason on the page
        }
        for (String one : tags) {
            leads.addTag(id, one);
        }
        Flash.success(redirect, "panel.saved");
        return "redirect:/admin/leads/" + id;
    }

    @PostMapping("/{id}/tags/delete")
    String removeTag(@PathVariable long id, @RequestParam(defaultValue = "") String tag, RedirectAttributes redirect) {
        leads.removeTag(id, tag);
        Flash.success(redirect, "panel.leads.tag-removed", tag);
        return "redirect:/admin/leads/" + id;
    }

    @PostMapping("/{id}/contacts")
    String addContact(@PathVariable long id, @ModelAttribute ContactForm form, RedirectAttributes redirect) {
        leads.addContact(id, form.body().json());
        Flash.success(redirect, "panel.leads.contact-added", form.name());
        return "redirect:/admin/leads/" + id;
    }

    @PostMapping("/{id}/contacts/{contactId}")
    String updateContact(
            @PathVariable long id,
            @PathVariable long contactId,
            @ModelAttribute ContactForm form,
            RedirectAttributes redirect) {
        leads.patchContact(id, contactId, form.body().json());
        Flash.success(redirect, "panel.saved");
        return "redirect:/admin/leads/" + id;
    }

    @PostMapping("/{id}/contacts/{contactId}/delete")
    String deleteContact(@PathVariable long id, @PathVariable long contactId, RedirectAttributes redirect) {
        leads.deleteContact(id, contactId);
        Flash.success(redirect, "panel.deleted");
        return "redirect:/admin/leads/" + id;
    }

    @PostMapping("/{id}/notes")
    String addNote(
            @PathVariable long id, @RequestParam(required = false) @Nullable String text, RedirectAttributes redirect) {
        leads.addNote(id, Forms.body().text("text", text).json());
        Flash.success(redirect, "panel.leads.note-added");
        return "redirect:/admin/leads/" + id;
    }

    @GetMapping("/{id}/notes/{noteId}")
    String note(@PathVariable long id, @PathVariable long noteId, Model model) {
        model.addAttribute("lead", leads.get(id));
        model.addAttribute("versions", leads.noteVersions(id, noteId));
        model.addAttribute("noteId", noteId);
        return NOTE_VIEW;
    }

    @PostMapping("/{id}/notes/{noteId}")
    String editNote(
            @PathVariable long id,
            @PathVariable long noteId,
            @RequestParam(required = false) @Nullable String text,
            RedirectAttributes redirect) {
        leads.editNote(id, noteId, Forms.body().text("text", text).json());
        Flash.success(redirect, "panel.saved");
        return "redirect:/admin/leads/" + id;
    }

    @PostMapping("/{id}/notes/{noteId}/delete")
    String deleteNote(@PathVariable long id, @PathVariable long noteId, RedirectAttributes redirect) {
        leads.deleteNote(id, noteId);
        Flash.success(redirect, "panel.deleted");
        return "redirect:/admin/leads/" + id;
    }

    @PostMapping("/{id}/activities")
    String addActivity(@PathVariable long id, @ModelAttribute ActivityForm form, RedirectAttributes redirect) {
        leads.addActivity(
                id,
                Forms.body()
                        .text("kind", form.kind())
                        .text("occurred_at", instant(form.occurredAt()))
                        .text("summary", form.summary())
                        .value("contact_id", Forms.id(form.contactId()))
                        .json());
        Flash.success(redirect, "panel.leads.activity-added");
        return "redirect:/admin/leads/" + id;
    }

    @PostMapping("/{id}/activities/{activityId}/delete")
    String deleteActivity(@PathVariable long id, @PathVariable long activityId, RedirectAttributes redirect) {
        leads.deleteActivity(id, activityId);
        Flash.success(redirect, "panel.deleted");
        return "redirect:/admin/leads/" + id;
    }

    private @Nullable Customer customer(@Nullable Long customerId) {
        if (customerId == null) {
            return null;
        }
        try {
            return customers.get(customerId);
        } catch (ApiException e) {
            return null;
        }
    }

    /** Tags typed in one field, separated by commas. */
    private static List<String> list(String tags) {
        return Arrays.stream(tags.split(","))
                .map(String::strip)
                .filter(t -> !t.isEmpty())
                .toList();
    }

    /**
     * A {@code datetime-local} value (read as UTC, the time the panel shows everywhere) as an
     * instant; anything else as typed, for the service to refuse.
     */
    private static @Nullable String instant(@Nullable String typed) {
        if (typed == null || typed.isBlank()) {
            return null;
        }
        try {
            return LocalDateTime.parse(typed.strip()).toInstant(ZoneOffset.UTC).toString();
        } catch (DateTimeParseException e) {
            return typed.strip();
        }
    }
}
