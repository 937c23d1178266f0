package dev.licensor.server.license.admin;

import dev.licensor.server.license.LicenseType;
import dev.licensor.server.license.LicenseTypes;
import dev.licensor.server.product.Products;
import dev.licensor.server.web.PageResponse;
import dev.licensor.server.web.admin.Csv;
import dev.licensor.server.web.admin.Flash;
import dev.licensor.server.web.admin.Forms;
import dev.licensor.server.web.admin.PanelController;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.Arrays;
import java.util.List;
import org.jspecify.annotations.Nullable;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.ModelAttribute;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.servlet.mvc.support.RedirectAttributes;

/**
 * A product's license types: list, create, edit (including how many resources of each kind the
 * pool gives every new license) and delete. ADMIN work, as in the admin API.
 */
@PanelController
@RequestMapping("/admin/products/{productId}/license-types")
class LicenseTypeController {
    static final String LIST_VIEW = "admin/license-types";

    private final LicenseTypes types;
    private final Products products;

    LicenseTypeController(LicenseTypes types, Products products) {
        this.types = types;
        this.products = products;
    }

    /** A type as the form sends it; blank duration = perpetual. */
    record TypeForm(
            @Nullable String name,
            @Nullable Integer durationDays,
            @Nullable String expirationBasis,
            @Nullable Integer deviceLimit,
            @Nullable Integer concurrentSessionsLimit,
            @Nullable String features,
            @Nullable Boolean singleUse,
            @Nullable Integer domains,
            @Nullable Integer ipv4Addresses,
            @Nullable Integer phoneNumbers) {
        Forms body() {
            return Forms.body()
                    .text("name", name)
                    .valueOrNull("duration_days", durationDays)
                    .text("expiration_basis", expirationBasis)
                    .value("device_limit", deviceLimit)
                    .value("concurrent_sessions_limit", concurrentSessionsLimit)
                    .value(
                            "features",
                            features == null
                                    ? List.of()
                                    : Arrays.stream(features.split("[,;\\s]+"))
                                            .filter(s -> !s.isBlank())
                                            .toList())
                    .value("single_use", Boolean.TRUE.equals(singleUse))
                    .value("domains", domains == null ? 0 : domains)
                    .value("ipv4_addresses", ipv4Addresses == null ? 0 : ipv4Addresses)
                    .value("phone_numbers", phoneNumbers == null ? 0 : phoneNumbers);
        }
    }

    @GetMapping
    String list(@PathVariable long productId, Model model) {
        model.addAttribute("product", products.get(productId));
        List<LicenseType> all = types.list(productId, new PageResponse.Paging(0, PageResponse.MAX_SIZE))
                .items();
        model.addAttribute("types", all);
        return LIST_VIEW;
    }

    @GetMapping("/export.csv")
    void export(@PathVariable long productId, HttpServletResponse response) throws IOException {
        products.get(productId);
        Csv.write(
                response,
                "license-types.csv",
                List.of(
                        "id",
                        "name",
                        "duration_days",
                        "expiration_basis",
                        "device_limit",
                        "concurrent_sessions_limit",
                        "features",
                        "single_use",
                        "domains",
                        "ipv4_addresses",
                        "phone_numbers",
                        "created_at",
                        "updated_at"),
                Csv.pages(paging -> types.list(productId, paging)),
                t -> Arrays.asList(
                        t.id(),
                        t.name(),
                        t.durationDays(),
                        t.expirationBasis(),
                        t.deviceLimit(),
                        t.concurrentSessionsLimit(),
                        String.join(";", t.features()),
                        t.singleUse(),
                        t.domains(),
                        t.ipv4Addresses(),
                        t.phoneNumbers(),
                        t.createdAt(),
                        t.updatedAt()));
    }

    @PostMapping
    String create(@PathVariable long productId, @ModelAttribute TypeForm form, RedirectAttributes redirect) {
        LicenseType created =
                types.create(form.body().value("product_id", productId).json());
        Flash.success(redirect, "panel.license-types.created", created.name());
        return "redirect:/admin/products/" + productId + "/license-types";
    }

    @PostMapping("/{id}")
    String update(
            @PathVariable long productId,
            @PathVariable long id,
            @ModelAttribute TypeForm form,
            RedirectAttributes redirect) {
        types.patch(id, form.body().json());
        Flash.success(redirect, "panel.saved");
        return "redirect:/admin/products/" + productId + "/license-types";
    }

    /** Deletes a type; licenses using it keep their settings (the type is detached from them). */
    @PostMapping("/{id}/delete")
    String delete(@PathVariable long productId, @PathVariable long id, RedirectAttributes redirect) {
        types.delete(id, true);
        Flash.success(redirect, "panel.deleted");
        return "redirect:/admin/products/" + productId + "/license-types";
    }
}
