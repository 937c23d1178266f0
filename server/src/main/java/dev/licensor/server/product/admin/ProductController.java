package dev.licensor.server.product.admin;

import dev.licensor.server.product.ApiKeys;
import dev.licensor.server.product.Product;
import dev.licensor.server.product.Products;
import dev.licensor.server.web.PageResponse;
import dev.licensor.server.web.admin.Csv;
import dev.licensor.server.web.admin.Flash;
import dev.licensor.server.web.admin.Forms;
import dev.licensor.server.web.admin.PanelController;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.List;
import org.jspecify.annotations.Nullable;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.ModelAttribute;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.servlet.mvc.support.RedirectAttributes;

/** Products and their client configuration; API keys (shown once, listed, revoked). ADMIN changes. */
@PanelController
@RequestMapping("/admin/products")
class ProductController {
    static final String LIST_VIEW = "admin/products";
    static final String EDIT_VIEW = "admin/product";

    private final Products products;
    private final ApiKeys apiKeys;

    ProductController(Products products, ApiKeys apiKeys) {
        this.products = products;
        this.apiKeys = apiKeys;
    }

    /** The product form; numbers are text so a blank field means "default" / "none". */
    record ProductForm(
            @Nullable String name,
            @Nullable String keyPrefix,
            @Nullable String currentVersion,
            @Nullable String minimumVersion,
            @Nullable String downloadUrl,
            @Nullable String whatsNew,
            @Nullable Integer heartbeatInterval,
            @Nullable Integer sessionTimeout,
            @Nullable Integer offlineGraceDays,
            @Nullable Integer expiryGraceDays,
            @Nullable Boolean autoActivateOnSession,
            @Nullable Boolean requireSignedRequests,
            @Nullable Integer maxDeactivationsPer30Days) {

        Forms body(boolean creating) {
            // On edit the prefix is sent only while the page offers it (no licenses yet); the
            // service refuses a change once there are licenses, whatever the page showed.
            Forms f = Forms.body()
                    .text("name", name)
                    .text("key_prefix", keyPrefix == null ? null : keyPrefix.toUpperCase(java.util.Locale.ROOT));
            if (creating) {
                f.text("current_version", currentVersion)
                        .text("minimum_version", minimumVersion)
                        .text("download_url", downloadUrl)
                        .text("whats_new", whatsNew)
                        .value("max_deactivations_per_30_days", maxDeactivationsPer30Days);
            } else {
                f.textOrNull("current_version", currentVersion)
                        .textOrNull("minimum_version", minimumVersion)
                        .textOrNull("download_url", downloadUrl)
                        .textOrNull("whats_new", whatsNew)
                        .valueOrNull("max_deactivations_per_30_days", maxDeactivationsPer30Days);
            }
            return f.value("heartbeat_interval", heartbeatInterval)
                    .value("session_timeout", sessionTimeout)
                    .value("offline_grace_days", offlineGraceDays)
                    .value("expiry_grace_days", expiryGraceDays)
                    .value("auto_activate_on_session", Boolean.TRUE.equals(autoActivateOnSession))
                    .value("require_signed_requests", Boolean.TRUE.equals(requireSignedRequests));
        }
    }

    @GetMapping
    String list(Model model) {
        model.addAttribute("products", all());
        return LIST_VIEW;
    }

    @GetMapping("/export.csv")
    void export(HttpServletResponse response) throws IOException {
        Csv.write(
                response,
                "products.csv",
                List.of(
                        "id",
                        "name",
                        "key_prefix",
                        "current_version",
                        "minimum_version",
                        "download_url",
                        "heartbeat_interval",
                        "session_timeout",
                        "offline_grace_days",
                        "expiry_grace_days",
                        "created_at"),
                all(),
                p -> java.util.Arrays.asList(
                        p.id(),
                        p.name(),
                        p.keyPrefix(),
                        p.currentVersion(),
                        p.minimumVersion(),
                        p.downloadUrl(),
                        p.heartbeatInterval(),
                        p.sessionTimeout(),
                        p.offlineGraceDays(),
                        p.expiryGraceDays(),
                        p.createdAt()));
    }

    private List<Product> all() {
        return products.list(new PageResponse.Paging(0, PageResponse.MAX_SIZE)).items();
    }

    @PostMapping
    String create(@ModelAttribute ProductForm form, RedirectAttributes redirect) {
        Product product = products.create(form.body(true).json());
        Flash.success(redirect, "panel.products.created", product.name());
        return "redirect:/admin/products/" + product.id();
    }

    @GetMapping("/{id}")
    String edit(@PathVariable long id, Model model) {
        model.addAttribute("product", products.get(id));
        model.addAttribute("licenseCount", products.licenseCount(id));
        model.addAttribute("apiKeys", apiKeys.list(id));
        return EDIT_VIEW;
    }

    @PostMapping("/{id}")
    String update(@PathVariable long id, @ModelAttribute ProductForm form, RedirectAttributes redirect) {
        products.patch(id, form.body(false).json());
        Flash.success(redirect, "panel.saved");
        return "redirect:/admin/products/" + id;
    }

    @PostMapping("/{id}/api-keys")
    String createKey(@PathVariable long id, RedirectAttributes redirect) {
        ApiKeys.CreatedApiKey key = apiKeys.create(id);
        redirect.addFlashAttribute("newKey", key);
        Flash.success(redirect, "panel.products.key-created");
        return "redirect:/admin/products/" + id;
    }

    @PostMapping("/{id}/api-keys/{keyId}/revoke")
    String revokeKey(@PathVariable long id, @PathVariable long keyId, RedirectAttributes redirect) {
        apiKeys.revoke(id, keyId);
        Flash.success(redirect, "panel.products.key-revoked");
        return "redirect:/admin/products/" + id;
    }
}
