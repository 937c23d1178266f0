package dev.licensor.server.session;

import static org.assertj.core.api.Assertions.assertThat;

import dev.licensor.server.audit.ValidationLog;
import dev.licensor.server.license.LicenseStatus;
import dev.licensor.server.license.LicenseStatusChanged;
import dev.licensor.server.support.Db;
import dev.licensor.server.testing.Http;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.transaction.support.TransactionTemplate;

/** The rules of session start, heartbeat and end (SPEC §2.2). */
class SessionIT extends SessionITBase {
    private static final String UUID_V4 = "[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}";

    @Autowired
    ValidationLog validationLog;

    @Autowired
    HeartbeatLog heartbeatLog;

    @Autowired
    ApplicationEventPublisher events;

    @Autowired
    TransactionTemplate transactions;

    @Test
    void startAnswersTokenIntervalsLicenseAndVersion() {
        TestProduct product = sessionProduct(Map.of(
                "name",
                "Account Forger",
                "current_version",
                "2.0.0",
                "minimum_version",
                "1.0.0",
                "whats_new",
                "Faster exports",
                "download_url",
                "https://example.com/af.zip"));
        String key = sessionLicense(product, 2);

        Http.Response response = startVersion(product, key, "hw-1", "1.5.0");

        assertThat(response.status()).as(response.toString()).isEqualTo(200);
        var json = response.json();
        assertThat(json.get("session_token").asString()).matches(UUID_V4);
        assertThat(json.get("resumed").asBoolean()).isFalse();
        assertThat(json.get("heartbeat_interval").asInt()).isEqualTo(1);
        assertThat(json.get("session_timeout").asInt()).isEqualTo(2);
        assertThat(json.at("/license/license_key").asString()).isEqualTo(key);
        assertThat(json.at("/license/product").asString()).isEqualTo("Account Forger");
        assertThat(json.at("/license/live_sessions").asInt()).isEqualTo(1);
        assertThat(json.at("/license/devices_used").asInt()).isEqualTo(1);
        assertThat(json.at("/license/concurrent_sessions_limit").asInt()).isEqualTo(2);
        assertThat(json.at("/version/current_version").asString()).isEqualTo("2.0.0");
        assertThat(json.at("/version/update_available").asBoolean()).isTrue();
        assertThat(json.at("/version/update_required").asBoolean()).isFalse();
        assertThat(json.at("/version/whats_new").asString()).isEqualTo("Faster exports");
        assertThat(json.at("/version/download_url").asString()).isEqualTo("https://example.com/af.zip");
        assertThat(json.get("offline_token").asString())
                .as("signed by the trust layer")
                .isNotBlank();

        Http.Response current = startVersion(product, key, "hw-2", "2.0.0");
        assertThat(current.json().at("/version/update_available").asBoolean()).isFalse();
        assertThat(current.json().at("/version").has("whats_new")).isFalse();

        Http.Response info = http.get("/api/license/info/" + key, "X-API-Key", product.apiKey());
        assertThat(info.json().get("live_sessions").asInt()).isEqualTo(2);
        // Verify reads the license and its live sessions in one statement.
        Http.Response verified =
                client(product, "/api/license/verify", Map.of("license_key", key, "hardware_hash", "hw-1"));
        assertThat(verified.json().at("/license/live_sessions").asInt()).isEqualTo(2);
        assertThat(verified.json().at("/license/devices_used").asInt()).isEqualTo(2);
    }

    @Test
    void everyStartIsWrittenToTheValidationLog() {
        TestProduct product = sessionProduct();
        String key = sessionLicense(product, 1);
        started(product, key, "hw-1");
        assertThat(start(product, key, "hw-2").code()).isEqualTo("SESSION_LIMIT_REACHED");

        validationLog.flush();
        var results = jdbc.sql(
                        """
                        SELECT v.result_code FROM validation_log v JOIN licenses l ON l.id = v.license_id
                        WHERE l.license_key = ? AND v.action = 'session_start' ORDER BY v.id""")
                .param(key)
                .query(String.class)
                .list();
        assertThat(results).containsExactly("OK", "SESSION_LIMIT_REACHED");
    }

    @Test
    void aVersionBelowTheMinimumIsRefusedWithTheDownloadUrl() {
        TestProduct product = sessionProduct(Map.of(
                "current_version", "3.0.0", "minimum_version", "2.1.0", "download_url", "https://example.com/dl"));
        String key = sessionLicense(product, 1);

        Http.Response response = startVersion(product, key, "hw-1", "2.0.9");

        assertThat(response.status()).isEqualTo(426);
        assertThat(response.code()).isEqualTo("UPDATE_REQUIRED");
        assertThat(response.json().get("minimum_version").asString()).isEqualTo("2.1.0");
        assertThat(response.json().get("download_url").asString()).isEqualTo("https://example.com/dl");
        assertThat(liveCount(key)).isZero();
        assertThat(startVersion(product, key, "hw-1", "2.1.0").status()).isEqualTo(200);
    }

    @Test
    void unknownAndUnusableLicensesAreRefused() {
        TestProduct product = sessionProduct();
        TestProduct other = sessionProduct();
        String otherKey = sessionLicense(other, 1);

        assertThat(start(product, otherKey, "hw-1").code()).isEqualTo("LICENSE_NOT_FOUND");
        assertThat(start(product, product.prefix() + "-AAAAA-AAAAA-AAAAA-AAAAA-AAAAA", "hw-1")
                        .status())
                .isEqualTo(404);

        String key = sessionLicense(product, 1);
        jdbc.sql("UPDATE licenses SET status = 'REVOKED' WHERE license_key = ?")
                .param(key)
                .update();
        Http.Response revoked = start(product, key, "hw-1");
        assertThat(revoked.status()).isEqualTo(403);
        assertThat(revoked.code()).isEqualTo("LICENSE_REVOKED");
    }

    @Test
    void aSessionActivatesItsDeviceUnderTheActivationRules() {
        TestProduct product = sessionProduct();
        String key = licenseKey(product, Map.of("device_limit", 1, "concurrent_sessions_limit", 1));

        Http.Response first = start(product, key, "hw-1");
        assertThat(first.status()).isEqualTo(200);
        assertThat(first.json().at("/license/devices_used").asInt()).isEqualTo(1);

        // The only slot is taken by hw-1: another device cannot be activated by a session either.
        Http.Response second = start(product, key, "hw-2");
        assertThat(second.status()).isEqualTo(409);
        assertThat(second.code()).isEqualTo("DEVICE_LIMIT_REACHED");
    }

    @Test
    void withoutAutoActivationAnInactiveDeviceIsRefused() {
        TestProduct product = sessionProduct(Map.of("auto_activate_on_session", false));
        String key = sessionLicense(product, 1);

        Http.Response refused = start(product, key, "hw-1");
        assertThat(refused.status()).isEqualTo(403);
        assertThat(refused.code()).isEqualTo("DEVICE_NOT_ACTIVATED");
        assertThat(jdbc.sql(
                                "SELECT COUNT(*) FROM devices d JOIN licenses l ON l.id = d.license_id WHERE l.license_key = ?")
                        .param(key)
                        .query(Integer.class)
                        .single())
                .isZero();

        assertThat(activate(product, key, "hw-1").status()).isEqualTo(200);
        assertThat(start(product, key, "hw-1").status()).isEqualTo(200);

        jdbc.sql("UPDATE devices SET status = 'BLOCKED' WHERE hardware_hash = 'hw-1' AND license_id ="
                        + " (SELECT id FROM licenses WHERE license_key = ?)")
                .param(key)
                .update();
        assertThat(start(product, key, "hw-1").code()).isEqualTo("DEVICE_BLOCKED");
    }

    @Test
    void theSameDeviceResumesAndItsOldSessionIsReplaced() {
        TestProduct product = sessionProduct();
        String key = sessionLicense(product, 1);
        String first = started(product, key, "hw-1");

        Http.Response again = start(product, key, "hw-1");

        assertThat(again.status()).as(again.toString()).isEqualTo(200);
        assertThat(again.json().get("resumed").asBoolean()).isTrue();
        String second = again.json().get("session_token").asString();
        assertThat(second).isNotEqualTo(first);
        assertThat(endReason(first)).isEqualTo("replaced");
        assertThat(liveCount(key)).isEqualTo(1);

        Http.Response old = heartbeat(product, first, key);
        assertThat(old.status()).isEqualTo(410);
        assertThat(old.code()).isEqualTo("SESSION_ENDED");
        assertThat(old.json().get("end_reason").asString()).isEqualTo("replaced");
        assertThat(heartbeat(product, second, key).status()).isEqualTo(200);
    }

    @Test
    void aFullLicenseRefusesNewSessionsWithTheExactSentenceAndNoHintOfTheHolder() {
        TestProduct product = sessionProduct();
        String key = sessionLicense(product, 1);
        String holder = started(product, key, "holder-hash-123");

        Http.Response german = start(product, key, "hw-2", "Accept-Language", "de");
        Http.Response english = start(product, key, "hw-2");

        assertThat(german.status()).isEqualTo(409);
        assertThat(german.header("Content-Type")).startsWith("application/problem+json");
        assertThat(german.code()).isEqualTo("SESSION_LIMIT_REACHED");
        assertThat(german.json().get("concurrent_sessions_limit").asInt()).isEqualTo(1);
        assertThat(german.json().get("detail").asString())
                .isEqualTo("Es ist nur eine Sitzung erlaubt, stelle sicher, dass nirgendwo sonst das Programm läuft");
        assertThat(english.json().get("detail").asString())
                .isEqualTo("Only one session is allowed. Make sure the program is not running anywhere else.");
        assertThat(german.body()).doesNotContain("holder-hash-123", "machine-holder", "127.0.0.1", holder);
        // Nobody is kicked out.
        assertThat(heartbeat(product, holder, key).status()).isEqualTo(200);
    }

    @Test
    void aLimitAboveOneNamesTheLimit() {
        TestProduct product = sessionProduct();
        String key = sessionLicense(product, 3);
        started(product, key, "hw-1");
        started(product, key, "hw-2");
        started(product, key, "hw-3");

        Http.Response refused = start(product, key, "hw-4");

        assertThat(refused.status()).isEqualTo(409);
        assertThat(refused.json().get("concurrent_sessions_limit").asInt()).isEqualTo(3);
        assertThat(refused.json().get("detail").asString()).contains("3");
        assertThat(liveCount(key)).isEqualTo(3);
    }

    @Test
    void aTimedOutSessionNoLongerCountsAndEndsAsTimeout() {
        TestProduct product = sessionProduct();
        String key = sessionLicense(product, 1);
        String stale = started(product, key, "hw-1");

        clock.advance(Duration.ofMillis(2001));
        Http.Response other = start(product, key, "hw-2");

        assertThat(other.status()).as(other.toString()).isEqualTo(200);
        assertThat(endReason(stale)).isEqualTo("timeout");
        Http.Response late = heartbeat(product, stale, key);
        assertThat(late.status()).isEqualTo(410);
        assertThat(late.json().get("end_reason").asString()).isEqualTo("timeout");
    }

    @Test
    void heartbeatsKeepASessionLiveAndAreLogged() {
        TestProduct product = sessionProduct();
        String key = sessionLicense(product, 1);
        String token = started(product, key, "hw-1");

        for (int i = 0; i < 3; i++) {
            clock.advance(Duration.ofMillis(1500));
            Http.Response beat = heartbeat(product, token, key);
            assertThat(beat.status()).as(beat.toString()).isEqualTo(200);
            assertThat(beat.json().get("ok").asBoolean()).isTrue();
            assertThat(beat.json().get("next_heartbeat_in").asInt()).isEqualTo(1);
            assertThat(Instant.parse(beat.json().get("server_time").asString())).isEqualTo(clock.instant());
        }
        // 4.5 s after the start, far beyond one timeout, the seat is still held.
        assertThat(start(product, key, "hw-2").code()).isEqualTo("SESSION_LIMIT_REACHED");

        heartbeatLog.flush();
        var rows = jdbc.sql(
                        """
                        SELECT h.ip, h.version, h.device_id, d.hardware_hash FROM heartbeat_log h
                        JOIN sessions s ON s.id = h.session_id JOIN devices d ON d.id = h.device_id
                        WHERE s.token = ? AND h.license_id = s.license_id""")
                .param(UUID.fromString(token))
                .query((rs, n) ->
                        rs.getString("ip") + "|" + rs.getString("version") + "|" + rs.getString("hardware_hash"))
                .list();
        assertThat(rows).hasSize(3).allMatch(r -> r.equals("127.0.0.1|1.0.0|hw-1"));
    }

    @Test
    void aHeartbeatAfterTheTimeoutEndsTheSessionWithoutGrace() {
        TestProduct product = sessionProduct();
        String key = sessionLicense(product, 1);
        String token = started(product, key, "hw-1");

        clock.advance(Duration.ofSeconds(2));
        Http.Response late = heartbeat(product, token, key);

        assertThat(late.status()).isEqualTo(410);
        assertThat(late.code()).isEqualTo("SESSION_ENDED");
        assertThat(late.json().get("end_reason").asString()).isEqualTo("timeout");
        assertThat(endReason(token)).isEqualTo("timeout");
        assertThat(heartbeat(product, token, key).status()).isEqualTo(410);
    }

    @Test
    void unknownTokensAndTokensOfOtherLicensesAreNotFound() {
        TestProduct product = sessionProduct();
        String key = sessionLicense(product, 1);
        String otherKey = sessionLicense(product, 1);
        String token = started(product, key, "hw-1");
        TestProduct otherProduct = sessionProduct();

        assertThat(heartbeat(product, UUID.randomUUID().toString(), key).code()).isEqualTo("SESSION_NOT_FOUND");
        assertThat(heartbeat(product, "not-a-token", key).status()).isEqualTo(404);
        assertThat(heartbeat(product, token, otherKey).code()).isEqualTo("SESSION_NOT_FOUND");
        assertThat(heartbeat(product, token, "garbage").code()).isEqualTo("SESSION_NOT_FOUND");
        assertThat(heartbeat(otherProduct, token, key).code()).isEqualTo("SESSION_NOT_FOUND");
        assertThat(end(otherProduct, token).code()).isEqualTo("SESSION_NOT_FOUND");
        // None of these touched the session.
        assertThat(heartbeat(product, token, key).status()).isEqualTo(200);
    }

    @Test
    void aLicenseSuspendedMidSessionEndsItAsLicenseInvalid() {
        TestProduct product = sessionProduct();
        String key = sessionLicense(product, 1);
        String token = started(product, key, "hw-1");
        jdbc.sql("UPDATE licenses SET status = 'SUSPENDED' WHERE license_key = ?")
                .param(key)
                .update();

        Http.Response beat = heartbeat(product, token, key);

        assertThat(beat.status()).isEqualTo(403);
        assertThat(beat.code()).isEqualTo("LICENSE_SUSPENDED");
        assertThat(endReason(token)).isEqualTo("license_invalid");
        assertThat(heartbeat(product, token, key).code()).isEqualTo("LICENSE_SUSPENDED");
    }

    @Test
    void aLicenseExpiringMidSessionEndsItAsLicenseInvalid() {
        TestProduct product = sessionProduct();
        String key = sessionLicense(product, 1);
        String token = started(product, key, "hw-1");
        jdbc.sql("UPDATE licenses SET expires_at = ? WHERE license_key = ?")
                .params(Db.ts(clock.instant().plusMillis(500)), key)
                .update();
        assertThat(heartbeat(product, token, key).status()).isEqualTo(200);

        clock.advance(Duration.ofMillis(600));
        Http.Response beat = heartbeat(product, token, key);

        assertThat(beat.status()).isEqualTo(403);
        assertThat(beat.code()).isEqualTo("LICENSE_EXPIRED");
        assertThat(endReason(token)).isEqualTo("license_invalid");
    }

    @Test
    void anExpiredLicenseInsideTheGracePeriodKeepsItsSession() {
        TestProduct product = sessionProduct(Map.of("expiry_grace_days", 3));
        String key = sessionLicense(product, 1);
        String token = started(product, key, "hw-1");
        jdbc.sql("UPDATE licenses SET expires_at = ? WHERE license_key = ?")
                .params(Db.ts(clock.instant().minus(Duration.ofDays(2))), key)
                .update();

        assertThat(heartbeat(product, token, key).status()).isEqualTo(200);
    }

    @Test
    void aLicenseStatusChangeEndsLiveSessionsInTheSameTransaction() {
        TestProduct product = sessionProduct();
        String key = sessionLicense(product, 2);
        String a = started(product, key, "hw-1");
        String b = started(product, key, "hw-2");
        long licenseId = jdbc.sql("SELECT id FROM licenses WHERE license_key = ?")
                .param(key)
                .query(Long.class)
                .single();

        // A change that leaves the license usable ends nothing.
        transactions.executeWithoutResult(
                tx -> events.publishEvent(new LicenseStatusChanged(licenseId, LicenseStatus.ACTIVE)));
        assertThat(liveCount(key)).isEqualTo(2);

        transactions.executeWithoutResult(tx -> {
            jdbc.sql("UPDATE licenses SET status = 'REVOKED' WHERE id = ?")
                    .param(licenseId)
                    .update();
            events.publishEvent(new LicenseStatusChanged(licenseId, LicenseStatus.REVOKED));
        });

        assertThat(endReason(a)).isEqualTo("license_invalid");
        assertThat(endReason(b)).isEqualTo("license_invalid");
        assertThat(heartbeat(product, a, key).code()).isEqualTo("LICENSE_REVOKED");
    }

    @Test
    void deactivatingTheDeviceEndsItsSession() {
        TestProduct product = sessionProduct();
        String key = sessionLicense(product, 2);
        String token = started(product, key, "hw-1");
        String other = started(product, key, "hw-2");

        Http.Response deactivated =
                client(product, "/api/license/deactivate", Map.of("license_key", key, "hardware_hash", "hw-1"));

        assertThat(deactivated.status()).as(deactivated.toString()).isEqualTo(200);
        assertThat(endReason(token)).isEqualTo("deactivated");
        assertThat(endReason(other)).isNull();
        Http.Response beat = heartbeat(product, token, key);
        assertThat(beat.status()).isEqualTo(410);
        assertThat(beat.json().get("end_reason").asString()).isEqualTo("deactivated");
    }

    @Test
    void endIsIdempotentAndFreesTheSeat() {
        TestProduct product = sessionProduct();
        String key = sessionLicense(product, 1);
        String token = started(product, key, "hw-1");

        Http.Response ended = end(product, token);
        Http.Response again = end(product, token);

        assertThat(ended.status()).isEqualTo(200);
        assertThat(ended.json().get("ended").asBoolean()).isTrue();
        assertThat(ended.json().get("end_reason").asString()).isEqualTo("normal");
        assertThat(again.status()).isEqualTo(200);
        assertThat(again.json().get("end_reason").asString()).isEqualTo("normal");
        assertThat(heartbeat(product, token, key).json().get("end_reason").asString())
                .isEqualTo("normal");
        assertThat(start(product, key, "hw-2").status()).isEqualTo(200);

        Http.Response unknown = end(product, UUID.randomUUID().toString());
        assertThat(unknown.status()).isEqualTo(404);
        assertThat(unknown.code()).isEqualTo("SESSION_NOT_FOUND");
    }

    @Test
    void endingATimedOutSessionSaysItTimedOut() {
        TestProduct product = sessionProduct();
        String key = sessionLicense(product, 1);
        String token = started(product, key, "hw-1");
        clock.advance(Duration.ofSeconds(3));

        assertThat(end(product, token).json().get("end_reason").asString()).isEqualTo("timeout");
    }

    @Test
    void invalidBodiesAreRejectedFieldByField() {
        TestProduct product = sessionProduct();
        Http.Response response = client(product, "/api/license/session/start", Map.of("license_key", "X"));
        assertThat(response.status()).isEqualTo(400);
        assertThat(response.code()).isEqualTo("INVALID_REQUEST");
        assertThat(response.body()).contains("hardware_hash", "machine_id", "version");
    }
}
