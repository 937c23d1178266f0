package dev.licensor.server.webhook.api;

import dev.licensor.server.web.PageResponse;
import dev.licensor.server.webhook.Delivery;
import dev.licensor.server.webhook.Webhook;
import dev.licensor.server.webhook.Webhooks;
import org.jspecify.annotations.Nullable;
import org.springframework.http.HttpStatus;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PatchMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.ResponseStatus;
import org.springframework.web.bind.annotation.RestController;
import tools.jackson.databind.JsonNode;

/** Webhook endpoints of a product and the delivery log (reads: every role; writes: ADMIN; audited). */
@RestController
class AdminWebhookController {
    private final Webhooks webhooks;

    AdminWebhookController(Webhooks webhooks) {
        this.webhooks = webhooks;
    }

    @GetMapping("/api/admin/products/{productId}/webhooks")
    PageResponse<Webhook> list(@PathVariable long productId) {
        return webhooks.list(productId);
    }

    @PostMapping("/api/admin/products/{productId}/webhooks")
    @ResponseStatus(HttpStatus.CREATED)
    Webhook create(@PathVariable long productId, @RequestBody JsonNode body) {
        return webhooks.create(productId, body);
    }

    @PatchMapping("/api/admin/products/{productId}/webhooks/{webhookId}")
    Webhook patch(@PathVariable long productId, @PathVariable long webhookId, @RequestBody JsonNode body) {
        return webhooks.patch(productId, webhookId, body);
    }

    @DeleteMapping("/api/admin/products/{productId}/webhooks/{webhookId}")
    @ResponseStatus(HttpStatus.NO_CONTENT)
    void delete(@PathVariable long productId, @PathVariable long webhookId) {
        webhooks.delete(productId, webhookId);
    }

    /** Queues a {@code webhook.test} event for the endpoint; answers the queued delivery. */
    @PostMapping("/api/admin/products/{productId}/webhooks/{webhookId}/test")
    @ResponseStatus(HttpStatus.CREATED)
    Delivery test(@PathVariable long productId, @PathVariable long webhookId) {
        return webhooks.test(productId, webhookId);
    }

    @GetMapping("/api/admin/webhooks/deliveries")
    PageResponse<Delivery> deliveries(
            @RequestParam(name = "product_id", required = false) @Nullable Long productId,
            @RequestParam(name = "webhook_id", required = false) @Nullable Long webhookId,
            @RequestParam(required = false) @Nullable String status,
            @RequestParam(defaultValue = "0") int page,
            @RequestParam(defaultValue = "50") int size) {
        return webhooks.deliveries(productId, webhookId, status, new PageResponse.Paging(page, size));
    }

    @PostMapping("/api/admin/webhooks/deliveries/{id}/retry")
    Delivery retry(@PathVariable long id) {
        return webhooks.retry(id);
    }
}
