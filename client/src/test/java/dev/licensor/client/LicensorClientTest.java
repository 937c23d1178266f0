package dev.licensor.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.licensor.client.FakeServer.Reply;
import dev.licensor.client.FakeServer.Tamper;
import dev.licensor.protocol.ErrorCode;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

class LicensorClientTest {
    static final String KEY = "AF-7K2M4-9QX3B-PRT6W-ZH8NC-5DJ2A";
    static final String LICENSE_JSON =
            """
            {"license_key":"AF-7K2M4-9QX3B-PRT6W-ZH8NC-5DJ2A","product":"Account Forger","type":"Annual",
             "status":"ACTIVE","licensed_to":"ACME GmbH","created_at":"2026-01-02T03:04:05Z",
             "activated_at":"2026-01-03T00:00:00Z","expires_at":"2027-01-03T00:00:00Z","device_limit":3,
             "devices_used":1,"concurrent_sessions_limit":1,"live_sessions":0,"features":["export","pro"],
             "single_use":false}""";
    static final Fingerprint FINGERPRINT =
            new Fingerprint(List.of("00:11:22:33:44:55"), "GENUINEINTEL CPU", "UUID-1", "host-1", "Linux");

    FakeServer server;
    LicensorClient client;

    @TempDir
    Path dir;

    @BeforeEach
    void start() throws Exception {
        server = new FakeServer();
        client = clientBuilder().build();
    }

    @AfterEach
    void stop() {
        client.close();
        server.close();
        assertThat(server.dateRaces).hasValue(0);
    }

    LicensorClient.Builder clientBuilder() {
        return LicensorClient.builder()
                .baseUri(server.baseUri())
                .apiKey("AF-2026-APIKEY")
                .pinnedKeys(server.jwks())
                .clientVersion("1.4.2")
                .deviceName("Workstation")
                .acceptLanguage("de")
                .fingerprint(FINGERPRINT)
                .requestTimeout(Duration.ofSeconds(30));
    }

    @Test
    void activateSendsTheDeviceAndReadsTheAnswer() {
        OfflineTokenStore store = new OfflineTokenStore(dir.resolve("token.jws"));
        client = clientBuilder().offlineTokenStore(store).build();
        server.on(
                "POST",
                "/api/license/activate",
                r -> Reply.json(
                        200,
                        """
                {"activated":true,"new_device":true,"license":%s,
                 "device":{"id":42,"hardware_hash":"hh","machine_id":"m","name":"Workstation","status":"ACTIVE",
                           "first_activated_at":"2026-01-03T00:00:00Z"},
                 "offline_token":"a.b.c"}"""
                                .formatted(LICENSE_JSON)));

        ActivateResponse response = client.activate(KEY);

        assertThat(response.activated()).isTrue();
        assertThat(response.newDevice()).isTrue();
        LicenseView license = response.license();
        assertThat(license.licenseKey()).isEqualTo(KEY);
        assertThat(license.product()).isEqualTo("Account Forger");
        assertThat(license.type()).isEqualTo("Annual");
        assertThat(license.status()).isEqualTo("ACTIVE");
        assertThat(license.licensedTo()).isEqualTo("ACME GmbH");
        assertThat(license.createdAt()).isEqualTo(Instant.parse("2026-01-02T03:04:05Z"));
        assertThat(license.activatedAt()).isEqualTo(Instant.parse("2026-01-03T00:00:00Z"));
        assertThat(license.expiresAt()).isEqualTo(Instant.parse("2027-01-03T00:00:00Z"));
        assertThat(license.deviceLimit()).isEqualTo(3);
        assertThat(license.devicesUsed()).isEqualTo(1);
        assertThat(license.concurrentSessionsLimit()).isEqualTo(1);
        assertThat(license.liveSessions()).isZero();
        assertThat(license.features()).containsExactly("export", "pro");
        assertThat(license.singleUse()).isFalse();
        assertThat(response.device()).isNotNull();
        assertThat(response.device().id()).isEqualTo("42");
        assertThat(response.device().firstActivatedAt()).isEqualTo(Instant.parse("2026-01-03T00:00:00Z"));
        assertThat(response.offlineToken()).isEqualTo("a.b.c");
        assertThat(store.load()).contains("a.b.c");

        FakeServer.Request request = server.requests("/api/license/activate").getFirst();
        assertThat(request.method()).isEqualTo("POST");
        assertThat(request.header("X-API-Key")).isEqualTo("AF-2026-APIKEY");
        assertThat(request.header("Accept-Language")).isEqualTo("de");
        assertThat(request.header("Content-Type")).isEqualTo("application/json");
        assertThat(request.header("X-Nonce")).hasSizeGreaterThanOrEqualTo(16);
        assertThat(request.header("X-Signature")).isNull();
        Map<String, Object> body = request.json();
        assertThat(body)
                .containsEntry("license_key", KEY)
                .containsEntry("hardware_hash", FINGERPRINT.hardwareHash())
                .containsEntry("machine_id", FINGERPRINT.machineId())
                .containsEntry("device_name", "Workstation")
                .containsEntry("os", "Linux")
                .containsEntry("version", "1.4.2")
                .containsEntry(
                        "components",
                        Map.of(
                                "mac", FINGERPRINT.components().mac(),
                                "cpu_id", FINGERPRINT.components().cpuId(),
                                "system_uuid", FINGERPRINT.components().systemUuid()))
                .doesNotContainKey("device_type");
    }

    @Test
    void everyRequestHasAFreshNonce() {
        server.on("GET", "/api/version/latest", r -> Reply.json(200, "{\"version\":\"2.0.0\"}"));
        client.versionLatest();
        client.versionLatest();
        client.versionLatest();
        List<String> nonces = server.requests.stream()
                .map(r -> r.header("X-Nonce"))
                .filter(n -> n != null)
                .toList();
        assertThat(nonces).hasSize(3).doesNotHaveDuplicates();
    }

    @Test
    void deactivate() {
        server.on(
                "POST",
                "/api/license/deactivate",
                r -> Reply.json(200, """
                {"deactivated":true,"devices_used":0,"device_limit":3}"""));

        DeactivateResponse response = client.deactivate(KEY);

        assertThat(response).isEqualTo(new DeactivateResponse(true, 0, 3));
        assertThat(server.requests("/api/license/deactivate").getFirst().json())
                .isEqualTo(Map.of("license_key", KEY, "hardware_hash", FINGERPRINT.hardwareHash()));
    }

    @Test
    void verifyReadsLicenseOutcomesAsAnswers() {
        server.on(
                "POST",
                "/api/license/verify",
                r -> Reply.json(
                        200,
                        """
                {"valid":true,"code":"GRACE_PERIOD","detail":"Abgelaufen, Kulanzzeit läuft","license":%s,
                 "features":["export"],"expires_at":"2026-11-01T00:00:00Z","grace_until":"2026-11-08T00:00:00Z",
                 "update":{"current_version":"1.5.0","minimum_version":"1.0.0","update_available":true,
                           "update_required":false,"whats_new":"Faster","download_url":"https://x/dl"},
                 "feature_enabled":true,"offline_token":"t.o.k"}"""
                                .formatted(LICENSE_JSON)));

        VerifyResponse response = client.verify(new VerifyRequest(KEY, "hh", "1.4.2", "export", "my-nonce"));

        assertThat(response.valid()).isTrue();
        assertThat(response.code()).isEqualTo(VerifyCode.GRACE_PERIOD);
        assertThat(response.detail()).isEqualTo("Abgelaufen, Kulanzzeit läuft");
        assertThat(response.license().licenseKey()).isEqualTo(KEY);
        assertThat(response.features()).containsExactly("export");
        assertThat(response.expiresAt()).isEqualTo(Instant.parse("2026-11-01T00:00:00Z"));
        assertThat(response.graceUntil()).isEqualTo(Instant.parse("2026-11-08T00:00:00Z"));
        assertThat(response.update())
                .isEqualTo(new VersionInfo("1.5.0", "1.0.0", true, false, "Faster", "https://x/dl"));
        assertThat(response.featureEnabled()).isTrue();
        assertThat(response.offlineToken()).isEqualTo("t.o.k");
        assertThat(server.requests("/api/license/verify").getFirst().json())
                .isEqualTo(Map.of(
                        "license_key", KEY,
                        "hardware_hash", "hh",
                        "version", "1.4.2",
                        "feature", "export",
                        "nonce", "my-nonce"));
    }

    @Test
    void verifyOfAnUnknownKeyIsAnAnswerWithAnUnknownCodeTolerated() {
        server.on(
                "POST",
                "/api/license/verify",
                r -> Reply.json(
                        200,
                        """
                {"valid":false,"code":"NOT_FOUND","detail":"Unknown key","features":[]}"""));
        VerifyResponse response = client.verify(KEY);
        assertThat(response.valid()).isFalse();
        assertThat(response.code()).isEqualTo(VerifyCode.NOT_FOUND);
        assertThat(response.license()).isNull();
        assertThat(server.requests("/api/license/verify").getFirst().json())
                .containsEntry("hardware_hash", FINGERPRINT.hardwareHash())
                .containsEntry("version", "1.4.2");

        server.on(
                "POST",
                "/api/license/verify",
                r -> Reply.json(200, """
                {"valid":false,"code":"SOMETHING_NEW"}"""));
        assertThat(client.verify(KEY).code()).isEqualTo(VerifyCode.UNKNOWN);
    }

    @Test
    void infoIsAGetWithTheKeyInThePath() {
        server.on("GET", "/api/license/info/" + KEY, r -> Reply.json(200, LICENSE_JSON));

        LicenseView license = client.info(KEY);

        assertThat(license.licenseKey()).isEqualTo(KEY);
        FakeServer.Request request = server.requests("/api/license/info/" + KEY).getFirst();
        assertThat(request.method()).isEqualTo("GET");
        assertThat(request.body()).isEmpty();
        assertThat(request.header("Content-Type")).isNull();
    }

    @Test
    void rawSessionCalls() {
        server.on(
                "POST",
                "/api/license/session/start",
                r -> Reply.json(
                        200,
                        """
                {"session_token":"6f1c2a3e-0000-4000-8000-000000000001","resumed":true,"heartbeat_interval":30,
                 "session_timeout":60,"license":%s,
                 "version":{"current_version":"1.4.2","minimum_version":"1.0.0","update_available":false,
                            "update_required":false,"download_url":"https://x/dl"},
                 "offline_token":"s.t.k"}"""
                                .formatted(LICENSE_JSON)));
        server.on(
                "POST",
                "/api/license/session/heartbeat",
                r -> Reply.json(
                        200,
                        """
                {"ok":true,"next_heartbeat_in":30,"server_time":"2026-11-23T12:00:00Z"}"""));
        server.on(
                "POST",
                "/api/license/session/end",
                r -> Reply.json(200, """
                {"ended":true,"end_reason":"normal"}"""));

        SessionStartResponse start = client.sessionStart(new SessionStartRequest(KEY, "machine", "hh", "1.4.2"));
        HeartbeatResponse beat = client.heartbeat(start.sessionToken(), KEY);
        SessionEndResponse end = client.sessionEnd(start.sessionToken());

        assertThat(start.sessionToken()).isEqualTo("6f1c2a3e-0000-4000-8000-000000000001");
        assertThat(start.resumed()).isTrue();
        assertThat(start.heartbeatInterval()).isEqualTo(Duration.ofSeconds(30));
        assertThat(start.sessionTimeout()).isEqualTo(Duration.ofSeconds(60));
        assertThat(start.license().concurrentSessionsLimit()).isEqualTo(1);
        assertThat(start.version().downloadUrl()).isEqualTo("https://x/dl");
        assertThat(start.version().whatsNew()).isNull();
        assertThat(start.offlineToken()).isEqualTo("s.t.k");
        assertThat(beat)
                .isEqualTo(new HeartbeatResponse(true, Duration.ofSeconds(30), Instant.parse("2026-11-23T12:00:00Z")));
        assertThat(end).isEqualTo(new SessionEndResponse(true, EndReason.NORMAL));

        assertThat(server.requests("/api/license/session/start").getFirst().json())
                .isEqualTo(
                        Map.of("license_key", KEY, "machine_id", "machine", "hardware_hash", "hh", "version", "1.4.2"));
        assertThat(server.requests("/api/license/session/heartbeat").getFirst().json())
                .isEqualTo(Map.of("session_token", start.sessionToken(), "license_key", KEY));
        assertThat(server.requests("/api/license/session/end").getFirst().json())
                .isEqualTo(Map.of("session_token", start.sessionToken()));
    }

    @Test
    void versionsUsageAndKeys() {
        server.on(
                "POST",
                "/api/version/check",
                r -> Reply.json(
                        200,
                        """
                {"current_version":"2.0.0","minimum_version":"1.0.0","update_available":true,
                 "update_required":false,"whats_new":"New UI","download_url":"https://x/dl"}"""));
        server.on(
                "GET",
                "/api/version/latest",
                r -> Reply.json(
                        200,
                        """
                {"version":"2.0.0","download_url":"https://x/dl","whats_new":"New UI",
                 "released_at":"2026-11-20T10:00:00Z"}"""));
        server.on(
                "POST",
                "/api/license/usage",
                r -> Reply.json(200, """
                {"metric":"exports","used":7,"limit":100,"remaining":93}"""));

        assertThat(client.versionCheck("1.4.2"))
                .isEqualTo(new VersionInfo("2.0.0", "1.0.0", true, false, "New UI", "https://x/dl"));
        assertThat(client.versionLatest())
                .isEqualTo(new LatestVersion("2.0.0", "https://x/dl", "New UI", Instant.parse("2026-11-20T10:00:00Z")));
        assertThat(client.usage(KEY, "exports", 2)).isEqualTo(new UsageResponse("exports", 7, 100L, 93L));
        JsonWebKeySet keys = client.keys();

        assertThat(keys.keys()).containsOnlyKeys(FakeServer.KID);
        assertThat(server.requests("/api/version/check").getFirst().json()).isEqualTo(Map.of("version", "1.4.2"));
        assertThat(server.requests("/api/license/usage").getFirst().json())
                .isEqualTo(Map.of("license_key", KEY, "metric", "exports", "amount", 2L));
        assertThat(server.requests("/api/keys").getFirst().header("X-API-Key")).isNull();
    }

    // ---------------------------------------------------------------- errors

    @Test
    void deviceLimitCarriesTheCounts() {
        server.on(
                "POST",
                "/api/license/activate",
                r -> Reply.problem(
                        409, "DEVICE_LIMIT_REACHED", "Alle 3 Geräte belegt", "\"device_limit\":3,\"devices_used\":3"));

        DeviceLimitException e = catchThrowableOfType(DeviceLimitException.class, () -> client.activate(KEY));

        assertThat(e.code()).isEqualTo(ErrorCode.DEVICE_LIMIT_REACHED);
        assertThat(e.status()).isEqualTo(409);
        assertThat(e.detail()).isEqualTo("Alle 3 Geräte belegt");
        assertThat(e.deviceLimit()).isEqualTo(3);
        assertThat(e.devicesUsed()).isEqualTo(3);
        assertThat(e.property("device_limit")).contains(3L);
        assertThat(e.isTransient()).isFalse();
    }

    @Test
    void sessionLimitCarriesTheLocalizedDetailAndTheLimit() {
        String german = "Es ist nur eine Sitzung erlaubt, stelle sicher, dass nirgendwo sonst das Programm läuft";
        server.on(
                "POST",
                "/api/license/session/start",
                r -> Reply.problem(409, "SESSION_LIMIT_REACHED", german, "\"concurrent_sessions_limit\":1"));

        SessionLimitException e = catchThrowableOfType(
                SessionLimitException.class,
                () -> client.sessionStart(new SessionStartRequest(KEY, "m", "h", "1.4.2")));

        assertThat(e.code()).isEqualTo(ErrorCode.SESSION_LIMIT_REACHED);
        assertThat(e.detail()).isEqualTo(german);
        assertThat(e.concurrentSessionsLimit()).isEqualTo(1);
    }

    @Test
    void sessionEndedCarriesTheReason() {
        server.on(
                "POST",
                "/api/license/session/heartbeat",
                r -> Reply.problem(410, "SESSION_ENDED", "ended", "\"end_reason\":\"forced\""));
        SessionEndedException e = catchThrowableOfType(SessionEndedException.class, () -> client.heartbeat("t", KEY));
        assertThat(e.endReason()).contains(EndReason.FORCED);

        server.on("POST", "/api/license/session/heartbeat", r -> Reply.problem(404, "SESSION_NOT_FOUND", "?", ""));
        e = catchThrowableOfType(SessionEndedException.class, () -> client.heartbeat("t", KEY));
        assertThat(e.code()).isEqualTo(ErrorCode.SESSION_NOT_FOUND);
        assertThat(e.endReason()).isEmpty();
    }

    @Test
    void updateRequiredCarriesMinimumVersionAndDownload() {
        server.on(
                "POST",
                "/api/license/activate",
                r -> Reply.problem(
                        426,
                        "UPDATE_REQUIRED",
                        "Please update",
                        "\"minimum_version\":\"2.0.0\",\"download_url\":\"https://x/dl\""));
        UpdateRequiredException e = catchThrowableOfType(UpdateRequiredException.class, () -> client.activate(KEY));
        assertThat(e.minimumVersion()).contains("2.0.0");
        assertThat(e.downloadUrl()).contains("https://x/dl");
    }

    @Test
    void rateLimitCarriesRetryAfterAndLimits() {
        server.on("POST", "/api/license/verify", r -> Reply.problem(429, "RATE_LIMITED", "Slow down", "")
                .withHeader("Retry-After", "17")
                .withHeader("X-RateLimit-Limit", "100")
                .withHeader("X-RateLimit-Remaining", "0")
                .withHeader("X-RateLimit-Reset", "17"));
        RateLimitedException e = catchThrowableOfType(RateLimitedException.class, () -> client.verify(KEY));
        assertThat(e.retryAfter()).contains(Duration.ofSeconds(17));
        assertThat(e.limit()).hasValue(100);
        assertThat(e.remaining()).hasValue(0);
        assertThat(e.reset()).hasValue(17);
        assertThat(e.isTransient()).isTrue();

        server.on(
                "POST",
                "/api/license/deactivate",
                r -> Reply.problem(429, "DEACTIVATION_LIMIT_REACHED", "Too many transfers", ""));
        e = catchThrowableOfType(RateLimitedException.class, () -> client.deactivate(KEY));
        assertThat(e.code()).isEqualTo(ErrorCode.DEACTIVATION_LIMIT_REACHED);
        assertThat(e.isTransient()).isFalse();
    }

    @Test
    void eachCodeMapsToItsFamily() {
        Map<String, Class<? extends LicensorException>> families = Map.ofEntries(
                Map.entry("LICENSE_NOT_FOUND", LicenseStateException.class),
                Map.entry("LICENSE_SUSPENDED", LicenseStateException.class),
                Map.entry("LICENSE_REVOKED", LicenseStateException.class),
                Map.entry("LICENSE_EXPIRED", LicenseStateException.class),
                Map.entry("LICENSE_NOT_YET_VALID", LicenseStateException.class),
                Map.entry("DEVICE_NOT_ACTIVATED", LicenseStateException.class),
                Map.entry("DEVICE_BLOCKED", LicenseStateException.class),
                Map.entry("LICENSE_ALREADY_USED", LicenseStateException.class),
                Map.entry("INVALID_API_KEY", AccessDeniedException.class),
                Map.entry("SIGNATURE_REQUIRED", AccessDeniedException.class),
                Map.entry("TIMESTAMP_OUT_OF_WINDOW", AccessDeniedException.class),
                Map.entry("NONCE_REPLAYED", AccessDeniedException.class),
                Map.entry("IP_BLOCKED", AccessDeniedException.class),
                Map.entry("QUOTA_EXCEEDED", QuotaExceededException.class),
                Map.entry("SERVICE_UNAVAILABLE", ServiceUnavailableException.class),
                Map.entry("INVALID_REQUEST", LicensorException.class),
                Map.entry("PAYLOAD_TOO_LARGE", LicensorException.class));
        families.forEach((code, type) -> {
            int status = ErrorCode.valueOf(code).status();
            server.on("POST", "/api/license/usage", r -> Reply.problem(status, code, "d", ""));
            LicensorException e = catchThrowableOfType(LicensorException.class, () -> client.usage(KEY, "m", 1));
            assertThat(e).as(code).isExactlyInstanceOf(type);
            assertThat(e.code()).isEqualTo(ErrorCode.valueOf(code));
            assertThat(e.status()).isEqualTo(status);
        });
    }

    @Test
    void unknownCodesAndNonProblemAnswersStillFailTyped() {
        server.on("POST", "/api/license/usage", r -> Reply.problem(418, "BRAND_NEW_CODE", "New", "\"x\":1"));
        LicensorException e = catchThrowableOfType(LicensorException.class, () -> client.usage(KEY, "m", 1));
        assertThat(e.code()).isNull();
        assertThat(e.rawCode()).contains("BRAND_NEW_CODE");
        assertThat(e.property("x")).contains(1L);

        server.on("POST", "/api/license/usage", r -> new Reply(
                        502, "<html>Bad gateway</html>", "text/html", Map.of(), Tamper.NONE)
                .withHeader("Retry-After", "5"));
        e = catchThrowableOfType(LicensorException.class, () -> client.usage(KEY, "m", 1));
        assertThat(e).isInstanceOf(ServiceUnavailableException.class);
        assertThat(e.status()).isEqualTo(502);
        assertThat(e.retryAfter()).contains(Duration.ofSeconds(5));
        assertThat(e.isTransient()).isTrue();
    }

    @Test
    void unreadableSuccessIsAnInvalidResponse() {
        server.on("GET", "/api/version/latest", r -> Reply.json(200, "{\"no_version\":true}"));
        assertThatThrownBy(client::versionLatest).isInstanceOf(InvalidResponseException.class);
        server.on("GET", "/api/version/latest", r -> Reply.json(200, "not json"));
        assertThatThrownBy(client::versionLatest).isInstanceOf(InvalidResponseException.class);
    }

    @Test
    void networkFailureIsATransportException() throws Exception {
        int closedPort;
        try (ServerSocket socket = new ServerSocket(0)) {
            closedPort = socket.getLocalPort();
        }
        try (LicensorClient offline =
                clientBuilder().baseUri("http://127.0.0.1:" + closedPort).build()) {
            TransportException e = catchThrowableOfType(TransportException.class, offline::versionLatest);
            assertThat(e.code()).isNull();
            assertThat(e.status()).isZero();
            assertThat(e.isTransient()).isTrue();
        }
    }

    // ---------------------------------------------------------------- request signing

    @Test
    void signsRequestsTheServerCanVerify() {
        server.requireSignatures("s3cret-signing");
        Instant now = Instant.parse("2026-11-23T12:00:00Z");
        client = clientBuilder()
                .signingSecret("s3cret-signing")
                .clock(Clock.fixed(now, ZoneOffset.UTC))
                .build();
        server.on("GET", "/api/version/latest", r -> Reply.json(200, "{\"version\":\"2.0.0\"}"));
        server.on("GET", "/api/license/info/" + KEY, r -> Reply.json(200, LICENSE_JSON));
        server.on(
                "POST",
                "/api/license/deactivate",
                r -> Reply.json(200, """
                {"deactivated":true,"devices_used":0,"device_limit":3}"""));

        assertThat(client.versionLatest().version()).isEqualTo("2.0.0");
        assertThat(client.info(KEY).licenseKey()).isEqualTo(KEY);
        assertThat(client.deactivate(KEY).deactivated()).isTrue();
        assertThat(server.requests.getFirst().header("X-Timestamp")).isEqualTo(Long.toString(now.getEpochSecond()));
    }

    @Test
    void aWrongSecretIsRefusedByTheServer() {
        server.requireSignatures("the-right-secret");
        client = clientBuilder().signingSecret("a-wrong-secret").build();
        AccessDeniedException e = catchThrowableOfType(AccessDeniedException.class, client::versionLatest);
        assertThat(e.code()).isEqualTo(ErrorCode.SIGNATURE_INVALID);
    }

    @Test
    void signedTargetKeepsTheRawPathAndAddsANonEmptyQuery() {
        assertThat(LicensorClient.signedTarget(URI.create("http://h/api/license/info/AB%20C")))
                .isEqualTo("/api/license/info/AB%20C");
        assertThat(LicensorClient.signedTarget(URI.create("http://h/api/x?b=2&a=%2F")))
                .isEqualTo("/api/x?b=2&a=%2F");
        assertThat(LicensorClient.signedTarget(URI.create("http://h/api/x?"))).isEqualTo("/api/x");
    }

    // ---------------------------------------------------------------- response signatures

    @ParameterizedTest
    @EnumSource(
            value = Tamper.class,
            names = {"BODY", "WRONG_NONCE", "UNKNOWN_KID", "NO_SIGNATURE", "GARBLED_HEADER"})
    void refusesAnswersThatAreNotSignedForThisRequest(Tamper tamper) {
        server.on("POST", "/api/license/deactivate", r -> Reply.json(
                        200, """
                        {"deactivated":true,"devices_used":1,"device_limit":3}""")
                .tampered(tamper));
        ResponseSignatureException e =
                catchThrowableOfType(ResponseSignatureException.class, () -> client.deactivate(KEY));
        assertThat(e.status()).isEqualTo(200);
        assertThat(e.isTransient()).isTrue();
    }

    @Test
    void refusesTamperedErrorsToo() {
        server.on("POST", "/api/license/activate", r -> Reply.problem(403, "LICENSE_REVOKED", "revoked", "")
                .tampered(Tamper.BODY));
        assertThatThrownBy(() -> client.activate(KEY)).isInstanceOf(ResponseSignatureException.class);
    }

    @Test
    void acceptsAKeyPinnedAsAMap() {
        client = clientBuilder()
                .pinnedKeys(JsonWebKeySet.parse(server.jwks()).keys())
                .build();
        server.on("GET", "/api/version/latest", r -> Reply.json(200, "{\"version\":\"2.0.0\"}"));
        assertThat(client.versionLatest().version()).isEqualTo("2.0.0");
    }

    @Test
    void withoutPinnedKeysAnswersAreNotVerified() {
        client = clientBuilder().pinnedKeys(Map.of()).build();
        server.on("GET", "/api/version/latest", r -> Reply.json(200, "{\"version\":\"2.0.0\"}")
                .tampered(Tamper.NO_SIGNATURE));
        assertThat(client.versionLatest().version()).isEqualTo("2.0.0");
    }

    @Test
    void builderRejectsBadBaseUris() {
        assertThatThrownBy(() -> LicensorClient.builder().baseUri("ftp://x"))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> LicensorClient.builder().baseUri("http://x/?a=b"))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> LicensorClient.builder().apiKey("k").build()).isInstanceOf(NullPointerException.class);
    }

    @Test
    void baseUriWithAPathPrefixIsKept() {
        try (LicensorClient prefixed =
                clientBuilder().baseUri(server.baseUri() + "/licensor/").build()) {
            server.on("GET", "/licensor/api/version/latest", r -> Reply.json(200, "{\"version\":\"3.0.0\"}"));
            assertThat(prefixed.versionLatest().version()).isEqualTo("3.0.0");
        }
    }

    @Test
    void offlineTokenFailuresDoNotFailTheCall() throws Exception {
        Path blocker = Files.createFile(dir.resolve("not-a-directory"));
        client = clientBuilder()
                .offlineTokenStore(new OfflineTokenStore(blocker.resolve("token.jws")))
                .build();
        server.on(
                "POST",
                "/api/license/verify",
                r -> Reply.json(
                        200,
                        """
                {"valid":true,"code":"VALID","features":[],"offline_token":"a.b.c"}"""));
        assertThat(client.verify(KEY).valid()).isTrue();
    }
}
