package dev.licensor.server.session;

import static org.assertj.core.api.Assertions.assertThat;

import dev.licensor.server.support.Db;
import dev.licensor.server.testing.AbstractAdminIT;
import dev.licensor.server.testing.Http;
import dev.licensor.server.testing.MutableClock;
import dev.licensor.server.testing.MutableClockConfig;
import java.util.HashMap;
import java.util.Map;
import java.util.UUID;
import org.jspecify.annotations.Nullable;
import org.springframework.context.annotation.Import;

/**
 * The session tests share one server context whose clock stands still until a test advances it
 * (products use a 1 s heartbeat and a 2 s timeout).
 */
@Import(MutableClockConfig.class)
abstract class SessionITBase extends AbstractAdminIT {
    protected final MutableClock clock = MutableClock.SHARED;

    /** A product with short intervals: heartbeat every 1 s, timeout after 2 s. */
    protected TestProduct sessionProduct(Map<String, Object> settings) {
        Map<String, Object> all = new HashMap<>();
        all.put("heartbeat_interval", 1);
        all.put("session_timeout", 2);
        all.putAll(settings);
        return product(all);
    }

    protected TestProduct sessionProduct() {
        return sessionProduct(Map.of());
    }

    protected String sessionLicense(TestProduct product, int sessions) {
        return licenseKey(
                product, Map.of("device_limit", Math.max(sessions, 10), "concurrent_sessions_limit", sessions));
    }

    protected Http.Response start(TestProduct product, String key, String hardwareHash, String... headers) {
        return startVersion(product, key, hardwareHash, "1.0.0", headers);
    }

    protected Http.Response startVersion(
            TestProduct product, String key, String hardwareHash, String version, String... headers) {
        return startSession(product, key, hardwareHash, version, headers);
    }

    /** Starts a session that must succeed; its token. */
    protected String started(TestProduct product, String key, String hardwareHash) {
        Http.Response response = start(product, key, hardwareHash);
        assertThat(response.status()).as(response.toString()).isEqualTo(200);
        return response.json().get("session_token").asString();
    }

    protected Http.Response heartbeat(TestProduct product, String token, String key) {
        return client(product, "/api/license/session/heartbeat", Map.of("session_token", token, "license_key", key));
    }

    protected Http.Response end(TestProduct product, String token) {
        return client(product, "/api/license/session/end", Map.of("session_token", token));
    }

    /** The end reason stored for a session (null while not ended). */
    protected @Nullable String endReason(String token) {
        return jdbc.sql("SELECT end_reason FROM sessions WHERE token = ?")
                .param(UUID.fromString(token))
                .query(String.class)
                .optional()
                .orElse(null);
    }

    /** Live sessions of a license, read from the database at the server's time. */
    protected int liveCount(String key) {
        return jdbc.sql(
                        """
                        SELECT COUNT(*) FROM sessions s JOIN licenses l ON l.id = s.license_id
                        WHERE l.license_key = ? AND s.ended_at IS NULL AND s.live_until > ?""")
                .params(key, Db.ts(clock.instant()))
                .query(Integer.class)
                .single();
    }
}
