package dev.licensor.server.resource.admin;

import dev.licensor.server.resource.Resource;
import dev.licensor.server.resource.ResourceKind;
import dev.licensor.server.resource.ResourcePool;
import dev.licensor.server.resource.ResourceStatus;
import dev.licensor.server.web.PageResponse;
import dev.licensor.server.web.admin.Csv;
import dev.licensor.server.web.admin.CsvImport;
import dev.licensor.server.web.admin.Flash;
import dev.licensor.server.web.admin.Forms;
import dev.licensor.server.web.admin.Pager;
import dev.licensor.server.web.admin.PanelController;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import org.jspecify.annotations.Nullable;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.ModelAttribute;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.multipart.MultipartFile;
import org.springframework.web.servlet.mvc.support.RedirectAttributes;

/**
 * Resources: the pool with filters, adding one or pasting many, quarantine, ending a quarantine,
 * deleting, each resource's history; CSV export and import.
 */
@PanelController
@RequestMapping("/admin/resources")
class ResourceController {
    static final String LIST_VIEW = "admin/resources";
    static final String DETAIL_VIEW = "admin/resource";
    static final List<String> CSV_COLUMNS = List.of("kind", "value", "notes");
    static final CsvImport.Kind IMPORT = new CsvImport.Kind("resources", CSV_COLUMNS, List.of("kind", "value"));

    private final ResourcePool pool;
    private final CsvImport imports;

    ResourceController(ResourcePool pool, CsvImport imports) {
        this.pool = pool;
        this.imports = imports;
    }

    /** The list filters, as query parameters. */
    record Filter(@Nullable String kind, @Nullable String status, @Nullable String q) {
        ResourcePool.ListQuery query() {
            return new ResourcePool.ListQuery(kind, status, null, q);
        }
    }

    record ResourceForm(@Nullable String kind, @Nullable String value, @Nullable String notes) {}

    /** Many values of one kind, one a line (or separated by commas or spaces). */
    record BatchForm(@Nullable String kind, @Nullable String values) {
        List<String> list() {
            return values == null
                    ? List.of()
                    : Arrays.stream(values.split("[,;\\r\\n]+"))
                            .map(String::strip)
                            .filter(v -> !v.isEmpty())
                            .toList();
        }
    }

    @GetMapping
    String list(@ModelAttribute Filter filter, @RequestParam(defaultValue = "0") int page, Model model) {
        PageResponse<Resource> result = pool.list(filter.query(), Pager.paging(page));
        model.addAttribute("resources", result.items());
        model.addAttribute("pager", Pager.of(result));
        model.addAttribute("filter", filter);
        model.addAttribute("kinds", ResourceKind.values());
        model.addAttribute("statuses", ResourceStatus.values());
        return LIST_VIEW;
    }

    @GetMapping("/export.csv")
    void export(@ModelAttribute Filter filter, HttpServletResponse response) throws IOException {
        Csv.write(
                response,
                "resources.csv",
                List.of(
                        "id",
                        "kind",
                        "value",
                        "status",
                        "license_key",
                        "quarantined_until",
                        "notes",
                        "created_at",
                        "updated_at"),
                Csv.pages(paging -> pool.list(filter.query(), paging)),
                r -> Arrays.asList(
                        r.id(),
                        r.kind(),
                        r.value(),
                        r.status(),
                        r.licenseKey(),
                        r.quarantinedUntil(),
                        r.notes(),
                        r.createdAt(),
                        r.updatedAt()));
    }

    @PostMapping
    String create(@ModelAttribute ResourceForm form, RedirectAttributes redirect) {
        Resource created = pool.create(Forms.body()
                .text("kind", form.kind())
                .text("value", form.value())
                .text("notes", form.notes())
                .json());
        Flash.success(redirect, "panel.resources.created", created.value());
        return "redirect:/admin/resources";
    }

    @PostMapping("/batch")
    String batch(@ModelAttribute BatchForm form, RedirectAttributes redirect) {
        ResourcePool.BatchResult result = pool.createBatch(Forms.body()
                .text("kind", form.kind())
                .value("values", form.list())
                .json());
        Flash.success(redirect, "panel.resources.batch-created", result.created());
        return "redirect:/admin/resources?kind=" + result.kind();
    }

    @GetMapping("/{id}")
    String detail(@PathVariable long id, @RequestParam(defaultValue = "0") int page, Model model) {
        model.addAttribute("resource", pool.get(id));
        PageResponse<dev.licensor.server.resource.Allocation> history = pool.history(id, Pager.paging(page));
        model.addAttribute("history", history.items());
        model.addAttribute("pager", Pager.of(history));
        return DETAIL_VIEW;
    }

    @PostMapping("/{id}")
    String update(@PathVariable long id, @ModelAttribute ResourceForm form, RedirectAttributes redirect) {
        Forms body = Forms.body().textOrNull("notes", form.notes());
        if (form.value() != null && !form.value().isBlank()) {
            body.text("value", form.value());
        }
        pool.patch(id, body.json());
        Flash.success(redirect, "panel.saved");
        return "redirect:/admin/resources/" + id;
    }

    @PostMapping("/{id}/quarantine")
    String quarantine(
            @PathVariable long id,
            @RequestParam(required = false) @Nullable String until,
            RedirectAttributes redirect) {
        pool.quarantine(id, Forms.body().text("until", Forms.endOfDay(until)).json());
        Flash.success(redirect, "panel.saved");
        return "redirect:/admin/resources/" + id;
    }

    @PostMapping("/{id}/make-available")
    String makeAvailable(@PathVariable long id, RedirectAttributes redirect) {
        pool.makeAvailable(id);
        Flash.success(redirect, "panel.saved");
        return "redirect:/admin/resources/" + id;
    }

    @PostMapping("/{id}/delete")
    String delete(@PathVariable long id, RedirectAttributes redirect) {
        pool.delete(id);
        Flash.success(redirect, "panel.deleted");
        return "redirect:/admin/resources";
    }

    @GetMapping("/import")
    String importForm(Model model) {
        return CsvImport.form(IMPORT, model);
    }

    /** Preview (default) or commit of a CSV file of kind, value and notes; all rows or none. */
    @PostMapping("/import")
    String importCsv(
            @RequestParam(required = false) @Nullable MultipartFile file,
            @RequestParam(required = false) @Nullable String csv,
            @RequestParam(defaultValue = "false") boolean commit,
            Locale locale,
            Model model,
            RedirectAttributes redirect)
            throws IOException {
        return imports.page(
                new CsvImport.Upload(file, csv, commit), IMPORT, "/admin/resources", locale, model, redirect, row -> {
                    Resource created = pool.create(Forms.body()
                            .text("kind", row.get("kind"))
                            .text("value", unguarded(row.get("value")))
                            .text("notes", row.get("notes"))
                            .json());
                    return created.kind() + " " + created.value();
                });
    }

    /**
     * A value as exported: the export puts {@code '} before a cell starting with {@code +} (phone
     * numbers) so spreadsheets do not read it as a formula; an exported file imports again.
     */
    private static @Nullable String unguarded(@Nullable String value) {
        return value != null && value.startsWith("'+") ? value.substring(1) : value;
    }
}
