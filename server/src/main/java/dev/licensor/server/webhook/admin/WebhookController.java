package dev.licensor.server.webhook.admin;

import dev.licensor.server.product.Product;
import dev.licensor.server.product.Products;
import dev.licensor.server.web.PageResponse;
import dev.licensor.server.web.admin.Csv;
import dev.licensor.server.web.admin.Flash;
import dev.licensor.server.web.admin.Forms;
import dev.licensor.server.web.admin.Pager;
import dev.licensor.server.web.admin.PanelController;
import dev.licensor.server.webhook.Delivery;
import dev.licensor.server.webhook.Webhook;
import dev.licensor.server.webhook.Webhooks;
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
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.servlet.mvc.support.RedirectAttributes;

/**
 * Webhooks in the panel: a product's endpoints (a section of the product page, loaded by htmx;
 * add, enable/disable, delete, send a test event: ADMIN) and the delivery log (retry: ADMIN).
 */
@PanelController
class WebhookController {
    static final String SECTION_VIEW = "admin/webhooks :: section";
    static final String DELIVERIES_VIEW = "admin/webhook-deliveries";

    private final Webhooks webhooks;
    private final Products products;

    WebhookController(Webhooks webhooks, Products products) {
        this.webhooks = webhooks;
        this.products = products;
    }

    /** The add form: a URL and the events ticked. */
    record WebhookForm(@Nullable String url, @Nullable List<String> events) {}

    @GetMapping("/admin/products/{id}/webhooks")
    String section(@PathVariable long id, Model model) {
        model.addAttribute("product", products.get(id));
        model.addAttribute("webhooks", webhooks.list(id));
        model.addAttribute("eventNames", Webhooks.eventNames());
        return SECTION_VIEW;
    }

    @PostMapping("/admin/products/{id}/webhooks")
    String create(@PathVariable long id, @ModelAttribute WebhookForm form, RedirectAttributes redirect) {
        Webhook created = webhooks.create(
                id,
                Forms.body()
                        .text("url", form.url())
                        .value("events", form.events() == null ? List.of() : form.events())
                        .json());
        Flash.success(redirect, "panel.webhooks.created", created.url());
        return back(id);
    }

    @PostMapping("/admin/products/{id}/webhooks/{webhookId}/{action:enable|disable}")
    String toggle(
            @PathVariable long id,
            @PathVariable long webhookId,
            @PathVariable String action,
            RedirectAttributes redirect) {
        boolean enable = action.equals("enable");
        webhooks.patch(id, webhookId, Forms.body().value("enabled", enable).json());
        Flash.success(redirect, enable ? "panel.webhooks.enabled" : "panel.webhooks.disabled");
        return back(id);
    }

    @PostMapping("/admin/products/{id}/webhooks/{webhookId}/delete")
    String delete(@PathVariable long id, @PathVariable long webhookId, RedirectAttributes redirect) {
        webhooks.delete(id, webhookId);
        Flash.success(redirect, "panel.webhooks.deleted");
        return back(id);
    }

    @PostMapping("/admin/products/{id}/webhooks/{webhookId}/test")
    String test(@PathVariable long id, @PathVariable long webhookId, RedirectAttributes redirect) {
        webhooks.test(id, webhookId);
        Flash.success(redirect, "panel.webhooks.test-queued");
        return back(id);
    }

    @GetMapping("/admin/webhooks/deliveries")
    String deliveries(
            @RequestParam(name = "product", required = false) @Nullable Long productId,
            @RequestParam(required = false) @Nullable String status,
            @RequestParam(defaultValue = "0") int page,
            Model model) {
        String wanted = status == null || status.isBlank() ? null : status;
        PageResponse<Delivery> result = webhooks.deliveries(productId, null, wanted, Pager.paging(page));
        List<Product> all =
                products.list(new PageResponse.Paging(0, PageResponse.MAX_SIZE)).items();
        model.addAttribute("deliveries", result.items());
        model.addAttribute("pager", Pager.of(result));
        model.addAttribute("products", all);
        model.addAttribute("productId", productId);
        model.addAttribute("status", wanted);
        model.addAttribute("statuses", List.of(Delivery.PENDING, Delivery.DELIVERED, Delivery.FAILED));
        return DELIVERIES_VIEW;
    }

    @GetMapping("/admin/webhooks/deliveries/export.csv")
    void exportDeliveries(
            @RequestParam(name = "product", required = false) @Nullable Long productId,
            @RequestParam(required = false) @Nullable String status,
            HttpServletResponse response)
            throws IOException {
        String wanted = status == null || status.isBlank() ? null : status;
        Csv.write(
                response,
                "webhook-deliveries.csv",
                List.of(
                        "id",
                        "created_at",
                        "product_id",
                        "webhook_id",
                        "url",
                        "event_type",
                        "event_id",
                        "status",
                        "attempts",
                        "last_status",
                        "last_error",
                        "next_attempt_at",
                        "delivered_at"),
                Csv.pages(paging -> webhooks.deliveries(productId, null, wanted, paging)),
                d -> Arrays.asList(
                        d.id(),
                        d.createdAt(),
                        d.productId(),
                        d.webhookId(),
                        d.url(),
                        d.eventType(),
                        d.eventId(),
                        d.status(),
                        d.attempts(),
                        d.lastStatus(),
                        d.lastError(),
                        d.nextAttemptAt(),
                        d.deliveredAt()));
    }

    @PostMapping("/admin/webhooks/deliveries/{id}/retry")
    String retry(@PathVariable long id, RedirectAttributes redirect) {
        webhooks.retry(id);
        Flash.success(redirect, "panel.webhooks.retry-queued");
        return "redirect:/admin/webhooks/deliveries";
    }

    private static String back(long productId) {
        return "redirect:/admin/products/" + productId + "#webhooks";
    }
}
