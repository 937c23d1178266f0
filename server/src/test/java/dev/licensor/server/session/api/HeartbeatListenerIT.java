package dev.licensor.server.session.api;

import static org.assertj.core.api.Assertions.assertThat;

import dev.licensor.protocol.RequestSigning;
import dev.licensor.server.audit.ValidationLog;
import dev.licensor.server.testing.AbstractIT;
import dev.licensor.server.testing.Http;
import dev.licensor.server.testing.IndependentVerifier;
import dev.licensor.server.testing.Waits;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import javax.sql.DataSource;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.test.context.TestPropertySource;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * The heartbeat listener answers every heartbeat exactly as the main port does: each case is sent
 * to both ports and the answers compared (status, content type, the headers a client acts on, the
 * problem document), and both must carry a signature that verifies.
 */
@TestPropertySource(
        properties = {
            "licensor.heartbeat-listener.enabled=true",
            "licensor.heartbeat-listener.port=0",
            // One event loop: a request that held it up would hold up every other connection.
            "licensor.heartbeat-listener.threads=1",
            "licensor.rate-limit.license-per-minute=6"
        })
class HeartbeatListenerIT extends AbstractIT {
    private static final String PATH = HeartbeatServlet.PATH;
    private static final HttpClient CLIENT =
            HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    @Autowired
    HeartbeatListener listener;

    @Autowired
    ValidationLog validationLog;

    @Autowired
    MeterRegistry meters;

    @Autowired
    DataSource dataSource;

    private IndependentVerifier verifier;

    @BeforeEach
    void keys() {
        verifier = IndependentVerifier.fetch(http);
    }

    @Test
    void aHeartbeatIsAnsweredAsOnTheMainPortAndExtendsTheSession() {
        TestProduct product = product(Map.of("heartbeat_interval", 7, "session_timeout", 20));
        String key = licenseKey(product, Map.of());
        String token = started(product, key, "hw-listener");
        Instant before = liveUntil(token);

        Http.Response fast = both("a heartbeat", "POST", body(token, key), product.apiKey(), json());

        assertThat(fast.status()).isEqualTo(200);
        assertThat(fast.json().get("ok").asBoolean()).isTrue();
        assertThat(fast.json().get("next_heartbeat_in").asInt()).isEqualTo(7);
        assertThat(liveUntil(token)).isAfter(before);

        // Counted in the main port's request metric, under the same route and tags.
        Timer timer = meters.find("http.server.requests")
                .tags("uri", PATH, "status", "200", "method", "POST", "outcome", "SUCCESS")
                .timer();
        assertThat(timer).isNotNull();
        long counted = timer.count();
        assertThat(send(listener.port(), "POST", PATH, body(token, key), product.apiKey(), json())
                        .status())
                .isEqualTo(200);
        assertThat(timer.count()).isEqualTo(counted + 1);
    }

    @Test
    void refusalsOfTheHeartbeatItselfAreTheSame() {
        TestProduct product = product();
        String key = licenseKey(product, Map.of());
        String token = started(product, key, "hw-refusals");

        Http.Response unknown = both(
                "an unknown session", "POST", body(UUID.randomUUID().toString(), "nope"), product.apiKey(), json());
        assertThat(unknown.code()).isEqualTo("SESSION_NOT_FOUND");
        assertThat(unknown.json().get("instance").asString()).isEqualTo(PATH);

        Http.Response german = both(
                "in German",
                "POST",
                body("nope", "nope"),
                product.apiKey(),
                json("Accept-Language", "de-CH, fr;q=0.5"));
        assertThat(german.json().get("detail").asString()).isEqualTo("Diese Sitzung ist nicht bekannt.");

        // The first call ends the session of the suspended license, the second finds it ended: the
        // same answer either way, whichever port comes first.
        assertThat(admin("POST", "/api/admin/licenses/" + key + "/suspend", null)
                        .status())
                .isEqualTo(200);
        Http.Response suspended = both("a suspended license", "POST", body(token, key), product.apiKey(), json());
        assertThat(suspended.code()).isEqualTo("LICENSE_SUSPENDED");
        assertThat(jdbc.sql("SELECT end_reason FROM sessions WHERE token = ?")
                        .param(UUID.fromString(token))
                        .query(String.class)
                        .single())
                .isEqualTo("license_invalid");
    }

    @Test
    void badRequestsAreRefusedAsOnTheMainPort() {
        TestProduct product = product();
        String apiKey = product.apiKey();
        String token = UUID.randomUUID().toString();
        // Each refusal names another key, so that none of them runs into the per-license limit.
        java.util.function.Supplier<String> body =
                () -> body(token, UUID.randomUUID().toString());

        assertThat(both("malformed JSON", "POST", "{\"session_token\":", apiKey, json())
                        .json()
                        .get("errors")
                        .toString())
                .contains("malformed JSON");
        assertThat(both("no body", "POST", "", apiKey, json()).code()).isEqualTo("INVALID_REQUEST");
        assertThat(both("a blank field", "POST", body(" ", UUID.randomUUID().toString()), apiKey, json())
                        .json()
                        .get("errors")
                        .toString())
                .contains("session_token");
        assertThat(both(
                                "a field of the wrong type",
                                "POST",
                                "{\"session_token\":{},\"license_key\":\"x\"}",
                                apiKey,
                                json())
                        .code())
                .isEqualTo("INVALID_REQUEST");
        assertThat(both("another media type", "POST", body.get(), apiKey, List.of("Content-Type", "text/plain"))
                        .code())
                .isEqualTo("UNSUPPORTED_MEDIA_TYPE");
        // A heartbeat whose answer cannot be written has still counted, as with Spring MVC.
        String key = licenseKey(product, Map.of());
        String live = started(product, key, "hw-html");
        assertThat(both("no JSON accepted", "POST", body(live, key), apiKey, json("Accept", "text/html"))
                        .code())
                .isEqualTo("NOT_ACCEPTABLE");
        Http.Response get = both("another method", "GET", null, apiKey, List.of());
        assertThat(get.code()).isEqualTo("METHOD_NOT_ALLOWED");
        assertThat(get.header("Allow")).isEqualTo("POST");
        assertThat(both("no API key", "POST", body.get(), null, json()).code()).isEqualTo("INVALID_API_KEY");
        assertThat(both("a wrong API key", "POST", body.get(), "XX-nope", json())
                        .code())
                .isEqualTo("INVALID_API_KEY");

        Http.Response elsewhere = send(listener.port(), "POST", "/api/license/verify", body.get(), apiKey, json());
        assertThat(elsewhere.status()).isEqualTo(404);
        assertThat(elsewhere.code()).isEqualTo("NOT_FOUND");
        assertThat(verifier.verifies(elsewhere, "POST", "/api/license/verify", ""))
                .isTrue();

        String large = "{\"session_token\":\"" + "x".repeat(70_000) + "\",\"license_key\":\"k\"}";
        Http.Response tooLarge = both("a body over the limit", "POST", large, apiKey, json());
        assertThat(tooLarge.code()).isEqualTo("PAYLOAD_TOO_LARGE");
        assertThat(tooLarge.header("Connection")).isEqualToIgnoringCase("close");
    }

    @Test
    void theTrustLayerRefusesAsOnTheMainPort() {
        TestProduct product = product();
        String key = licenseKey(product, Map.of());
        String token = started(product, key, "hw-trust");

        Http.Response created = admin(
                "POST",
                "/api/admin/blocked-ips",
                Map.of(
                        "address",
                        "127.0.0.0/8",
                        "until",
                        Instant.now().plus(Duration.ofMinutes(10)).toString()));
        assertThat(created.status()).as(created.toString()).isEqualTo(201);
        try {
            Http.Response blocked = both("a blocked address", "POST", body(token, key), product.apiKey(), json());
            assertThat(blocked.code()).isEqualTo("IP_BLOCKED");
            assertThat(blocked.json().has("instance"))
                    .as("refused before the handler")
                    .isFalse();
        } finally {
            admin("DELETE", "/api/admin/blocked-ips/" + created.json().get("id").asLong(), null);
        }
        validationLog.flush();
        assertThat(jdbc.sql("SELECT COUNT(*) FROM validation_log WHERE license_key = ? AND result_code = 'IP_BLOCKED'"
                                + " AND action = 'session_heartbeat'")
                        .param(key)
                        .query(Long.class)
                        .single())
                .as("both refusals in the validation log")
                .isEqualTo(2);

        // The per-license limit (6 a minute here) is shared by both ports: the start and five
        // heartbeats use it up.
        for (int i = 0; i < 2; i++) {
            both("within the limit", "POST", body(token, key), product.apiKey(), json());
        }
        assertThat(send(listener.port(), "POST", PATH, body(token, key), product.apiKey(), json())
                        .status())
                .isEqualTo(200);
        Http.Response limited = both("over the license's limit", "POST", body(token, key), product.apiKey(), json());
        assertThat(limited.code()).isEqualTo("RATE_LIMITED");
        assertThat(limited.header("X-RateLimit-Limit")).isEqualTo("6");
        assertThat(limited.header("Retry-After")).isNotNull();
    }

    @Test
    void signedRequestsAreCheckedAsOnTheMainPort() {
        TestProduct product = product(Map.of("require_signed_requests", true));
        String key = licenseKey(product, Map.of());
        String token = started(
                product, key, "hw-signed", signed(product, "/api/license/session/start", startBody(key, "hw-signed")));

        assertThat(both("unsigned", "POST", body(token, key), product.apiKey(), json())
                        .code())
                .isEqualTo("SIGNATURE_REQUIRED");
        for (int port : new int[] {port, listener.port()}) {
            List<String> headers = signed(product, PATH, body(token, key));
            Http.Response ok = send(port, "POST", PATH, body(token, key), product.apiKey(), headers);
            assertThat(ok.status()).as(ok.toString()).isEqualTo(200);
            String nonce = headers.get(headers.indexOf("X-Nonce") + 1);
            assertThat(verifier.verifies(ok, "POST", PATH, nonce)).isTrue();
            Http.Response replayed = send(port, "POST", PATH, body(token, key), product.apiKey(), headers);
            assertThat(replayed.code()).isEqualTo("NONCE_REPLAYED");
        }
    }

    @Test
    void aSignedRequestWaitingForItsNonceDoesNotHoldUpTheEventLoop() throws Exception {
        TestProduct signedProduct = product(Map.of("require_signed_requests", true));
        String signedKey = licenseKey(signedProduct, Map.of());
        String signedToken = started(
                signedProduct,
                signedKey,
                "hw-nonce-wait",
                signed(signedProduct, "/api/license/session/start", startBody(signedKey, "hw-nonce-wait")));
        TestProduct plain = product();
        String plainKey = licenseKey(plain, Map.of());
        String plainToken = started(plain, plainKey, "hw-nonce-other");
        List<String> headers = signed(signedProduct, PATH, body(signedToken, signedKey));
        long apiKeyId = jdbc.sql("SELECT id FROM api_keys WHERE product_id = ?")
                .param(signedProduct.id())
                .query(Long.class)
                .single();

        try (Connection holder = dataSource.getConnection()) {
            // The same nonce, inserted and not committed: the server's insert of it waits for this
            // transaction to end.
            holder.setAutoCommit(false);
            try (PreparedStatement insert = holder.prepareStatement(
                    "INSERT INTO used_nonces (api_key_id, nonce, expires_at) VALUES (?, ?, ?)")) {
                insert.setLong(1, apiKeyId);
                insert.setString(2, headers.get(headers.indexOf("X-Nonce") + 1));
                insert.setTimestamp(3, Timestamp.from(Instant.now().plusSeconds(600)));
                insert.executeUpdate();
            }
            CompletableFuture<Http.Response> waiting = CompletableFuture.supplyAsync(() ->
                    send(listener.port(), "POST", PATH, body(signedToken, signedKey), signedProduct.apiKey(), headers));
            Waits.until(() -> listener.waitingOffTheLoop() > 0, "the signed heartbeat waiting for its nonce");

            Http.Response other =
                    send(listener.port(), "POST", PATH, body(plainToken, plainKey), plain.apiKey(), json());
            assertThat(other.status()).as(other.toString()).isEqualTo(200);
            assertThat(waiting).as("still waiting for the nonce").isNotDone();

            holder.rollback();
            Http.Response signed = waiting.get(30, TimeUnit.SECONDS);
            assertThat(signed.status()).as(signed.toString()).isEqualTo(200);
        }
    }

    @Test
    void pipelinedRequestsAreAnsweredInOrder() throws Exception {
        TestProduct product = product();
        String key = licenseKey(product, Map.of());
        String token = started(product, key, "hw-pipeline");
        String ok = body(token, key);
        String unknown = body(UUID.randomUUID().toString(), key);
        StringBuilder requests = new StringBuilder();
        for (String body : List.of(unknown, ok, unknown, ok)) {
            requests.append("POST ")
                    .append(PATH)
                    .append(" HTTP/1.1\r\nHost: localhost\r\nX-API-Key: ")
                    .append(product.apiKey())
                    .append("\r\nContent-Type: application/json\r\nContent-Length: ")
                    .append(body.getBytes(StandardCharsets.UTF_8).length)
                    .append("\r\n\r\n")
                    .append(body);
        }
        try (Socket socket = new Socket("127.0.0.1", listener.port())) {
            socket.setSoTimeout(10_000);
            OutputStream out = socket.getOutputStream();
            out.write(requests.toString().getBytes(StandardCharsets.UTF_8));
            out.flush();
            List<Integer> statuses = new ArrayList<>();
            InputStream in = socket.getInputStream();
            StringBuilder received = new StringBuilder();
            while (statuses.size() < 4) {
                int c = in.read();
                assertThat(c).as("answers so far: " + statuses).isNotEqualTo(-1);
                received.append((char) c);
                String text = received.toString();
                int end = text.indexOf("\r\n\r\n");
                if (end >= 0) {
                    int length = Integer.parseInt(text.replaceAll("(?is).*content-length: *(\\d+).*", "$1")
                            .strip());
                    in.readNBytes(length);
                    statuses.add(Integer.parseInt(text.substring(9, 12)));
                    received.setLength(0);
                }
            }
            assertThat(statuses).containsExactly(404, 200, 404, 200);
        }
    }

    @Test
    void aClientThatExpectsContinueIsAnsweredAndGarbageIsRefused() throws Exception {
        TestProduct product = product();
        String key = licenseKey(product, Map.of());
        String token = started(product, key, "hw-continue");
        HttpResponse<String> answer = CLIENT.send(
                HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + listener.port() + PATH))
                        .expectContinue(true)
                        .header("X-API-Key", product.apiKey())
                        .header("Content-Type", "application/json")
                        .POST(HttpRequest.BodyPublishers.ofString(body(token, key)))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(answer.statusCode()).as(answer.body()).isEqualTo(200);

        try (Socket socket = new Socket("127.0.0.1", listener.port())) {
            socket.setSoTimeout(10_000);
            socket.getOutputStream().write("NOT HTTP AT ALL\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
            String reply = new String(socket.getInputStream().readAllBytes(), StandardCharsets.US_ASCII);
            assertThat(reply).startsWith("HTTP/1.1 400 ");
        }
    }

    @Test
    void concurrentHeartbeatsOfManySessionsAreAllAnswered() {
        TestProduct product = product();
        Map<String, String> sessions = new java.util.HashMap<>();
        for (int i = 0; i < 20; i++) {
            String key = licenseKey(product, Map.of());
            sessions.put(started(product, key, "hw-many-" + i), key);
        }
        List<CompletableFuture<Http.Response>> calls = sessions.entrySet().stream()
                .map(s -> CompletableFuture.supplyAsync(() ->
                        send(listener.port(), "POST", PATH, body(s.getKey(), s.getValue()), product.apiKey(), json())))
                .toList();
        assertThat(calls.stream().map(c -> c.join().status()).toList())
                .hasSize(20)
                .containsOnly(200);
    }

    /** Sends the same request to the main port and to the listener; returns the listener's answer. */
    private Http.Response both(
            String what, String method, @Nullable String body, @Nullable String apiKey, List<String> headers) {
        Http.Response main = send(port, method, PATH, body, apiKey, headers);
        Http.Response fast = send(listener.port(), method, PATH, body, apiKey, headers);
        assertThat(fast.status()).as(what + ": " + main + " / " + fast).isEqualTo(main.status());
        assertThat(fast.header("Content-Type")).as(what).isEqualTo(main.header("Content-Type"));
        for (String name : List.of("Allow", "X-RateLimit-Limit", "X-Content-Type-Options", "Cache-Control")) {
            assertThat(fast.header(name)).as(what + ": " + name).isEqualTo(main.header(name));
        }
        assertThat(withoutTime(fast.json())).as(what).isEqualTo(withoutTime(main.json()));
        String nonce = headers.contains("X-Nonce") ? headers.get(headers.indexOf("X-Nonce") + 1) : "";
        assertThat(verifier.verifies(main, method, PATH, nonce))
                .as(what + ": main port signed")
                .isTrue();
        assertThat(verifier.verifies(fast, method, PATH, nonce))
                .as(what + ": listener signed")
                .isTrue();
        return fast;
    }

    private static JsonNode withoutTime(JsonNode node) {
        if (node instanceof ObjectNode object) {
            object.remove("server_time");
        }
        return node;
    }

    private static Http.Response send(
            int port,
            String method,
            String path,
            @Nullable String body,
            @Nullable String apiKey,
            List<String> headers) {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                .timeout(Duration.ofSeconds(30))
                .method(
                        method,
                        body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
        if (apiKey != null) {
            request.header("X-API-Key", apiKey);
        }
        for (int i = 0; i + 1 < headers.size(); i += 2) {
            request.header(headers.get(i), headers.get(i + 1));
        }
        try {
            HttpResponse<String> response = CLIENT.send(request.build(), HttpResponse.BodyHandlers.ofString());
            return new Http.Response(response.statusCode(), response.headers().map(), response.body());
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private static List<String> json(String... more) {
        List<String> headers = new ArrayList<>(List.of("Content-Type", "application/json"));
        headers.addAll(List.of(more));
        return headers;
    }

    /** Request-signing headers (SPEC §5.2) for a JSON body. */
    private static List<String> signed(TestProduct product, String path, String body) {
        long now = Instant.now().getEpochSecond();
        String nonce = UUID.randomUUID().toString();
        String signature = RequestSigning.sign(
                product.signingSecret(),
                RequestSigning.canonical("POST", path, now, nonce, body.getBytes(StandardCharsets.UTF_8)));
        return json("X-Timestamp", Long.toString(now), "X-Nonce", nonce, "X-Signature", signature);
    }

    private static String body(String token, String key) {
        return Http.json(Map.of("session_token", token, "license_key", key));
    }

    private static String startBody(String key, String hardwareHash) {
        return Http.json(startRequest(key, hardwareHash, "1.0.0"));
    }

    private String started(TestProduct product, String key, String hardwareHash) {
        return started(product, key, hardwareHash, json());
    }

    private String started(TestProduct product, String key, String hardwareHash, List<String> headers) {
        Http.Response started = send(
                port, "POST", "/api/license/session/start", startBody(key, hardwareHash), product.apiKey(), headers);
        assertThat(started.status()).as(started.toString()).isEqualTo(200);
        return started.json().get("session_token").asString();
    }

    private Instant liveUntil(String token) {
        return jdbc.sql("SELECT live_until FROM sessions WHERE token = ?")
                .param(UUID.fromString(token))
                .query(java.sql.Timestamp.class)
                .single()
                .toInstant();
    }
}
