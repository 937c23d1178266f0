package dev.licensor.server.webhook.api;

import dev.licensor.server.web.PageResponse;
import dev.licensor.server.webhook.Delivery;
import dev.licensor.server.webhook.Webhook;
import dev.licensor.server.webhook.Webhooks;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.media.Content;
import io.swagger.v3.oas.annotations.media.ExampleObject;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.tags.Tag;
import java.util.List;
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
@Tag(name = "Admin: webhooks", description = "Webhook endpoints per product, the delivery log, retries, test events")
class AdminWebhookController {
    private static final String EXAMPLE =
            """
            {"url": "https://shop.example.com/licensor/events", "events": ["license.created", "license.activated"],
             "enabled": true}""";

    private final Webhooks webhooks;

    @Schema(
            name = "WebhookRequest",
            description = "Create: url and events required. Patch: any subset. Unknown fields or events: 400")
    record WebhookBody(
            @Schema(maxLength = 2000, description = "Absolute http or https URL") String url,
            @Schema(
                            description = "license.created, license.activated, session.started,"
                                    + " session.limit_reached, license.suspicious, license.expiring_soon")
                    List<String> events,
            @Schema(defaultValue = "true") @Nullable Boolean enabled) {}

    AdminWebhookController(Webhooks webhooks) {
        this.webhooks = webhooks;
    }

    @GetMapping("/api/admin/products/{productId}/webhooks")
    @Operation(summary = "A product's webhook endpoints, oldest first")
    PageResponse<Webhook> list(
            @PathVariable long productId,
            @RequestParam(defaultValue = "0") int page,
            @RequestParam(defaultValue = "50") int size) {
        return webhooks.list(productId, new PageResponse.Paging(page, size));
    }

    @PostMapping("/api/admin/products/{productId}/webhooks")
    @ResponseStatus(HttpStatus.CREATED)
    @Operation(summary = "Add a webhook endpoint to a product")
    Webhook create(
            @PathVariable long productId,
            @io.swagger.v3.oas.annotations.parameters.RequestBody(
                            content =
                                    @Content(
                                            schema = @Schema(implementation = WebhookBody.class),
                                            examples = @ExampleObject(value = EXAMPLE)))
                    @RequestBody
                    JsonNode body) {
        return webhooks.create(productId, body);
    }

    @PatchMapping("/api/admin/products/{productId}/webhooks/{webhookId}")
    @Operation(summary = "Change a webhook endpoint (url, events, enabled)")
    Webhook patch(
            @PathVariable long productId,
            @PathVariable long webhookId,
            @io.swagger.v3.oas.annotations.parameters.RequestBody(
                            content =
                                    @Content(
                                            schema = @Schema(implementation = WebhookBody.class),
                                            examples = @ExampleObject(value = "{\"enabled\": false}")))
                    @RequestBody
                    JsonNode body) {
        return webhooks.patch(productId, webhookId, body);
    }

    @DeleteMapping("/api/admin/products/{productId}/webhooks/{webhookId}")
    @ResponseStatus(HttpStatus.NO_CONTENT)
    @Operation(summary = "Delete a webhook endpoint and its deliveries")
    void delete(@PathVariable long productId, @PathVariable long webhookId) {
        webhooks.delete(productId, webhookId);
    }

    /** Queues a {@code webhook.test} event for the endpoint; answers the queued delivery. */
    @PostMapping("/api/admin/products/{productId}/webhooks/{webhookId}/test")
    @ResponseStatus(HttpStatus.CREATED)
    @Operation(
            summary = "Queue a webhook.test event for the endpoint",
            description = "409 CONFLICT when the endpoint is disabled")
    Delivery test(@PathVariable long productId, @PathVariable long webhookId) {
        return webhooks.test(productId, webhookId);
    }

    @GetMapping("/api/admin/webhooks/deliveries")
    @Operation(summary = "The delivery log, newest first; status: PENDING, DELIVERED or FAILED")
    PageResponse<Delivery> deliveries(
            @RequestParam(name = "product_id", required = false) @Nullable Long productId,
            @RequestParam(name = "webhook_id", required = false) @Nullable Long webhookId,
            @RequestParam(required = false) @Nullable String status,
            @RequestParam(defaultValue = "0") int page,
            @RequestParam(defaultValue = "50") int size) {
        return webhooks.deliveries(productId, webhookId, status, new PageResponse.Paging(page, size));
    }

    @PostMapping("/api/admin/webhooks/deliveries/{id}/retry")
    @Operation(summary = "Queue a delivery again, due now, with a fresh count of attempts")
    Delivery retry(@PathVariable long id) {
        return webhooks.retry(id);
    }
}
