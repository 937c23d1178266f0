package dev.licensor.server.webhook;

import static org.assertj.core.api.Assertions.assertThat;
import static org.springframework.security.test.web.servlet.request.SecurityMockMvcRequestPostProcessors.csrf;

import com.sun.net.httpserver.HttpServer;
import dev.licensor.server.abuse.Anomalies;
import dev.licensor.server.support.Db;
import dev.licensor.server.testing.AbstractAdminIT;
import dev.licensor.server.testing.Http;
import dev.licensor.server.testing.MutableClock;
import dev.licensor.server.testing.MutableClockConfig;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.security.KeyFactory;
import java.security.MessageDigest;
import java.security.PublicKey;
import java.security.Signature;
import java.security.spec.X509EncodedKeySpec;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedDeque;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.webmvc.test.autoconfigure.AutoConfigureMockMvc;
import org.springframework.context.annotation.Import;
import org.springframework.test.context.TestPropertySource;
import org.springframework.test.web.servlet.MockMvc;
import org.springframework.test.web.servlet.MvcResult;
import org.springframework.test.web.servlet.request.MockMvcRequestBuilders;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Webhooks end to end: events caused through the client and admin APIs land in the outbox, the
 * delivery job (driven here directly, with the server's clock standing still until a test moves it)
 * POSTs them signed to a local receiver, retries with backoff, gives up, and is retried by hand.
 */
@Import(MutableClockConfig.class)
@AutoConfigureMockMvc
@TestPropertySource(
        properties = {
            "licensor.webhooks.poll-interval=1h",
            "licensor.webhooks.expiring-soon-cron=-",
            "licensor.webhooks.max-attempts=3",
            "licensor.webhooks.request-timeout=3s"
        })
class WebhookIT extends AbstractAdminIT {
    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final Pattern SIGNATURE =
            Pattern.compile("keyid=\"([^\"]+)\", algorithm=\"ed25519\", signature=\"([^\"]+)\"");
    private static final byte[] X509_ED25519 = HexFormat.of().parseHex("302a300506032b6570032100");

    private static HttpServer receiver;
    /** Requests received, by path. */
    private static final Map<String, List<Received>> RECEIVED = new ConcurrentHashMap<>();
    /** Statuses to answer, by path, in order; 200 once they run out. */
    private static final Map<String, ConcurrentLinkedDeque<Integer>> ANSWERS = new ConcurrentHashMap<>();

    private final MutableClock clock = MutableClock.SHARED;

    @Autowired
    WebhookSender sender;

    @Autowired
    ExpiryNotices expiry;

    @Autowired
    Webhooks webhooks;

    @Autowired
    Anomalies anomalies;

    @Autowired
    MockMvc mvc;

    record Received(String path, Map<String, List<String>> headers, byte[] body) {
        String header(String name) {
            return headers.entrySet().stream()
                    .filter(e -> e.getKey().equalsIgnoreCase(name))
                    .map(e -> e.getValue().getFirst())
                    .findFirst()
                    .orElse(null);
        }

        JsonNode json() {
            return JSON.readTree(body);
        }

        String type() {
            return json().get("type").asString();
        }
    }

    @BeforeAll
    static void startReceiver() throws IOException {
        receiver = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        // Several handler threads: a test sends a burst of deliveries in parallel.
        receiver.setExecutor(java.util.concurrent.Executors.newFixedThreadPool(8, runnable -> {
            Thread thread = new Thread(runnable, "webhook-receiver");
            thread.setDaemon(true);
            return thread;
        }));
        receiver.createContext("/", exchange -> {
            String path = exchange.getRequestURI().getRawPath();
            byte[] body = exchange.getRequestBody().readAllBytes();
            RECEIVED.computeIfAbsent(path, p -> new CopyOnWriteArrayList<>())
                    .add(new Received(path, Map.copyOf(exchange.getRequestHeaders()), body));
            Integer status =
                    ANSWERS.getOrDefault(path, new ConcurrentLinkedDeque<>()).poll();
            byte[] answer = "ok".getBytes(StandardCharsets.UTF_8);
            exchange.sendResponseHeaders(status == null ? 200 : status, answer.length);
            exchange.getResponseBody().write(answer);
            exchange.close();
        });
        receiver.start();
    }

    @AfterAll
    static void stopReceiver() {
        receiver.stop(0);
    }

    /** A fresh receiving path; {@code statuses} are answered first, then 200. */
    private static String hook(Integer... statuses) {
        String path = "/hook/" + UUID.randomUUID();
        ANSWERS.put(path, new ConcurrentLinkedDeque<>(List.of(statuses)));
        return path;
    }

    private static String url(String path) {
        return "http://127.0.0.1:" + receiver.getAddress().getPort() + path;
    }

    private static List<Received> received(String path) {
        return RECEIVED.getOrDefault(path, List.of());
    }

    private long webhook(TestProduct product, String path, List<String> events) {
        Http.Response created = admin(
                "POST",
                "/api/admin/products/" + product.id() + "/webhooks",
                Map.of("url", url(path), "events", events));
        assertThat(created.status()).as(created.toString()).isEqualTo(201);
        return created.json().get("id").asLong();
    }

    private JsonNode deliveries(long webhookId) {
        return ok(adminGet("/api/admin/webhooks/deliveries?webhook_id=" + webhookId));
    }

    @Test
    void clientAndAdminEventsAreDeliveredWithTheirPayloadsInOrder() {
        TestProduct product = product();
        String path = hook();
        webhook(product, path, Webhooks.eventNames());

        JsonNode license = license(product, Map.of("device_limit", 3, "concurrent_sessions_limit", 1));
        String key = license.get("license_key").asString();
        assertThat(startSession(product, key, "hw-one", "1.0.0").status()).isEqualTo(200);
        Http.Response refused = startSession(product, key, "hw-two", "1.0.0");
        assertThat(refused.status()).as(refused.toString()).isEqualTo(409);
        sender.deliverDue();

        List<Received> got = received(path);
        // hw-two was activated by its session start, which then rolled back: no license.activated for it.
        assertThat(got)
                .extracting(Received::type)
                .containsExactlyInAnyOrder(
                        "license.created", "license.activated", "session.started", "session.limit_reached");
        // Sent in parallel, so in no particular order: sorted here to look at each.
        List<String> order =
                List.of("license.created", "license.activated", "session.started", "session.limit_reached");
        got = new ArrayList<>(got);
        got.sort(java.util.Comparator.comparingInt(r -> order.indexOf(r.type())));
        for (Received r : got) {
            JsonNode payload = r.json();
            assertThat(payload.get("product_id").asLong()).isEqualTo(product.id());
            assertThat(payload.at("/data/license_key").asString()).isEqualTo(key);
            assertThat(UUID.fromString(payload.get("id").asString())).hasToString(r.header("X-Licensor-Delivery"));
            assertThat(r.header("X-Licensor-Event")).isEqualTo(r.type());
            assertThat(r.header("Content-Type")).isEqualTo("application/json");
            assertThat(Instant.parse(payload.get("created_at").asString())).isNotNull();
            assertThat(new String(r.body(), StandardCharsets.UTF_8)).doesNotContain("session_token", "secret");
        }
        assertThat(got.get(0).json().at("/data/license/device_limit").asInt()).isEqualTo(3);
        assertThat(got.get(1).json().at("/data/device/hardware_hash").asString())
                .isEqualTo("hw-one");
        assertThat(got.get(1).json().at("/data/license/status").asString()).isEqualTo("ACTIVE");
        assertThat(got.get(2).json().at("/data/session/id").asLong()).isPositive();
        assertThat(got.get(2).json().at("/data/device/machine_id").asString()).isEqualTo("machine-hw-one");
        assertThat(got.get(3).json().at("/data/concurrent_sessions_limit").asInt())
                .isEqualTo(1);
        assertThat(got.get(3).json().at("/data/device/hardware_hash").asString())
                .isEqualTo("hw-two");

        JsonNode log = ok(adminGet("/api/admin/webhooks/deliveries?product_id=" + product.id() + "&status=DELIVERED"));
        assertThat(log.get("total").asLong()).isEqualTo(4);
        assertThat(log.at("/items/0/status").asString()).isEqualTo("DELIVERED");
        assertThat(log.at("/items/0/attempts").asInt()).isEqualTo(1);
        assertThat(log.at("/items/0/last_status").asInt()).isEqualTo(200);
        assertThat(log.get("page").asInt()).isZero();
        assertThat(log.get("size").asInt()).isEqualTo(50);
    }

    @Test
    void theSignatureVerifiesWithThePublishedKeysAndNotForAnotherBody() throws Exception {
        TestProduct product = product();
        String path = hook();
        webhook(product, path + "?tenant=7", List.of("license.activated"));
        String key = licenseKey(product, Map.of());
        assertThat(activate(product, key, "hw-sig").status()).isEqualTo(200);
        sender.deliverDue();

        Received r = received(path).getFirst();
        assertThat(r.type()).isEqualTo("license.activated");
        JsonNode jwks = JSON.readTree(http.get("/api/keys").body());
        assertThat(verify(jwks, r, "/hook/" + path.substring(6) + "?tenant=7", r.body()))
                .isTrue();
        assertThat(verify(jwks, r, path + "?tenant=7", "{\"forged\":true}".getBytes(StandardCharsets.UTF_8)))
                .isFalse();
        assertThat(verify(jwks, r, path, r.body()))
                .as("the query is signed too")
                .isFalse();
    }

    /** Verification as docs/WEBHOOKS.md shows it: JDK only, keys from /api/keys. */
    private static boolean verify(JsonNode jwks, Received r, String pathAndQuery, byte[] body) throws Exception {
        Matcher m = SIGNATURE.matcher(r.header("X-Licensor-Signature"));
        assertThat(m.matches()).as(r.header("X-Licensor-Signature")).isTrue();
        JsonNode jwk = null;
        for (JsonNode k : jwks.get("keys")) {
            if (k.get("kid").asString().equals(m.group(1))) {
                jwk = k;
            }
        }
        assertThat(jwk).as("key %s is published", m.group(1)).isNotNull();
        byte[] raw = Base64.getUrlDecoder().decode(jwk.get("x").asString());
        byte[] encoded = new byte[X509_ED25519.length + raw.length];
        System.arraycopy(X509_ED25519, 0, encoded, 0, X509_ED25519.length);
        System.arraycopy(raw, 0, encoded, X509_ED25519.length, raw.length);
        PublicKey publicKey = KeyFactory.getInstance("Ed25519").generatePublic(new X509EncodedKeySpec(encoded));
        String canonical = "POST " + pathAndQuery + "\n" + r.header("Date") + "\n" + r.header("X-Licensor-Delivery")
                + "\n"
                + HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(body));
        Signature verifier = Signature.getInstance("Ed25519");
        verifier.initVerify(publicKey);
        verifier.update(canonical.getBytes(StandardCharsets.UTF_8));
        return verifier.verify(Base64.getDecoder().decode(m.group(2)));
    }

    @Test
    void aFailedAttemptIsRetriedAfterTheBackoffAndThenDelivered() {
        TestProduct product = product();
        String path = hook(500);
        long webhookId = webhook(product, path, List.of("license.created"));
        Http.Response test =
                admin("POST", "/api/admin/products/" + product.id() + "/webhooks/" + webhookId + "/test", Map.of());
        assertThat(test.status()).as(test.toString()).isEqualTo(201);
        assertThat(test.json().get("event_type").asString()).isEqualTo("webhook.test");

        sender.deliverDue();
        JsonNode first = deliveries(webhookId).at("/items/0");
        assertThat(first.get("status").asString()).isEqualTo("PENDING");
        assertThat(first.get("attempts").asInt()).isEqualTo(1);
        assertThat(first.get("last_status").asInt()).isEqualTo(500);
        assertThat(first.get("last_error").asString()).contains("500");
        assertThat(Instant.parse(first.get("next_attempt_at").asString()))
                .isAfterOrEqualTo(clock.instant().plusSeconds(29));

        sender.deliverDue(); // not due yet
        assertThat(received(path)).hasSize(1);

        clock.advance(Duration.ofSeconds(31));
        sender.deliverDue();
        JsonNode second = deliveries(webhookId).at("/items/0");
        assertThat(second.get("status").asString()).isEqualTo("DELIVERED");
        assertThat(second.get("attempts").asInt()).isEqualTo(2);
        assertThat(second.get("delivered_at").isNull()).isFalse();
        assertThat(received(path)).hasSize(2);
        assertThat(received(path))
                .extracting(r -> r.header("X-Licensor-Delivery"))
                .containsOnly(test.json().get("event_id").asString());
        assertThat(received(path).getFirst().type()).isEqualTo("webhook.test");
    }

    @Test
    void aReceiverThatAlwaysFailsEndsFailedAfterMaxAttemptsAndAManualRetrySendsAgain() {
        TestProduct product = product();
        String path = hook(500, 503, 404);
        long webhookId = webhook(product, path, List.of("license.created"));
        licenseKey(product, Map.of());

        sender.deliverDue();
        clock.advance(Duration.ofSeconds(31));
        sender.deliverDue();
        JsonNode pending = deliveries(webhookId).at("/items/0");
        assertThat(pending.get("status").asString()).isEqualTo("PENDING");
        // The backoff doubles: 60 s after the second failure.
        assertThat(Instant.parse(pending.get("next_attempt_at").asString()))
                .isAfterOrEqualTo(clock.instant().plusSeconds(59));
        clock.advance(Duration.ofSeconds(61));
        sender.deliverDue();
        JsonNode failed = deliveries(webhookId).at("/items/0");
        assertThat(failed.get("status").asString()).isEqualTo("FAILED");
        assertThat(failed.get("attempts").asInt()).isEqualTo(3);
        assertThat(failed.get("last_status").asInt()).isEqualTo(404);
        clock.advance(Duration.ofHours(1));
        sender.deliverDue();
        assertThat(received(path)).hasSize(3);

        long id = failed.get("id").asLong();
        assertThat(as(Role.SUPPORT, "POST", "/api/admin/webhooks/deliveries/" + id + "/retry", Map.of())
                        .status())
                .isEqualTo(403);
        JsonNode retried = ok(admin("POST", "/api/admin/webhooks/deliveries/" + id + "/retry", Map.of()));
        assertThat(retried.get("status").asString()).isEqualTo("PENDING");
        assertThat(retried.get("attempts").asInt()).isZero();
        sender.deliverDue();
        JsonNode delivered = deliveries(webhookId).at("/items/0");
        assertThat(delivered.get("status").asString()).isEqualTo("DELIVERED");
        assertThat(delivered.get("attempts").asInt()).isEqualTo(1);
        assertThat(received(path)).hasSize(4);
        assertThat(auditActions("webhook_delivery", id)).containsExactly("webhook_delivery.retry");
    }

    @Test
    void jobsRunningAtOnceNeverSendADeliveryTwice() throws Exception {
        TestProduct product = product();
        String path = hook();
        long webhookId = webhook(product, path, List.of("license.created"));
        Http.Response batch =
                admin("POST", "/api/admin/licenses/batch", Map.of("product_id", product.id(), "count", 200));
        assertThat(batch.status()).as(batch.toString()).isEqualTo(201);

        // As several instances would if the scheduler lock expired: the claims skip each other's rows.
        int jobs = 4;
        java.util.concurrent.ExecutorService pool = java.util.concurrent.Executors.newFixedThreadPool(jobs);
        try {
            java.util.concurrent.CountDownLatch go = new java.util.concurrent.CountDownLatch(1);
            List<java.util.concurrent.Future<Integer>> runs = new ArrayList<>();
            for (int i = 0; i < jobs; i++) {
                runs.add(pool.submit(() -> {
                    go.await();
                    return sender.deliverDue();
                }));
            }
            go.countDown();
            int attempts = 0;
            for (java.util.concurrent.Future<Integer> run : runs) {
                attempts += run.get(60, java.util.concurrent.TimeUnit.SECONDS);
            }
            assertThat(attempts).isGreaterThanOrEqualTo(200);
        } finally {
            pool.shutdownNow();
        }
        // An attempt that failed on its own (a connection reset or timed out on a loaded machine)
        // is retried after its backoff, as in service; let those retries run before counting.
        for (int retry = 0; retry < 2 && received(path).size() < 200; retry++) {
            clock.advance(Duration.ofMinutes(5));
            sender.deliverDue();
        }

        List<String> ids = received(path).stream()
                .map(r -> r.header("X-Licensor-Delivery"))
                .toList();
        assertThat(ids).hasSize(200).doesNotHaveDuplicates();
        assertThat(received(path).stream()
                        .map(r -> r.json().at("/data/license_key").asString())
                        .toList())
                .containsExactlyInAnyOrderElementsOf(batch.json()
                        .get("license_keys")
                        .valueStream()
                        .map(JsonNode::asString)
                        .toList());
        assertThat(ok(adminGet("/api/admin/webhooks/deliveries?status=DELIVERED&webhook_id=" + webhookId))
                        .get("total")
                        .asLong())
                .isEqualTo(200);
        assertThat(http.get("/actuator/prometheus").body())
                .containsPattern("licensor_webhooks_deliveries_total\\{[^}]*outcome=\"delivered\"[^}]*} [1-9]");
    }

    @Test
    void oldDeliveredAndFailedDeliveriesLeaveTheLogAndPendingOnesStay() {
        TestProduct product = product();
        String path = hook();
        long webhookId = webhook(product, path, List.of("license.created"));
        for (int i = 0; i < 3; i++) {
            licenseKey(product, Map.of());
        }
        sender.deliverDue();
        licenseKey(product, Map.of()); // stays PENDING
        List<Long> ids = jdbc.sql("SELECT id FROM webhook_deliveries WHERE endpoint_id = ? ORDER BY id")
                .param(webhookId)
                .query(Long.class)
                .list();
        assertThat(ids).hasSize(4);
        Instant now = clock.instant();
        jdbc.sql("UPDATE webhook_deliveries SET created_at = ? WHERE endpoint_id = ?")
                .params(Db.ts(now.minus(Duration.ofDays(91))), webhookId)
                .update();
        jdbc.sql("UPDATE webhook_deliveries SET created_at = ? WHERE id = ?")
                .params(Db.ts(now.minus(Duration.ofDays(89))), ids.get(1))
                .update();
        jdbc.sql("UPDATE webhook_deliveries SET status = 'FAILED' WHERE id = ?")
                .param(ids.get(2))
                .update();

        assertThat(webhooks.purge(Duration.ofDays(90))).isGreaterThanOrEqualTo(2);

        assertThat(jdbc.sql("SELECT id FROM webhook_deliveries WHERE endpoint_id = ? ORDER BY id")
                        .param(webhookId)
                        .query(Long.class)
                        .list())
                .containsExactly(ids.get(1), ids.get(3));
    }

    @Test
    void aDisabledEndpointOrAnUnsubscribedEventGetsNoDelivery() {
        TestProduct product = product();
        String disabledPath = hook();
        String otherPath = hook();
        long disabled = webhook(product, disabledPath, List.of("license.created"));
        long other = webhook(product, otherPath, List.of("session.started"));
        ok(admin("PATCH", "/api/admin/products/" + product.id() + "/webhooks/" + disabled, Map.of("enabled", false)));

        licenseKey(product, Map.of());
        sender.deliverDue();

        assertThat(deliveries(disabled).get("total").asLong()).isZero();
        assertThat(deliveries(other).get("total").asLong()).isZero();
        assertThat(received(disabledPath)).isEmpty();
        assertThat(received(otherPath)).isEmpty();
        // A test event needs an enabled endpoint.
        Http.Response test =
                admin("POST", "/api/admin/products/" + product.id() + "/webhooks/" + disabled + "/test", Map.of());
        assertThat(test.status()).as(test.toString()).isEqualTo(409);
    }

    @Test
    void aFlaggedLicenseIsReportedAsSuspicious() {
        TestProduct product = product();
        String path = hook();
        webhook(product, path, List.of("license.suspicious"));
        JsonNode license = license(product, Map.of());
        long licenseId = license.get("id").asLong();
        Instant hourAgo = clock.instant().minus(Duration.ofHours(1));
        verifiedFrom(product.id(), licenseId, license.get("license_key").asString(), hourAgo, "198.51.100.", 6);
        anomalies.scan();
        sender.deliverDue();

        List<Received> got = received(path);
        assertThat(got).extracting(Received::type).containsExactly("license.suspicious");
        assertThat(got.getFirst().json().at("/data/rule").asString()).isEqualTo("too_many_ips");
        assertThat(got.getFirst().json().at("/data/license/suspicious").asBoolean())
                .isTrue();
    }

    @Test
    void expiringSoonIsSentOncePerLicenseAndExpiry() {
        TestProduct product = product();
        String path = hook();
        long webhookId = webhook(product, path, List.of("license.expiring_soon"));
        Instant soon = clock.instant().plus(Duration.ofDays(3)).truncatedTo(java.time.temporal.ChronoUnit.SECONDS);
        String expiring = licenseKey(product, Map.of("expires_at", soon.toString()));
        licenseKey(
                product,
                Map.of("expires_at", clock.instant().plus(Duration.ofDays(10)).toString()));
        licenseKey(product, Map.of());

        expiry.run();
        expiry.run();
        assertThat(deliveries(webhookId).get("total").asLong()).isEqualTo(1);
        clock.advance(Duration.ofDays(1));
        expiry.run();
        sender.deliverDue();

        List<Received> got = received(path);
        assertThat(got).extracting(Received::type).containsExactly("license.expiring_soon");
        assertThat(got.getFirst().json().at("/data/license_key").asString()).isEqualTo(expiring);
        assertThat(Instant.parse(got.getFirst().json().at("/data/expires_at").asString()))
                .isEqualTo(soon);

        // Extended to a new date inside the window: announced again, for the new date.
        ok(admin("POST", "/api/admin/licenses/" + expiring + "/extend", Map.of("days", 1)));
        expiry.run();
        expiry.run();
        assertThat(deliveries(webhookId).get("total").asLong()).isEqualTo(2);
    }

    @Test
    void theAdminApiValidatesAndOnlyAdminsChangeWebhooks() {
        TestProduct product = product();
        String base = "/api/admin/products/" + product.id() + "/webhooks";
        assertInvalid(
                admin("POST", base, Map.of("url", "ftp://example.com/x", "events", List.of("license.created"))), "url");
        assertInvalid(admin("POST", base, Map.of("url", "/relative", "events", List.of("license.created"))), "url");
        Http.Response unknown = admin(
                "POST",
                base,
                Map.of("url", "https://example.com/x", "events", List.of("license.created", "license.eaten")));
        assertInvalid(unknown, "events");
        assertThat(unknown.body()).contains("license.eaten");
        assertInvalid(admin("POST", base, Map.of("url", "https://example.com/x", "events", List.of())), "events");
        assertInvalid(
                admin(
                        "POST",
                        base,
                        Map.of("url", "https://example.com/x", "events", List.of("license.created"), "secret", "x")),
                "secret");
        assertInvalid(adminGet("/api/admin/webhooks/deliveries?status=LOST"), "status");
        assertThat(admin(
                                "POST",
                                "/api/admin/products/999999/webhooks",
                                Map.of("url", "https://example.com/x", "events", List.of("license.created")))
                        .status())
                .isEqualTo(404);

        Map<String, Object> body = Map.of("url", "https://example.com/hook", "events", List.of("session.started"));
        assertThat(as(Role.VIEWER, "POST", base, body).status()).isEqualTo(403);
        assertThat(as(Role.SUPPORT, "POST", base, body).status()).isEqualTo(403);
        Http.Response created = admin("POST", base, body);
        assertThat(created.status()).isEqualTo(201);
        long id = created.json().get("id").asLong();
        assertThat(created.json().get("enabled").asBoolean()).isTrue();
        assertThat(created.json().get("product_id").asLong()).isEqualTo(product.id());
        assertThat(as(Role.SUPPORT, "PATCH", base + "/" + id, Map.of("enabled", false))
                        .status())
                .isEqualTo(403);
        assertThat(as(Role.VIEWER, "DELETE", base + "/" + id, null).status()).isEqualTo(403);
        assertThat(as(Role.VIEWER, "POST", base + "/" + id + "/test", Map.of()).status())
                .isEqualTo(403);
        JsonNode listed = ok(as(Role.VIEWER, "GET", base, null));
        assertThat(listed.get("total").asLong()).isEqualTo(1);
        assertThat(listed.at("/items/0/events/0").asString()).isEqualTo("session.started");

        JsonNode patched =
                ok(admin("PATCH", base + "/" + id, Map.of("events", List.of("license.created", "session.started"))));
        assertThat(patched.get("events")).hasSize(2);
        assertInvalid(admin("PATCH", base + "/" + id, Map.of("url", "not a url")), "url");
        assertThat(admin("DELETE", base + "/" + id, null).status()).isEqualTo(204);
        assertThat(admin("DELETE", base + "/" + id, null).status()).isEqualTo(404);
        assertThat(auditActions("webhook", id)).containsExactly("webhook.create", "webhook.update", "webhook.delete");
    }

    @Test
    void aProductsWebhooksAreListedAsAPageOldestFirst() {
        TestProduct product = product();
        String base = "/api/admin/products/" + product.id() + "/webhooks";
        long first = webhook(product, hook(), List.of("license.created"));
        long second = webhook(product, hook(), List.of("session.started"));
        long third = webhook(product, hook(), List.of("license.activated"));
        ok(admin("PATCH", base + "/" + second, Map.of("enabled", false)));
        webhook(product(), hook(), List.of("license.created")); // another product's endpoint is not listed

        JsonNode listed = assertPagedList(base, 3);

        assertThat(listed.valueStream().map(w -> w.get("id").asLong())).containsExactly(first, second, third);
        assertThat(listed.valueStream().map(w -> w.get("enabled").asBoolean())).containsExactly(true, false, true);
        assertThat(listed.valueStream().map(w -> w.get("product_id").asLong())).containsOnly(product.id());
        assertThat(items(as(Role.VIEWER, "GET", base + "?page=1&size=2", null)))
                .singleElement()
                .satisfies(w -> assertThat(w.get("id").asLong()).isEqualTo(third));
        assertThat(adminGet("/api/admin/products/999999/webhooks").status()).isEqualTo(404);
    }

    @Test
    void thePanelListsAddsAndTogglesWebhooksAndShowsTheDeliveryLog() throws Exception {
        TestProduct product = product();
        String path = hook(500);
        long webhookId = webhook(product, path, List.of("license.created"));
        licenseKey(product, Map.of());
        sender.deliverDue();

        MvcResult section = mvc.perform(MockMvcRequestBuilders.get("/admin/products/" + product.id() + "/webhooks")
                        .with(panelUser(Role.VIEWER)))
                .andReturn();
        assertThat(section.getResponse().getStatus()).isEqualTo(200);
        String html = section.getResponse().getContentAsString();
        assertThat(html).contains(url(path), "license.created").doesNotContain("new-webhook");

        MvcResult added = mvc.perform(MockMvcRequestBuilders.post("/admin/products/" + product.id() + "/webhooks")
                        .param("url", "https://example.com/panel-hook")
                        .param("events", "session.started", "license.activated")
                        .with(panelUser(Role.ADMIN))
                        .with(csrf()))
                .andReturn();
        assertThat(added.getResponse().getStatus()).isEqualTo(302);
        JsonNode listed = ok(adminGet("/api/admin/products/" + product.id() + "/webhooks"));
        assertThat(listed.get("total").asLong()).isEqualTo(2);
        assertThat(listed.at("/items/1/events").toString()).contains("license.activated", "session.started");

        MvcResult disabled = mvc.perform(MockMvcRequestBuilders.post(
                                "/admin/products/" + product.id() + "/webhooks/" + webhookId + "/disable")
                        .with(panelUser(Role.ADMIN))
                        .with(csrf()))
                .andReturn();
        assertThat(disabled.getResponse().getStatus()).isEqualTo(302);
        assertThat(ok(adminGet("/api/admin/products/" + product.id() + "/webhooks"))
                        .at("/items/0/enabled")
                        .asBoolean())
                .isFalse();

        MvcResult log = mvc.perform(MockMvcRequestBuilders.get("/admin/webhooks/deliveries")
                        .param("product", String.valueOf(product.id()))
                        .param("status", "PENDING")
                        .with(panelUser(Role.VIEWER)))
                .andReturn();
        assertThat(log.getResponse().getStatus()).isEqualTo(200);
        assertThat(log.getResponse().getContentAsString())
                .contains("license.created", url(path), "HTTP 500")
                .doesNotContain("/retry");

        MvcResult german = mvc.perform(MockMvcRequestBuilders.get("/admin/webhooks/deliveries")
                        .header("Accept-Language", "de")
                        .with(panelUser(Role.ADMIN)))
                .andReturn();
        assertThat(german.getResponse().getContentAsString())
                .contains("Webhook-Zustellungen", "Erneut senden", "Ausstehend");

        MvcResult adminSection = mvc.perform(MockMvcRequestBuilders.get("/admin/products/" + product.id() + "/webhooks")
                        .with(panelUser(Role.ADMIN)))
                .andReturn();
        assertThat(adminSection.getResponse().getContentAsString())
                .contains("new-webhook", "/webhooks/" + webhookId + "/enable", "/webhooks/" + webhookId + "/delete");
    }

    /** A logged-in panel user of the role, as the panel's own login makes them. */
    private static org.springframework.test.web.servlet.request.RequestPostProcessor panelUser(Role role) {
        dev.licensor.server.security.Actor actor = new dev.licensor.server.security.Actor(
                "user",
                1,
                role.name().toLowerCase(java.util.Locale.ROOT),
                dev.licensor.server.security.Role.valueOf(role.name()));
        return org.springframework.security.test.web.servlet.request.SecurityMockMvcRequestPostProcessors
                .authentication(new org.springframework.security.authentication.UsernamePasswordAuthenticationToken(
                actor,
                null,
                List.of(new org.springframework.security.core.authority.SimpleGrantedAuthority(
                        "ROLE_" + role.name()))));
    }
}
