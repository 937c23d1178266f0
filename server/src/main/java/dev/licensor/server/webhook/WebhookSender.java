package dev.licensor.server.webhook;

import dev.licensor.protocol.ResponseSigning;
import dev.licensor.server.signing.SigningKeys;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import jakarta.annotation.PreDestroy;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Sends due deliveries. A run claims a batch in one short transaction ({@code FOR UPDATE SKIP
 * LOCKED}, attempt counted, row leased), commits, sends them in parallel with no transaction open,
 * then records each outcome in a short transaction of its own: a 2xx answer is {@code DELIVERED};
 * anything else (another status, a timeout, a refused connection) is retried after an exponential
 * backoff, and {@code FAILED} after the last attempt.
 *
 * <p>Each request carries {@code Date}, {@code X-Licensor-Event}, {@code X-Licensor-Delivery} (the
 * event id, the same on every retry) and {@code X-Licensor-Signature}, an Ed25519 signature with
 * the key that signs client-API responses over {@code POST PATH\nDATE\nEVENT_ID\nhex(SHA-256(body))}
 * (docs/WEBHOOKS.md).
 */
@Component
class WebhookSender {
    private static final Logger log = LoggerFactory.getLogger(WebhookSender.class);

    private final WebhookRepository repository;
    private final Webhooks webhooks;
    private final SigningKeys keys;
    private final WebhookProperties settings;
    private final TransactionTemplate tx;
    private final HttpClient http;
    private final Counter delivered;
    private final Counter retried;
    private final Counter failed;

    WebhookSender(
            WebhookRepository repository,
            Webhooks webhooks,
            SigningKeys keys,
            WebhookProperties settings,
            PlatformTransactionManager transactions,
            MeterRegistry meters) {
        this.repository = repository;
        this.webhooks = webhooks;
        this.keys = keys;
        this.settings = settings;
        this.tx = new TransactionTemplate(transactions);
        this.http = HttpClient.newBuilder()
                .connectTimeout(settings.connectTimeout())
                .followRedirects(HttpClient.Redirect.NEVER)
                .build();
        this.delivered = counter(meters, "delivered");
        this.retried = counter(meters, "retried");
        this.failed = counter(meters, "failed");
    }

    /** Stops the client's threads; requests in flight are abandoned and sent again after their lease. */
    @PreDestroy
    void close() {
        http.shutdownNow();
    }

    private static Counter counter(MeterRegistry meters, String outcome) {
        return Counter.builder("licensor.webhooks.deliveries")
                .description("Webhook delivery attempts by outcome (retried: failed, will be tried again)")
                .tag("outcome", outcome)
                .register(meters);
    }

    /** Sends the deliveries due now, a batch at a time, until none is due; how many attempts were made. */
    int deliverDue() {
        int total = 0;
        while (true) {
            int sent = deliverBatch();
            total += sent;
            if (sent < settings.batchSize()) {
                return total;
            }
        }
    }

    /** One batch: claim, send in parallel, record. */
    int deliverBatch() {
        Instant now = webhooks.now();
        List<WebhookRepository.Claimed> claimed =
                tx.execute(status -> repository.claim(now, settings.batchSize(), now.plus(settings.lease())));
        if (claimed == null || claimed.isEmpty()) {
            return 0;
        }
        List<CompletableFuture<Outcome>> sending = new ArrayList<>(claimed.size());
        for (WebhookRepository.Claimed delivery : claimed) {
            sending.add(send(delivery));
        }
        for (int i = 0; i < claimed.size(); i++) {
            record(claimed.get(i), sending.get(i).join());
        }
        return claimed.size();
    }

    /** An attempt's outcome: the HTTP status (null when there was no answer) and what went wrong. */
    record Outcome(@Nullable Integer status, @Nullable String error) {
        boolean ok() {
            return status != null && status >= 200 && status < 300;
        }
    }

    private CompletableFuture<Outcome> send(WebhookRepository.Claimed delivery) {
        HttpRequest request;
        try {
            request = request(delivery, webhooks.now());
        } catch (RuntimeException e) {
            return CompletableFuture.completedFuture(new Outcome(null, "cannot send to this URL: " + e.getMessage()));
        }
        return http.sendAsync(request, HttpResponse.BodyHandlers.ofInputStream())
                .thenApply(response -> {
                    // Nobody reads the answer's body: close it unread.
                    try {
                        response.body().close();
                    } catch (IOException e) {
                        log.debug("closing a webhook answer: {}", e.toString());
                    }
                    int status = response.statusCode();
                    return new Outcome(status, status >= 200 && status < 300 ? null : "HTTP " + status);
                })
                .exceptionally(e -> new Outcome(null, describe(e)));
    }

    /** The signed request of a delivery, dated {@code now}. */
    HttpRequest request(WebhookRepository.Claimed delivery, Instant now) {
        URI uri = URI.create(delivery.url());
        byte[] body = delivery.payload().getBytes(StandardCharsets.UTF_8);
        String date = ResponseSigning.HTTP_DATE.format(now);
        String eventId = delivery.eventId().toString();
        String canonical = canonical(uri, date, eventId, body);
        return HttpRequest.newBuilder(uri)
                .timeout(settings.requestTimeout())
                .header("Content-Type", "application/json")
                .header("User-Agent", "Licensor-Webhooks/1")
                .header("Date", date)
                .header("X-Licensor-Event", delivery.type().wire())
                .header("X-Licensor-Delivery", eventId)
                .header(ResponseSigning.HEADER, keys.signatureHeader(canonical))
                .POST(HttpRequest.BodyPublishers.ofByteArray(body))
                .build();
    }

    /**
     * The signed string: {@code POST PATH\nDATE\nEVENT_ID\nhex(SHA-256(body))}, where PATH is the
     * endpoint URL's raw path ({@code /} when empty) plus {@code ?} and its raw query, if any.
     */
    static String canonical(URI uri, String date, String eventId, byte[] body) {
        String path = uri.getRawPath() == null || uri.getRawPath().isEmpty() ? "/" : uri.getRawPath();
        return "POST " + ResponseSigning.pathAndQuery(path, uri.getRawQuery()) + "\n" + date + "\n" + eventId + "\n"
                + ResponseSigning.sha256Hex(body);
    }

    private void record(WebhookRepository.Claimed delivery, Outcome outcome) {
        Instant now = webhooks.now();
        if (outcome.ok()) {
            tx.executeWithoutResult(
                    s -> repository.delivered(delivery.id(), delivery.attempt(), outcome.status(), now));
            delivered.increment();
            return;
        }
        String error = outcome.error() == null ? "failed" : outcome.error();
        boolean last = delivery.attempt() >= settings.maxAttempts();
        Instant next = last ? null : now.plus(settings.backoff(delivery.attempt()));
        tx.executeWithoutResult(
                s -> repository.failed(delivery.id(), delivery.attempt(), outcome.status(), error, next));
        if (last) {
            failed.increment();
            log.warn(
                    "Webhook delivery {} ({}) failed for good after {} attempts: {}",
                    delivery.id(),
                    delivery.type().wire(),
                    delivery.attempt(),
                    error);
        } else {
            retried.increment();
        }
    }

    private static String describe(Throwable e) {
        Throwable cause = e instanceof CompletionException && e.getCause() != null ? e.getCause() : e;
        String message = cause.getMessage();
        return cause.getClass().getSimpleName() + (message == null ? "" : ": " + message);
    }
}
