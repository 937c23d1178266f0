package dev.licensor.client;

import static org.assertj.core.api.Assertions.assertThat;

import dev.licensor.client.FakeServer.Reply;
import dev.licensor.protocol.ErrorCode;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The heartbeat loop against the fake server, with a 1 s interval. Every wait is on a latch or
 * queue with a generous timeout; nothing asserts on elapsed time.
 */
class LicenseSessionTest {
    static final String KEY = LicensorClientTest.KEY;
    static final long WAIT_SECONDS = 60;

    FakeServer server;
    LicensorClient client;
    final RecordingListener listener = new RecordingListener();
    final AtomicInteger heartbeats = new AtomicInteger();

    @BeforeEach
    void start() throws Exception {
        server = new FakeServer();
        client = LicensorClient.builder()
                .baseUri(server.baseUri())
                .apiKey("AF-2026-APIKEY")
                .pinnedKeys(server.jwks())
                .clientVersion("1.4.2")
                .fingerprint(LicensorClientTest.FINGERPRINT)
                .requestTimeout(Duration.ofSeconds(30))
                .build();
        startAnswers(1, 60);
        server.on(
                "POST", "/api/license/session/end", r -> Reply.json(200, "{\"ended\":true,\"end_reason\":\"normal\"}"));
    }

    @AfterEach
    void stop() {
        client.close();
        server.close();
    }

    void startAnswers(int interval, int timeout) {
        server.on(
                "POST",
                "/api/license/session/start",
                r -> Reply.json(
                        200,
                        """
                {"session_token":"tok-1","resumed":false,"heartbeat_interval":%d,"session_timeout":%d,
                 "license":%s}"""
                                .formatted(interval, timeout, LicensorClientTest.LICENSE_JSON)));
    }

    /** Answers heartbeats from a script: the n-th heartbeat gets the n-th reply, the last repeats. */
    void heartbeatScript(List<Function<FakeServer.Request, Reply>> script) {
        server.on("POST", "/api/license/session/heartbeat", r -> {
            int n = heartbeats.getAndIncrement();
            return script.get(Math.min(n, script.size() - 1)).apply(r);
        });
    }

    static Reply ok(FakeServer.Request r) {
        return Reply.json(200, "{\"ok\":true,\"next_heartbeat_in\":1,\"server_time\":\"2026-11-23T12:00:00Z\"}");
    }

    @Test
    void heartbeatsOnItsOwnUntilClosedThenEndsTheSession() throws Exception {
        heartbeatScript(List.of(LicenseSessionTest::ok));

        LicenseSession session = client.startSession(KEY, listener);
        try {
            assertThat(session.token()).isEqualTo("tok-1");
            assertThat(session.startResponse().heartbeatInterval()).isEqualTo(Duration.ofSeconds(1));
            assertThat(listener.successes.await(WAIT_SECONDS, TimeUnit.SECONDS)).isTrue();
            assertThat(session.isActive()).isTrue();
        } finally {
            session.close();
        }

        assertThat(session.isActive()).isFalse();
        assertThat(session.loss()).isEmpty();
        assertThat(server.requests("/api/license/session/end")).singleElement().satisfies(r -> assertThat(r.json())
                .containsEntry("session_token", "tok-1"));
        assertThat(server.requests("/api/license/session/heartbeat")).allSatisfy(r -> assertThat(r.json())
                .containsEntry("session_token", "tok-1")
                .containsEntry("license_key", KEY));
        session.close();
        assertThat(server.requests("/api/license/session/end")).hasSize(1);
        assertThat(listener.losses).isEmpty();
    }

    @Test
    void tellsTheListenerWhenAnAdminEndsTheSession() throws Exception {
        heartbeatScript(List.of(
                LicenseSessionTest::ok,
                r -> Reply.problem(410, "SESSION_ENDED", "Die Sitzung wurde beendet", "\"end_reason\":\"forced\"")));

        try (LicenseSession session = client.startSession(KEY, listener)) {
            SessionLoss loss = listener.losses.poll(WAIT_SECONDS, TimeUnit.SECONDS);

            assertThat(loss).isInstanceOfSatisfying(SessionLoss.Ended.class, ended -> {
                assertThat(ended.reason()).isEqualTo(EndReason.FORCED);
                assertThat(ended.cause().detail()).isEqualTo("Die Sitzung wurde beendet");
            });
            assertThat(session.isActive()).isFalse();
            assertThat(session.loss()).contains(loss);
        }
        // The server ended it already: closing does not call session/end.
        assertThat(server.requests("/api/license/session/end")).isEmpty();
        assertThat(listener.losses).isEmpty();
    }

    @Test
    void retriesATransientFailureAndCarriesOn() throws Exception {
        heartbeatScript(List.of(
                r -> Reply.problem(503, "SERVICE_UNAVAILABLE", "down", ""),
                r -> new Reply(502, "<html>proxy</html>", "text/html", java.util.Map.of(), FakeServer.Tamper.NONE),
                LicenseSessionTest::ok));

        try (LicenseSession session = client.startSession(KEY, listener)) {
            assertThat(listener.successes.await(WAIT_SECONDS, TimeUnit.SECONDS)).isTrue();

            assertThat(listener.failures).hasSizeGreaterThanOrEqualTo(2);
            assertThat(listener.failures.poll()).isInstanceOf(ServiceUnavailableException.class);
            assertThat(listener.losses).isEmpty();
            assertThat(session.isActive()).isTrue();
        }
    }

    @Test
    void retriesThroughAnUntrustedAnswer() throws Exception {
        heartbeatScript(List.of(r -> ok(r).tampered(FakeServer.Tamper.BODY), LicenseSessionTest::ok));

        try (LicenseSession session = client.startSession(KEY, listener)) {
            assertThat(listener.successes.await(WAIT_SECONDS, TimeUnit.SECONDS)).isTrue();
            assertThat(listener.failures.poll()).isInstanceOf(ResponseSignatureException.class);
            assertThat(session.isActive()).isTrue();
        }
    }

    @Test
    void losesTheSessionWhenTheServerStaysUnreachableForTheTimeout() throws Exception {
        startAnswers(1, 2);
        heartbeatScript(List.of(r -> Reply.problem(503, "SERVICE_UNAVAILABLE", "down", "")));

        try (LicenseSession session = client.startSession(KEY, listener)) {
            SessionLoss loss = listener.losses.poll(WAIT_SECONDS, TimeUnit.SECONDS);

            assertThat(loss).isInstanceOfSatisfying(SessionLoss.TimedOut.class, timedOut -> {
                assertThat(timedOut.cause()).isInstanceOf(ServiceUnavailableException.class);
                assertThat(timedOut.unreachableFor()).isGreaterThanOrEqualTo(Duration.ofSeconds(2));
            });
            assertThat(session.isActive()).isFalse();
        }
        // Best effort: the server may still think it live, so close() tries to end it.
        assertThat(server.requests("/api/license/session/end")).hasSize(1);
    }

    @Test
    void losesTheSessionWhenTheLicenseIsSuspended() throws Exception {
        heartbeatScript(List.of(r -> Reply.problem(403, "LICENSE_SUSPENDED", "suspended", "")));

        try (LicenseSession session = client.startSession(KEY, listener)) {
            SessionLoss loss = listener.losses.poll(WAIT_SECONDS, TimeUnit.SECONDS);
            assertThat(loss).isInstanceOfSatisfying(SessionLoss.LicenseUnusable.class, unusable -> assertThat(
                            unusable.cause().code())
                    .isEqualTo(ErrorCode.LICENSE_SUSPENDED));
            assertThat(heartbeats).hasValue(1);
        }
    }

    @Test
    void losesTheSessionWhenAnUpdateIsRequiredOrTheKeyIsRevoked() throws Exception {
        heartbeatScript(List.of(r -> Reply.problem(
                426, "UPDATE_REQUIRED", "update", "\"minimum_version\":\"2.0.0\",\"download_url\":\"https://x\"")));
        try (LicenseSession session = client.startSession(KEY, listener)) {
            assertThat(listener.losses.poll(WAIT_SECONDS, TimeUnit.SECONDS))
                    .isInstanceOfSatisfying(
                            SessionLoss.UpdateRequired.class,
                            u -> assertThat(u.cause().minimumVersion()).contains("2.0.0"));
            assertThat(session.isActive()).isFalse();
        }

        heartbeatScript(List.of(r -> Reply.problem(401, "INVALID_API_KEY", "revoked", "")));
        try (LicenseSession session = client.startSession(KEY, listener)) {
            assertThat(listener.losses.poll(WAIT_SECONDS, TimeUnit.SECONDS))
                    .isInstanceOfSatisfying(
                            SessionLoss.Rejected.class,
                            r -> assertThat(r.cause().code()).isEqualTo(ErrorCode.INVALID_API_KEY));
            assertThat(session.isActive()).isFalse();
        }
    }

    @Test
    void aListenerThatThrowsDoesNotStopTheHeartbeats() throws Exception {
        CountDownLatch three = new CountDownLatch(3);
        heartbeatScript(List.of(LicenseSessionTest::ok));
        SessionListener throwing = new SessionListener() {
            @Override
            public void sessionLost(SessionLoss loss) {}

            @Override
            public void heartbeatSucceeded(HeartbeatResponse response) {
                three.countDown();
                throw new IllegalStateException("listener bug");
            }
        };
        try (LicenseSession session = client.startSession(KEY, throwing)) {
            assertThat(three.await(WAIT_SECONDS, TimeUnit.SECONDS)).isTrue();
            assertThat(session.isActive()).isTrue();
        }
    }

    @Test
    void startSessionNeedsAClientVersion() {
        try (LicensorClient noVersion = LicensorClient.builder()
                .baseUri(server.baseUri())
                .apiKey("k")
                .fingerprint(LicensorClientTest.FINGERPRINT)
                .build()) {
            org.assertj.core.api.Assertions.assertThatThrownBy(() -> noVersion.startSession(KEY, listener))
                    .isInstanceOf(IllegalStateException.class);
        }
    }

    static final class RecordingListener implements SessionListener {
        final BlockingQueue<SessionLoss> losses = new LinkedBlockingQueue<>();
        final BlockingQueue<LicensorException> failures = new LinkedBlockingQueue<>();
        final CountDownLatch successes = new CountDownLatch(2);

        @Override
        public void sessionLost(SessionLoss loss) {
            losses.add(loss);
        }

        @Override
        public void heartbeatSucceeded(HeartbeatResponse response) {
            successes.countDown();
        }

        @Override
        public void heartbeatFailed(LicensorException failure, int attempt, Duration remaining) {
            failures.add(failure);
        }
    }
}
