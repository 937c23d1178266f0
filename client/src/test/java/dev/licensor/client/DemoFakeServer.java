package dev.licensor.client;

import dev.licensor.client.FakeServer.Reply;
import java.util.concurrent.atomic.AtomicInteger;

/** The fake server scripted for the demo, reachable from the demo's package. */
public final class DemoFakeServer implements AutoCloseable {
    private final FakeServer server;

    private DemoFakeServer(FakeServer server) {
        this.server = server;
    }

    private static FakeServer common() throws Exception {
        FakeServer server = new FakeServer();
        server.on(
                "POST",
                "/api/license/activate",
                r -> Reply.json(
                        200,
                        """
                {"activated":true,"new_device":true,"license":%s,"device":{"id":1},"offline_token":"a.b.c"}"""
                                .formatted(LicensorClientTest.LICENSE_JSON)));
        server.on(
                "POST",
                "/api/version/check",
                r -> Reply.json(
                        200,
                        """
                {"current_version":"2.0.0","minimum_version":"1.0.0","update_available":true,
                 "update_required":false,"whats_new":"New UI","download_url":"https://x/dl"}"""));
        server.on(
                "POST", "/api/license/session/end", r -> Reply.json(200, "{\"ended\":true,\"end_reason\":\"normal\"}"));
        return server;
    }

    /** Sessions start with a 1 s interval; the second heartbeat is answered 410 forced. */
    public static DemoFakeServer endingSessionAfterOneHeartbeat() throws Exception {
        FakeServer server = common();
        server.on(
                "POST",
                "/api/license/session/start",
                r -> Reply.json(
                        200,
                        """
                {"session_token":"tok-1","resumed":false,"heartbeat_interval":1,"session_timeout":60,"license":%s}"""
                                .formatted(LicensorClientTest.LICENSE_JSON)));
        AtomicInteger beats = new AtomicInteger();
        server.on(
                "POST",
                "/api/license/session/heartbeat",
                r -> beats.getAndIncrement() == 0
                        ? Reply.json(200, "{\"ok\":true,\"next_heartbeat_in\":1}")
                        : Reply.problem(
                                410, "SESSION_ENDED", "Die Sitzung wurde beendet", "\"end_reason\":\"forced\""));
        return new DemoFakeServer(server);
    }

    /** Session starts are refused with SESSION_LIMIT_REACHED and the given detail. */
    public static DemoFakeServer refusingSessions(String detail) throws Exception {
        FakeServer server = common();
        server.on(
                "POST",
                "/api/license/session/start",
                r -> Reply.problem(409, "SESSION_LIMIT_REACHED", detail, "\"concurrent_sessions_limit\":1"));
        return new DemoFakeServer(server);
    }

    /** The server's base URI. */
    public String baseUri() {
        return server.baseUri();
    }

    /** The device name of the first activation. */
    public Object activatedDeviceName() {
        return server.requests("/api/license/activate").getFirst().json().get("device_name");
    }

    @Override
    public void close() {
        server.close();
    }
}
