package dev.licensor.server.webhook;

import com.github.benmanes.caffeine.cache.LoadingCache;
import dev.licensor.protocol.ErrorCode;
import dev.licensor.server.audit.AuditLog;
import dev.licensor.server.product.Products;
import dev.licensor.server.support.Refreshing;
import dev.licensor.server.web.ApiException;
import dev.licensor.server.web.JsonFields;
import dev.licensor.server.web.PageResponse;
import java.net.URI;
import java.net.URISyntaxException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.stream.Collectors;
import org.jspecify.annotations.Nullable;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Propagation;
import org.springframework.transaction.annotation.Transactional;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Webhook endpoints of products (admin, audited), the outbox they are fed from, and the delivery
 * log. Events are queued by {@link #enqueue} in the caller's transaction, one row per enabled
 * endpoint subscribed to the event, so a rolled-back change sends nothing and a committed one is
 * never lost. Which endpoints a product has is read through a per-product cache refreshed every
 * 5 s (changes on this instance apply at once), so a product without webhooks costs a client call
 * no query.
 */
@Service
public class Webhooks {
    private static final Duration REFRESH = Duration.ofSeconds(5);
    private static final Set<String> CREATE_FIELDS = Set.of("url", "events", "enabled");
    private static final int MAX_URL = 2000;
    private static final int PURGE_BATCH = 10_000;

    private final WebhookRepository repository;
    private final Products products;
    private final AuditLog audit;
    private final JsonMapper json;
    private final Clock clock;
    private final LoadingCache<Long, List<Webhook>> endpoints;

    Webhooks(WebhookRepository repository, Products products, AuditLog audit, JsonMapper json, Clock clock) {
        this.repository = repository;
        this.products = products;
        this.audit = audit;
        this.json = json;
        this.clock = clock;
        this.endpoints = Refreshing.cache(REFRESH, REFRESH.multipliedBy(2), 10_000, repository::endpoints);
    }

    // The outbox.

    /** An event to queue: its id (the {@code X-Licensor-Delivery} header), type, time and data. */
    record Event(UUID id, EventType type, long productId, Instant createdAt, Map<String, @Nullable Object> data) {}

    /** Whether an enabled endpoint of the product receives the event (from the cache: no query). */
    boolean wanted(long productId, EventType type) {
        for (Webhook webhook : endpoints.get(productId)) {
            if (webhook.receives(type)) {
                return true;
            }
        }
        return false;
    }

    /** Queues events for every enabled endpoint of their product subscribed to them; in the caller's transaction. */
    @Transactional(propagation = Propagation.MANDATORY)
    void enqueue(List<Event> events) {
        List<WebhookRepository.Outgoing> rows = new ArrayList<>();
        for (Event event : events) {
            for (Webhook webhook : endpoints.get(event.productId())) {
                if (webhook.receives(event.type())) {
                    rows.add(outgoing(webhook, event));
                }
            }
        }
        if (!rows.isEmpty()) {
            repository.insert(rows, now());
        }
    }

    /**
     * Queues an event with a deterministic id for every receiving endpoint that has not had it yet
     * (read from the database, not the cache: the daily job must see every endpoint); how many
     * deliveries were queued.
     */
    @Transactional(propagation = Propagation.MANDATORY)
    int enqueueOnce(Event event) {
        int queued = 0;
        for (Webhook webhook : repository.endpoints(event.productId())) {
            if (webhook.receives(event.type()) && repository.insertOnce(outgoing(webhook, event), now())) {
                queued++;
            }
        }
        return queued;
    }

    /** Products with an enabled endpoint subscribed to the event (read from the database). */
    List<Long> productsReceiving(EventType type) {
        return repository.productsReceiving(type);
    }

    private WebhookRepository.Outgoing outgoing(Webhook webhook, Event event) {
        return new WebhookRepository.Outgoing(
                webhook.id(), event.productId(), event.type(), event.id(), payload(event));
    }

    /** The JSON body sent: {@code {id, type, created_at, product_id, data}}. */
    String payload(Event event) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("id", event.id().toString());
        body.put("type", event.type().wire());
        body.put("created_at", event.createdAt().toString());
        body.put("product_id", event.productId());
        body.put("data", event.data());
        return json.writeValueAsString(body);
    }

    /** The time as both databases store it. */
    Instant now() {
        return clock.instant().truncatedTo(ChronoUnit.MICROS);
    }

    // Administration.

    /** Every endpoint of the product, oldest first (the panel's product page). */
    @Transactional(readOnly = true)
    public List<Webhook> list(long productId) {
        products.get(productId);
        return repository.endpoints(productId);
    }

    /** {@code GET /api/admin/products/{id}/webhooks}: one page of the product's endpoints, oldest first. */
    @Transactional(readOnly = true)
    public PageResponse<Webhook> list(long productId, PageResponse.Paging paging) {
        products.get(productId);
        return PageResponse.of(
                repository.endpoints(productId, paging.offset(), paging.size()),
                paging,
                repository.countEndpoints(productId));
    }

    /** {@code POST /api/admin/products/{id}/webhooks}: {@code {url, events, enabled?}}. */
    @Transactional
    public Webhook create(long productId, JsonNode body) {
        products.get(productId);
        JsonFields f = new JsonFields(body, CREATE_FIELDS);
        String url = url(f, false);
        List<String> events = events(f, false);
        boolean enabled = !f.has("enabled") || f.bool("enabled");
        f.validate();
        long id = repository.insertEndpoint(productId, java.util.Objects.requireNonNull(url), events, enabled, now());
        Webhook created = repository.endpoint(productId, id).orElseThrow();
        audit.record("webhook.create", "webhook", id, null, created);
        endpoints.invalidate(productId);
        return created;
    }

    /** {@code PATCH /api/admin/products/{id}/webhooks/{webhookId}}: any of {@code url, events, enabled}. */
    @Transactional
    public Webhook patch(long productId, long webhookId, JsonNode body) {
        Webhook before = get(productId, webhookId);
        JsonFields f = new JsonFields(body, CREATE_FIELDS);
        String url = f.has("url") ? url(f, false) : before.url();
        List<String> events = f.has("events") ? events(f, false) : before.events();
        boolean enabled = f.has("enabled") ? f.bool("enabled") : before.enabled();
        f.validate();
        repository.updateEndpoint(webhookId, java.util.Objects.requireNonNull(url), events, enabled, now());
        Webhook after = get(productId, webhookId);
        audit.record("webhook.update", "webhook", webhookId, before, after);
        endpoints.invalidate(productId);
        return after;
    }

    /** Deletes an endpoint and its delivery log. */
    @Transactional
    public void delete(long productId, long webhookId) {
        Webhook before = get(productId, webhookId);
        repository.deleteEndpoint(webhookId);
        audit.record("webhook.delete", "webhook", webhookId, before, null);
        endpoints.invalidate(productId);
    }

    /** Queues a {@code webhook.test} event for one enabled endpoint, whatever it subscribes to. */
    @Transactional
    public Delivery test(long productId, long webhookId) {
        Webhook webhook = get(productId, webhookId);
        if (!webhook.enabled()) {
            throw ApiException.of(ErrorCode.CONFLICT).detail("webhook.disabled");
        }
        Map<String, @Nullable Object> data = new LinkedHashMap<>();
        data.put("webhook_id", webhookId);
        data.put("message", "This is a test event sent from Licensor.");
        Event event = new Event(UUID.randomUUID(), EventType.TEST, productId, now(), data);
        repository.insert(List.of(outgoing(webhook, event)), now());
        Delivery delivery = repository.delivery(webhookId, event.id()).orElseThrow();
        audit.record("webhook.test", "webhook", webhookId, null, Map.of("delivery_id", delivery.id()));
        return delivery;
    }

    @Transactional(readOnly = true)
    public Webhook get(long productId, long webhookId) {
        return repository.endpoint(productId, webhookId).orElseThrow(() -> ApiException.of(ErrorCode.NOT_FOUND));
    }

    /** The delivery log, newest first; {@code status} one of PENDING, DELIVERED, FAILED. */
    @Transactional(readOnly = true)
    public PageResponse<Delivery> deliveries(
            @Nullable Long productId, @Nullable Long webhookId, @Nullable String status, PageResponse.Paging paging) {
        String wanted =
                status == null || status.isBlank() ? null : status.strip().toUpperCase(Locale.ROOT);
        if (wanted != null
                && !Set.of(Delivery.PENDING, Delivery.DELIVERED, Delivery.FAILED)
                        .contains(wanted)) {
            throw JsonFields.invalid("status", "must be one of PENDING, DELIVERED, FAILED");
        }
        WebhookRepository.Filter filter = new WebhookRepository.Filter(productId, webhookId, wanted);
        return PageResponse.of(
                repository.deliveries(filter, paging.offset(), paging.size()), paging, repository.count(filter));
    }

    /** Queues a delivery again, due now, with a fresh count of attempts; audited. */
    @Transactional
    public Delivery retry(long deliveryId) {
        Delivery before = repository.delivery(deliveryId).orElseThrow(() -> ApiException.of(ErrorCode.NOT_FOUND));
        repository.requeue(deliveryId, now());
        Delivery after = repository.delivery(deliveryId).orElseThrow();
        audit.record(
                "webhook_delivery.retry",
                "webhook_delivery",
                deliveryId,
                Map.of("status", before.status(), "attempts", before.attempts()),
                Map.of("status", after.status(), "attempts", after.attempts()));
        return after;
    }

    /**
     * Deletes delivered and failed deliveries created more than {@code retention} ago, a batch per
     * transaction; pending ones stay whatever their age. How many went.
     */
    int purge(Duration retention) {
        Instant before = now().minus(retention);
        int total = 0;
        int n;
        do {
            n = repository.purge(before, PURGE_BATCH);
            total += n;
        } while (n == PURGE_BATCH);
        return total;
    }

    /** The event names an endpoint may subscribe to. */
    public static List<String> eventNames() {
        return EventType.subscribable().stream().map(EventType::wire).toList();
    }

    private static @Nullable String url(JsonFields f, boolean nullable) {
        String text = f.string("url", MAX_URL, nullable);
        if (text == null) {
            return null;
        }
        String url = text.strip();
        try {
            URI uri = new URI(url);
            String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
            if (!uri.isAbsolute()
                    || !(scheme.equals("http") || scheme.equals("https"))
                    || uri.getHost() == null
                    || uri.getRawFragment() != null) {
                f.error("url", "must be an absolute http or https URL without a fragment");
            }
        } catch (URISyntaxException e) {
            f.error("url", "must be an absolute http or https URL without a fragment");
        }
        return url;
    }

    private static List<String> events(JsonFields f, boolean nullable) {
        if (!f.has("events") && !nullable) {
            f.error("events", "must not be null");
            return List.of();
        }
        List<String> names = f.strings("events", 20, 64);
        if (names.isEmpty()) {
            f.error("events", "must name at least one event");
            return List.of();
        }
        List<String> unknown = names.stream()
                .filter(n -> EventType.ofSubscribable(n).isEmpty())
                .toList();
        if (!unknown.isEmpty()) {
            f.error(
                    "events",
                    "unknown event " + String.join(", ", unknown) + "; known events: "
                            + String.join(", ", eventNames()));
        }
        // Stored in the order of the known events, each once.
        Set<String> chosen = new LinkedHashSet<>(names);
        return eventNames().stream().filter(chosen::contains).collect(Collectors.toList());
    }
}
