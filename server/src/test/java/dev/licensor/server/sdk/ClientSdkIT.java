package dev.licensor.server.sdk;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import com.sun.net.httpserver.HttpServer;
import dev.licensor.client.ActivateResponse;
import dev.licensor.client.DeviceLimitException;
import dev.licensor.client.EndReason;
import dev.licensor.client.Fingerprint;
import dev.licensor.client.HeartbeatResponse;
import dev.licensor.client.LicenseSession;
import dev.licensor.client.LicenseStateException;
import dev.licensor.client.LicensorClient;
import dev.licensor.client.OfflineCheck;
import dev.licensor.client.OfflineTokenStore;
import dev.licensor.client.OfflineVerifier;
import dev.licensor.client.QuotaExceededException;
import dev.licensor.client.ResponseSignatureException;
import dev.licensor.client.SessionLimitException;
import dev.licensor.client.SessionListener;
import dev.licensor.client.SessionLoss;
import dev.licensor.client.TransportException;
import dev.licensor.client.UpdateRequiredException;
import dev.licensor.client.UsageResponse;
import dev.licensor.client.VerifyCode;
import dev.licensor.client.VerifyRequest;
import dev.licensor.client.VerifyResponse;
import dev.licensor.protocol.ErrorCode;
import dev.licensor.server.testing.AbstractIT;
import dev.licensor.server.testing.Http;
import dev.licensor.server.testing.SecondInstance;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The Java SDK against the real server: what a vendor's program experiences. */
class ClientSdkIT extends AbstractIT {
    /** A machine as the SDK would fingerprint it; tests use fixed ones to play several devices. */
    static Fingerprint machine(String name) {
        return new Fingerprint(
                List.of("02:00:00:00:00:" + name.length()), "cpu-" + name, "uuid-" + name, name, "Linux");
    }

    @TempDir
    Path dir;

    private LicensorClient.Builder sdk(TestProduct product, String machineName) {
        return LicensorClient.builder()
                .baseUri("http://127.0.0.1:" + port)
                .apiKey(product.apiKey())
                .pinnedKeys(http.get("/api/keys").body())
                .fingerprint(machine(machineName))
                .clientVersion("2.0.0");
    }

    @Test
    void countsMeteredUsageUntilTheQuotaIsUsedUp() {
        TestProduct product = product();
        String key = licenseKey(product, Map.of());
        Http.Response quota =
                admin("PUT", "/api/admin/licenses/" + key + "/quotas/exports", Map.of("limit", 3, "period", "MONTH"));
        assertThat(quota.status()).as(quota.toString()).isEqualTo(200);
        try (LicensorClient client = sdk(product, "laptop").build()) {
            assertThat(client.usage(key, "exports", 2)).isEqualTo(new UsageResponse("exports", 2, 3L, 1L));
            assertThat(client.usage(key, "pages", 40)).isEqualTo(new UsageResponse("pages", 40, null, null));

            QuotaExceededException refused =
                    catchThrowableOfType(QuotaExceededException.class, () -> client.usage(key, "exports", 2));

            assertThat(refused).isNotNull();
            assertThat(refused.status()).isEqualTo(409);
            assertThat(refused.property("remaining").map(String::valueOf)).contains("1");
            assertThat(client.usage(key, "exports", 0).used()).isEqualTo(2);
        }
    }

    @Test
    void activatesAndVerifiesWithSignedAnswers() {
        TestProduct product = product(Map.of("current_version", "2.0.0"));
        String key = licenseKey(product, Map.of("device_limit", 1, "features", List.of("pro")));
        try (LicensorClient client = sdk(product, "laptop").build()) {
            ActivateResponse activation = client.activate(key);
            VerifyResponse verdict =
                    client.verify(new VerifyRequest(key, client.fingerprint().hardwareHash(), "2.0.0", "pro", null));

            assertThat(activation.activated()).isTrue();
            assertThat(activation.license().deviceLimit()).isEqualTo(1);
            assertThat(activation.offlineToken()).isNotBlank();
            assertThat(verdict.valid()).isTrue();
            assertThat(verdict.code()).isEqualTo(VerifyCode.VALID);
            assertThat(verdict.featureEnabled()).isTrue();
        }
    }

    @Test
    void refusalsArriveAsTypedExceptionsWithTheirCodeAndDetail() {
        TestProduct product = product(Map.of(
                "current_version", "3.0.0", "minimum_version", "2.5.0", "download_url", "https://example.com/get"));
        String key = licenseKey(product, Map.of("device_limit", 1));
        try (LicensorClient old = sdk(product, "old").build();
                LicensorClient upToDate =
                        sdk(product, "first").clientVersion("3.0.0").build();
                LicensorClient second = sdk(product, "second")
                        .clientVersion("3.0.0")
                        .locale(java.util.Locale.GERMAN)
                        .build()) {
            assertThatThrownBy(() -> old.activate(key)).isInstanceOfSatisfying(UpdateRequiredException.class, e -> {
                assertThat(e.code()).isEqualTo(ErrorCode.UPDATE_REQUIRED);
                assertThat(e.minimumVersion()).contains("2.5.0");
                assertThat(e.downloadUrl()).contains("https://example.com/get");
            });
            upToDate.activate(key);
            assertThatThrownBy(() -> second.activate(key)).isInstanceOfSatisfying(DeviceLimitException.class, e -> {
                assertThat(e.deviceLimit()).isEqualTo(1);
                assertThat(e.devicesUsed()).isEqualTo(1);
                assertThat(e.detail()).contains("1 von 1");
            });
            jdbc.sql("UPDATE licenses SET status = 'REVOKED' WHERE license_key = ?")
                    .param(key)
                    .update();
            assertThatThrownBy(() -> upToDate.activate(key))
                    .isInstanceOfSatisfying(LicenseStateException.class, e -> assertThat(e.code())
                            .isEqualTo(ErrorCode.LICENSE_REVOKED));
        }
    }

    @Test
    void aSessionHeartbeatsOnItsOwnAndLearnsWhenAnAdminEndsIt() throws Exception {
        TestProduct product =
                product(Map.of("current_version", "2.0.0", "heartbeat_interval", 1, "session_timeout", 5));
        String key = licenseKey(product, Map.of("device_limit", 2, "concurrent_sessions_limit", 1));
        CountDownLatch beats = new CountDownLatch(2);
        CompletableFuture<SessionLoss> lost = new CompletableFuture<>();
        SessionListener listener = new SessionListener() {
            @Override
            public void sessionLost(SessionLoss loss) {
                lost.complete(loss);
            }

            @Override
            public void heartbeatSucceeded(HeartbeatResponse response) {
                beats.countDown();
            }
        };
        try (LicensorClient client = sdk(product, "desk").build();
                LicensorClient other =
                        sdk(product, "laptop").locale(java.util.Locale.GERMAN).build();
                LicenseSession session = client.startSession(key, listener)) {
            assertThat(session.startResponse().heartbeatInterval()).isEqualTo(java.time.Duration.ofSeconds(1));
            assertThat(beats.await(30, TimeUnit.SECONDS))
                    .as("two heartbeats sent by the SDK")
                    .isTrue();

            assertThatThrownBy(() -> other.startSession(key, loss -> {}))
                    .isInstanceOfSatisfying(SessionLimitException.class, e -> assertThat(e.detail())
                            .isEqualTo("Es ist nur eine Sitzung erlaubt, stelle sicher, dass nirgendwo sonst das"
                                    + " Programm läuft"));

            long sessionId = adminGet("/api/admin/sessions?license_key=" + key)
                    .json()
                    .at("/items/0/id")
                    .asLong();
            assertThat(admin("POST", "/api/admin/sessions/" + sessionId + "/terminate", Map.of())
                            .status())
                    .isEqualTo(200);

            SessionLoss loss = lost.get(30, TimeUnit.SECONDS);
            assertThat(loss).isInstanceOfSatisfying(SessionLoss.Ended.class, ended -> assertThat(ended.reason())
                    .isEqualTo(EndReason.FORCED));
            assertThat(session.isActive()).isFalse();
        }
    }

    @Test
    void closingASessionEndsItOnTheServer() {
        TestProduct product = product(Map.of("current_version", "2.0.0"));
        String key = licenseKey(product, Map.of("device_limit", 1, "concurrent_sessions_limit", 1));
        try (LicensorClient client = sdk(product, "office").build()) {
            LicenseSession session = client.startSession(key, loss -> {});
            assertThat(adminGet("/api/admin/sessions?license_key=" + key)
                            .json()
                            .get("total")
                            .asInt())
                    .isEqualTo(1);

            session.close();

            assertThat(adminGet("/api/admin/sessions?license_key=" + key)
                            .json()
                            .get("total")
                            .asInt())
                    .isZero();
            assertThat(adminGet("/api/admin/sessions/history?license_key=" + key)
                            .json()
                            .at("/items/0/end_reason")
                            .asString())
                    .isEqualTo("normal");
            assertThat(client.startSession(key, loss -> {}).isActive()).isTrue();
        }
    }

    @Test
    void anAlteredAnswerIsRefused() throws Exception {
        TestProduct product = product(Map.of("current_version", "2.0.0"));
        HttpServer proxy = tamperingProxy();
        try (LicensorClient client = sdk(product, "victim")
                .baseUri("http://127.0.0.1:" + proxy.getAddress().getPort())
                .build()) {
            // The proxy turns the server's NOT_FOUND into VALID: the signature no longer matches.
            assertThatThrownBy(() -> client.verify(VerifyRequest.of(product.prefix() + "-NO-SUCH-KEY")))
                    .isInstanceOf(ResponseSignatureException.class);
            assertThat(tampered).hasPositiveValue();
        } finally {
            proxy.stop(0);
        }
    }

    @Test
    void theOfflineTokenKeepsTheProgramRunningAfterTheServerIsGone() {
        OfflineTokenStore store = new OfflineTokenStore(dir.resolve("license.token"));
        SecondInstance server = SecondInstance.startAlone(Map.of());
        try {
            Http other = server.http();
            String token = "Bearer " + dev.licensor.server.testing.TestDatabase.ADMIN_TOKEN;
            String prefix = uniquePrefix();
            long productId = other.post(
                            "/api/admin/products",
                            Map.of("name", "Offline", "key_prefix", prefix, "offline_grace_days", 7),
                            "Authorization",
                            token)
                    .json()
                    .get("id")
                    .asLong();
            String apiKey = other.post(
                            "/api/admin/products/" + productId + "/api-keys", Map.of(), "Authorization", token)
                    .json()
                    .get("api_key")
                    .asString();
            String key = other.post("/api/admin/licenses", Map.of("product_id", productId), "Authorization", token)
                    .json()
                    .get("license_key")
                    .asString();
            try (LicensorClient client = LicensorClient.builder()
                    .baseUri("http://127.0.0.1:" + server.port())
                    .apiKey(apiKey)
                    .pinnedKeys(other.get("/api/keys").body())
                    .fingerprint(machine("travelling"))
                    .offlineTokenStore(store)
                    .build()) {
                client.activate(key);
                String hardwareHash = client.fingerprint().hardwareHash();
                server.close();

                assertThatThrownBy(() -> client.verify(VerifyRequest.of(key))).isInstanceOf(TransportException.class);
                OfflineVerifier verifier = new OfflineVerifier(client.pinnedKeys(), store);
                assertThat(verifier.check(hardwareHash)).isInstanceOf(OfflineCheck.Valid.class);
                assertThat(verifier.check("another-machine"))
                        .isInstanceOfSatisfying(OfflineCheck.Invalid.class, invalid -> assertThat(invalid.reason())
                                .isEqualTo(OfflineCheck.Reason.WRONG_HARDWARE));
            }
        } finally {
            server.close();
        }
    }

    private final java.util.concurrent.atomic.AtomicInteger tampered = new java.util.concurrent.atomic.AtomicInteger();

    /** Forwards to the real server, turning a NOT_FOUND answer into a VALID one. */
    private HttpServer tamperingProxy() throws IOException {
        HttpClient upstream = HttpClient.newHttpClient();
        HttpServer proxy = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        proxy.createContext("/", exchange -> {
            try (exchange) {
                byte[] requestBody;
                try (InputStream in = exchange.getRequestBody()) {
                    requestBody = in.readAllBytes();
                }
                HttpRequest.Builder forward = HttpRequest.newBuilder(
                                URI.create("http://127.0.0.1:" + port + exchange.getRequestURI()))
                        .method(exchange.getRequestMethod(), HttpRequest.BodyPublishers.ofByteArray(requestBody));
                exchange.getRequestHeaders().forEach((name, values) -> {
                    if (!List.of("host", "content-length", "connection").contains(name.toLowerCase())) {
                        values.forEach(v -> forward.header(name, v));
                    }
                });
                HttpResponse<byte[]> answer = upstream.send(forward.build(), HttpResponse.BodyHandlers.ofByteArray());
                String original = new String(answer.body(), StandardCharsets.UTF_8);
                String body = original.replace("NOT_FOUND", "VALID");
                if (!body.equals(original)) {
                    tampered.incrementAndGet();
                }
                answer.headers().map().forEach((name, values) -> {
                    if (!List.of("content-length", "transfer-encoding", "connection", ":status")
                            .contains(name.toLowerCase())) {
                        values.forEach(v -> exchange.getResponseHeaders().add(name, v));
                    }
                });
                byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
                exchange.sendResponseHeaders(answer.statusCode(), bytes.length);
                try (OutputStream out = exchange.getResponseBody()) {
                    out.write(bytes);
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
        proxy.start();
        return proxy;
    }
}
