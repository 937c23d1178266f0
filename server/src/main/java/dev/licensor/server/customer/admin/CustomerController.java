package dev.licensor.server.customer.admin;

import dev.licensor.server.customer.Customer;
import dev.licensor.server.customer.Customers;
import dev.licensor.server.settings.Settings;
import dev.licensor.server.settings.Toggle;
import dev.licensor.server.web.PageResponse;
import dev.licensor.server.web.admin.Csv;
import dev.licensor.server.web.admin.CsvImport;
import dev.licensor.server.web.admin.Flash;
import dev.licensor.server.web.admin.Forms;
import dev.licensor.server.web.admin.Pager;
import dev.licensor.server.web.admin.PanelController;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import org.jspecify.annotations.Nullable;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.ModelAttribute;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.multipart.MultipartFile;
import org.springframework.web.servlet.mvc.support.RedirectAttributes;

/** Customers: list with search-as-you-type, create, edit, delete, licenses; CSV export and import. */
@PanelController
@RequestMapping("/admin/customers")
class CustomerController {
    static final String LIST_VIEW = "admin/customers";
    static final String ROWS_FRAGMENT = "admin/customers :: rows";
    static final String DETAIL_VIEW = "admin/customer";
    static final List<String> CSV_COLUMNS = List.of("name", "email", "company", "phone", "notes", "test");
    static final CsvImport.Kind IMPORT = new CsvImport.Kind("customers", CSV_COLUMNS, List.of("name"));

    private final Customers customers;
    private final Settings settings;
    private final CsvImport imports;

    CustomerController(Customers customers, Settings settings, CsvImport imports) {
        this.customers = customers;
        this.settings = settings;
        this.imports = imports;
    }

    record CustomerForm(
            @Nullable String name,
            @Nullable String email,
            @Nullable String company,
            @Nullable String phone,
            @Nullable String notes,
            @Nullable Boolean test) {
        Forms body() {
            return Forms.body()
                    .text("name", name)
                    .textOrNull("email", email)
                    .textOrNull("company", company)
                    .textOrNull("phone", phone)
                    .textOrNull("notes", notes)
                    .value("test", Boolean.TRUE.equals(test));
        }
    }

    @GetMapping
    String list(
            @RequestParam(required = false) @Nullable String q,
            @RequestParam(defaultValue = "false") boolean showTest,
            @RequestParam(defaultValue = "0") int page,
            @RequestHeader(name = "HX-Request", required = false) @Nullable String htmx,
            Model model) {
        Boolean test = settings.enabled(Toggle.HIDE_TEST_CUSTOMERS) && !showTest ? Boolean.FALSE : null;
        PageResponse<Customer> result = customers.search(q, test, Pager.paging(page));
        model.addAttribute("customers", result.items());
        model.addAttribute("pager", Pager.of(result));
        model.addAttribute("q", q == null ? "" : q);
        model.addAttribute("showTest", showTest);
        return htmx != null ? ROWS_FRAGMENT : LIST_VIEW;
    }

    @GetMapping("/export.csv")
    void export(@RequestParam(required = false) @Nullable String q, HttpServletResponse response) throws IOException {
        List<String> header = new ArrayList<>(List.of("id"));
        header.addAll(CSV_COLUMNS);
        header.add("created_at");
        Csv.write(
                response,
                "customers.csv",
                header,
                Csv.pages(paging -> customers.search(q, null, paging)),
                c -> Arrays.asList(
                        c.id(), c.name(), c.email(), c.company(), c.phone(), c.notes(), c.test(), c.createdAt()));
    }

    @PostMapping
    String create(@ModelAttribute CustomerForm form, RedirectAttributes redirect) {
        Customer customer = customers.create(form.body().json());
        Flash.success(redirect, "panel.customers.created", customer.name());
        return "redirect:/admin/customers/" + customer.id();
    }

    @GetMapping("/{id}")
    String detail(@PathVariable long id, @RequestParam(defaultValue = "0") int page, Model model) {
        model.addAttribute("customer", customers.get(id));
        Customers.CustomerLicenses licenses = customers.licenses(id, Pager.paging(page));
        model.addAttribute("licenses", licenses);
        model.addAttribute("pager", new Pager(licenses.page(), licenses.size(), licenses.total()));
        return DETAIL_VIEW;
    }

    @PostMapping("/{id}")
    String update(@PathVariable long id, @ModelAttribute CustomerForm form, RedirectAttributes redirect) {
        customers.patch(id, form.body().json());
        Flash.success(redirect, "panel.saved");
        return "redirect:/admin/customers/" + id;
    }

    @PostMapping("/{id}/delete")
    String delete(
            @PathVariable long id, @RequestParam(defaultValue = "false") boolean force, RedirectAttributes redirect) {
        customers.delete(id, force);
        Flash.success(redirect, "panel.deleted");
        return "redirect:/admin/customers";
    }

    @GetMapping("/import")
    String importForm(Model model) {
        return CsvImport.form(IMPORT, model);
    }

    /** Preview (default) or commit of a CSV file; the preview page posts the same text back to commit. */
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
                new CsvImport.Upload(file, csv, commit), IMPORT, "/admin/customers", locale, model, redirect, row -> {
                    Customer c = customers.create(Forms.body()
                            .text("name", row.get("name"))
                            .text("email", row.get("email"))
                            .text("company", row.get("company"))
                            .text("phone", row.get("phone"))
                            .text("notes", row.get("notes"))
                            .value("test", "true".equalsIgnoreCase(row.get("test")) || "1".equals(row.get("test")))
                            .json());
                    return "#" + c.id();
                });
    }
}
