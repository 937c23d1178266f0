package dev.licensor.server.license.admin;

import dev.licensor.server.abuse.Anomalies;
import dev.licensor.server.audit.LogQueries;
import dev.licensor.server.customer.Customers;
import dev.licensor.server.license.AdminLicenseView;
import dev.licensor.server.license.LicenseAdmin;
import dev.licensor.server.license.LicenseTypes;
import dev.licensor.server.license.Licenses;
import dev.licensor.server.product.Products;
import dev.licensor.server.resource.ResourcePool;
import dev.licensor.server.session.Sessions;
import dev.licensor.server.settings.Settings;
import dev.licensor.server.settings.Toggle;
import dev.licensor.server.usage.Usage;
import dev.licensor.server.web.ApiException;
import dev.licensor.server.web.JsonFields;
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
import org.springframework.context.MessageSource;
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
 * Licenses: the filtered list (server-side paging), creating one or a batch, the detail page with
 * devices, resources, usage quotas, sessions, history and logs, quick inline edit, single and bulk
 * actions, CSV.
 */
@PanelController
@RequestMapping("/admin/licenses")
class LicenseController {
    static final String LIST_VIEW = "admin/licenses";
    static final String NEW_VIEW = "admin/license-new";
    static final String DETAIL_VIEW = "admin/license";
    static final String ROW_FRAGMENT = "admin/licenses :: row";
    static final String EDIT_ROW_FRAGMENT = "admin/licenses :: edit-row";
    static final List<String> CSV_COLUMNS = List.of(
            "license_key",
            "product_id",
            "customer_id",
            "device_limit",
            "concurrent_sessions_limit",
            "expires_at",
            "features",
            "notes");
    static final CsvImport.Kind IMPORT = new CsvImport.Kind("licenses", CSV_COLUMNS, List.of("product_id"));

    private final LicenseAdmin licenses;
    private final Licenses issuing;
    private final Products products;
    private final LicenseTypes types;
    private final Customers customers;
    private final Sessions sessions;
    private final LogQueries logs;
    private final Settings settings;
    private final CsvImport imports;
    private final MessageSource messages;
    private final Anomalies anomalies;
    private final ResourcePool resources;
    private final Usage usage;

    LicenseController(
            LicenseAdmin licenses,
            Licenses issuing,
            Products products,
            LicenseTypes types,
            Customers customers,
            Sessions sessions,
            LogQueries logs,
            Settings settings,
            CsvImport imports,
            MessageSource messages,
            Anomalies anomalies,
            ResourcePool resources,
            Usage usage) {
        this.licenses = licenses;
        this.issuing = issuing;
        this.products = products;
        this.types = types;
        this.customers = customers;
        this.sessions = sessions;
        this.logs = logs;
        this.settings = settings;
        this.imports = imports;
        this.messages = messages;
        this.anomalies = anomalies;
        this.resources = resources;
        this.usage = usage;
    }

    /** The list filters, as query parameters. */
    record Filter(
            @Nullable Long product,
            @Nullable String status,
            @Nullable Long type,
            @Nullable Long customer,
            @Nullable Integer expiring,
            @Nullable Boolean suspicious,
            @Nullable String batch,
            @Nullable String q) {
        LicenseAdmin.ListQuery query() {
            return new LicenseAdmin.ListQuery(
                    product,
                    status == null || status.isBlank() ? null : status,
                    customer,
                    type,
                    expiring,
                    Boolean.TRUE.equals(suspicious) ? Boolean.TRUE : null,
                    batch == null || batch.isBlank() ? null : batch,
                    q);
        }
    }

    /** Creating one license, or {@code count} of them as a batch. */
    record NewLicenseForm(
            @Nullable Long productId,
            @Nullable Long customerId,
            @Nullable Long licenseTypeId,
            @Nullable Integer count,
            @Nullable Integer deviceLimit,
            @Nullable Integer concurrentSessionsLimit,
            @Nullable Integer durationDays,
            @Nullable String expirationBasis,
            @Nullable String expiresAt,
            @Nullable String features,
            @Nullable Boolean singleUse,
            @Nullable String notes) {}

    /** The quick edit: limits, expiry (a date, blank = perpetual) and notes. */
    record QuickEditForm(
            @Nullable Integer deviceLimit,
            @Nullable Integer concurrentSessionsLimit,
            @Nullable String expiresAt,
            @Nullable String notes) {
        Forms body() {
            return Forms.body()
                    .value("device_limit", deviceLimit)
                    .value("concurrent_sessions_limit", concurrentSessionsLimit)
                    .valueOrNull("expires_at", Forms.endOfDay(expiresAt))
                    .textOrNull("notes", notes);
        }
    }

    @GetMapping
    String list(@ModelAttribute Filter filter, @RequestParam(defaultValue = "0") int page, Model model) {
        PageResponse<AdminLicenseView> result = licenses.list(filter.query(), Pager.paging(page));
        model.addAttribute("licenses", result.items());
        model.addAttribute("pager", Pager.of(result));
        model.addAttribute("filter", filter);
        model.addAttribute(
                "products",
                products.list(new PageResponse.Paging(0, PageResponse.MAX_SIZE)).items());
        model.addAttribute(
                "types",
                types.list(filter.product(), new PageResponse.Paging(0, PageResponse.MAX_SIZE))
                        .items());
        return LIST_VIEW;
    }

    @GetMapping("/export.csv")
    void export(@ModelAttribute Filter filter, HttpServletResponse response) throws IOException {
        Csv.write(
                response,
                "licenses.csv",
                List.of(
                        "license_key",
                        "product_id",
                        "product",
                        "customer_id",
                        "licensed_to",
                        "type",
                        "status",
                        "device_limit",
                        "devices_used",
                        "concurrent_sessions_limit",
                        "expires_at",
                        "features",
                        "legacy",
                        "batch_id",
                        "notes",
                        "created_at"),
                Csv.pages(paging -> licenses.list(filter.query(), paging)),
                l -> Arrays.asList(
                        l.licenseKey(),
                        l.productId(),
                        l.product(),
                        l.customerId(),
                        l.licensedTo(),
                        l.type(),
                        l.status(),
                        l.deviceLimit(),
                        l.devicesUsed(),
                        l.concurrentSessionsLimit(),
                        l.expiresAt(),
                        String.join(";", l.features()),
                        l.legacy(),
                        l.batchId(),
                        l.notes(),
                        l.createdAt()));
    }

    @GetMapping("/new")
    String newForm(
            @RequestParam(required = false) @Nullable Long customer,
            @RequestParam(required = false) @Nullable Long product,
            Model model) {
        model.addAttribute(
                "products",
                products.list(new PageResponse.Paging(0, PageResponse.MAX_SIZE)).items());
        model.addAttribute(
                "types",
                types.list(product, new PageResponse.Paging(0, PageResponse.MAX_SIZE))
                        .items());
        model.addAttribute("customer", customer == null ? null : customers.get(customer));
        return NEW_VIEW;
    }

    @PostMapping
    String create(@ModelAttribute NewLicenseForm form, RedirectAttributes redirect) {
        Forms body = Forms.body()
                .value("product_id", form.productId())
                .value("customer_id", form.customerId())
                .value("license_type_id", form.licenseTypeId())
                .value("device_limit", form.deviceLimit())
                .value("concurrent_sessions_limit", form.concurrentSessionsLimit())
                .value("duration_days", form.durationDays())
                .text("expiration_basis", form.expirationBasis())
                .text("expires_at", Forms.endOfDay(form.expiresAt()))
                .value("features", features(form.features()))
                .value("single_use", Boolean.TRUE.equals(form.singleUse()) ? Boolean.TRUE : null)
                .text("notes", form.notes());
        int count = form.count() == null ? 1 : form.count();
        if (count > 1) {
            Licenses.Batch batch =
                    issuing.createBatch(body.value("count", count).json());
            Flash.success(redirect, "panel.licenses.batch-created", batch.count());
            return "redirect:/admin/licenses?batch=" + batch.batchId();
        }
        AdminLicenseView created = issuing.create(body.json());
        Flash.success(redirect, "panel.licenses.created", created.licenseKey());
        return "redirect:/admin/licenses/" + created.licenseKey();
    }

    private static @Nullable List<String> features(@Nullable String text) {
        if (text == null || text.isBlank()) {
            return null;
        }
        return Arrays.stream(text.split("[,;\\s]+")).filter(s -> !s.isBlank()).toList();
    }

    @GetMapping("/{key}")
    String detail(@PathVariable String key, Model model) {
        AdminLicenseView license = licenses.get(key);
        model.addAttribute("license", license);
        model.addAttribute("devices", licenses.devices(key));
        model.addAttribute(
                "openAnomalies",
                anomalies
                        .list("OPEN", license.id(), new PageResponse.Paging(0, 100))
                        .items());
        Sessions.Query query = new Sessions.Query(license.licenseKey(), null, null, null, null);
        model.addAttribute(
                "liveSessions",
                sessions.live(query, new PageResponse.Paging(0, 100)).items());
        model.addAttribute(
                "history",
                sessions.history(query, new PageResponse.Paging(0, 20)).items());
        model.addAttribute(
                "validations",
                logs.validations(license.licenseKey(), null, new PageResponse.Paging(0, 20))
                        .items());
        model.addAttribute(
                "audit",
                logs.audit("license", String.valueOf(license.id()), null, null, new PageResponse.Paging(0, 20))
                        .items());
        model.addAttribute("resources", resources.ofLicense(license.id()));
        model.addAttribute("availableResources", resources.available(100));
        model.addAttribute("quotas", usage.quotas(license.licenseKey()));
        return DETAIL_VIEW;
    }

    /** The list row, or its inline edit form (htmx). */
    @GetMapping("/{key}/row")
    String row(@PathVariable String key, @RequestParam(defaultValue = "false") boolean edit, Model model) {
        model.addAttribute("l", licenses.get(key));
        return edit ? EDIT_ROW_FRAGMENT : ROW_FRAGMENT;
    }

    /** Saves the inline edit and answers the updated row; a refusal answers the form with the reason. */
    @PostMapping("/{key}/quick")
    String quickEdit(@PathVariable String key, @ModelAttribute QuickEditForm form, Locale locale, Model model) {
        try {
            model.addAttribute("l", licenses.patch(key, form.body().json()));
            return ROW_FRAGMENT;
        } catch (ApiException e) {
            model.addAttribute("l", licenses.get(key));
            model.addAttribute("error", describe(e, locale));
            return EDIT_ROW_FRAGMENT;
        }
    }

    private String describe(ApiException e, Locale locale) {
        if (e.properties().get("errors") instanceof List<?> errors) {
            return errors.toString();
        }
        return messages.getMessage(
                "problem." + e.code().name() + ".detail", null, e.code().name(), locale);
    }

    @PostMapping("/{key}")
    String update(@PathVariable String key, @ModelAttribute QuickEditForm form, RedirectAttributes redirect) {
        licenses.patch(key, form.body().json());
        Flash.success(redirect, "panel.saved");
        return "redirect:/admin/licenses/" + key;
    }

    @PostMapping("/{key}/{action:suspend|reinstate|revoke}")
    String status(@PathVariable String key, @PathVariable String action, RedirectAttributes redirect) {
        licenses.changeStatus(key, LicenseAdmin.StatusAction.valueOf(action.toUpperCase(Locale.ROOT)), null);
        Flash.success(redirect, "panel.licenses.done." + action);
        return "redirect:/admin/licenses/" + key;
    }

    @PostMapping("/{key}/extend")
    String extend(@PathVariable String key, @RequestParam(defaultValue = "0") int days, RedirectAttributes redirect) {
        licenses.extend(key, Forms.body().value("days", days).json());
        Flash.success(redirect, "panel.licenses.extended", days);
        return "redirect:/admin/licenses/" + key;
    }

    @PostMapping("/{key}/delete")
    String delete(@PathVariable String key, RedirectAttributes redirect) {
        licenses.delete(key);
        Flash.success(redirect, "panel.deleted");
        return "redirect:/admin/licenses";
    }

    @PostMapping("/{key}/devices/{deviceId}/{action:deactivate|block|unblock}")
    String device(
            @PathVariable String key,
            @PathVariable long deviceId,
            @PathVariable String action,
            RedirectAttributes redirect) {
        licenses.deviceAction(key, deviceId, LicenseAdmin.DeviceAction.valueOf(action.toUpperCase(Locale.ROOT)), null);
        Flash.success(redirect, "panel.saved");
        return "redirect:/admin/licenses/" + key;
    }

    /** One action on the ticked licenses; each license changes in its own transaction. */
    @PostMapping("/bulk")
    String bulk(
            @RequestParam(name = "keys", required = false) @Nullable List<String> keys,
            @RequestParam String action,
            @RequestParam(defaultValue = "30") int days,
            Locale locale,
            RedirectAttributes redirect) {
        if (keys == null || keys.isEmpty()) {
            Flash.error(redirect, "panel.licenses.bulk.none");
            return "redirect:/admin/licenses";
        }
        int done = 0;
        List<String> failed = new ArrayList<>();
        for (String key : keys) {
            try {
                switch (action) {
                    case "suspend" -> licenses.changeStatus(key, LicenseAdmin.StatusAction.SUSPEND, null);
                    case "reinstate" -> licenses.changeStatus(key, LicenseAdmin.StatusAction.REINSTATE, null);
                    case "extend" ->
                        licenses.extend(key, Forms.body().value("days", days).json());
                    case "delete" -> licenses.delete(key);
                    default -> throw JsonFields.invalid("action", "unknown action");
                }
                done++;
            } catch (ApiException e) {
                failed.add(key + " (" + describe(e, locale) + ")");
            }
        }
        if (failed.isEmpty()) {
            Flash.success(redirect, "panel.licenses.bulk.done", done);
        } else {
            Flash.error(redirect, "panel.licenses.bulk.partly", done, String.join(", ", failed));
        }
        return "redirect:/admin/licenses";
    }

    @GetMapping("/import")
    String importForm(Model model) {
        return CsvImport.form(IMPORT, model);
    }

    /** Preview or commit of a license CSV; keys in any format are imported as legacy keys. */
    @PostMapping("/import")
    String importCsv(
            @RequestParam(required = false) @Nullable MultipartFile file,
            @RequestParam(required = false) @Nullable String csv,
            @RequestParam(defaultValue = "false") boolean commit,
            Locale locale,
            Model model,
            RedirectAttributes redirect)
            throws IOException {
        boolean legacyAllowed = settings.enabled(Toggle.IMPORT_LEGACY_KEYS);
        return imports.page(
                new CsvImport.Upload(file, csv, commit), IMPORT, "/admin/licenses", locale, model, redirect, row -> {
                    Forms body = Forms.body()
                            .value("product_id", Forms.id(row.get("product_id")))
                            .value("customer_id", Forms.id(row.get("customer_id")))
                            .value("device_limit", integer(row.get("device_limit")))
                            .value("concurrent_sessions_limit", integer(row.get("concurrent_sessions_limit")))
                            .text("expires_at", Forms.endOfDay(row.get("expires_at")))
                            .value("features", features(row.get("features")))
                            .text("notes", row.get("notes"))
                            .text("license_key", row.get("license_key"));
                    if (row.get("product_id") == null) {
                        throw JsonFields.invalid("product_id", "must not be blank");
                    }
                    AdminLicenseView created = issuing.create(body.json());
                    if (created.legacy() && !legacyAllowed) {
                        throw JsonFields.invalid("license_key", "legacy keys are turned off in the settings");
                    }
                    return created.licenseKey() + (created.legacy() ? " (legacy)" : "");
                });
    }

    private static @Nullable Object integer(@Nullable String text) {
        if (text == null) {
            return null;
        }
        try {
            return Integer.parseInt(text);
        } catch (NumberFormatException e) {
            return text; // the service answers "must be a whole number" for the row
        }
    }
}
