package dev.licensor.server.session;

import static org.assertj.core.api.Assertions.assertThat;

import dev.licensor.server.testing.Http;
import dev.licensor.server.web.PageResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.JdbcTemplate;
import tools.jackson.databind.JsonNode;

/** The sessions admin API: live list, forced termination (ADMIN only, audited), history. */
class AdminSessionIT extends SessionITBase {
    @Autowired
    JdbcTemplate jdbcTemplate;

    @Test
    void listsTheLiveSessionsOfALicense() {
        TestProduct product = sessionProduct();
        String key = sessionLicense(product, 3);
        String other = sessionLicense(product, 3);
        started(product, key, "hw-1");
        started(product, key, "hw-2");
        started(product, other, "hw-9");
        String ended = started(product, key, "hw-3");
        end(product, ended);

        Http.Response list = adminGet("/api/admin/sessions?license_key=" + key + "&size=1");

        assertThat(list.status()).as(list.toString()).isEqualTo(200);
        assertThat(list.json().get("total").asLong()).isEqualTo(2);
        assertThat(list.json().get("size").asInt()).isEqualTo(1);
        assertThat(list.json().get("page").asInt()).isZero();
        JsonNode item = list.json().at("/items/0");
        assertThat(item.get("license_key").asString()).isEqualTo(key);
        assertThat(item.get("hardware_hash").asString()).isIn("hw-1", "hw-2");
        assertThat(item.get("ip").asString()).isEqualTo("127.0.0.1");
        assertThat(item.get("version").asString()).isEqualTo("1.0.0");
        assertThat(item.get("live").asBoolean()).isTrue();
        assertThat(item.has("session_token")).isFalse();
        assertThat(adminGet("/api/admin/sessions?license_key=" + key + "&page=1&size=1")
                        .json()
                        .get("items")
                        .size())
                .isEqualTo(1);

        // Keys are matched however they are typed.
        String typed = key.toLowerCase(java.util.Locale.ROOT).replace("-", "");
        assertThat(adminGet("/api/admin/sessions?license_key=" + typed)
                        .json()
                        .get("total")
                        .asLong())
                .isEqualTo(2);
    }

    @Test
    void terminateEndsTheSessionAsForcedAndIsAudited() {
        TestProduct product = sessionProduct();
        String key = sessionLicense(product, 1);
        String token = started(product, key, "hw-1");
        long id = adminGet("/api/admin/sessions?license_key=" + key)
                .json()
                .at("/items/0/id")
                .asLong();

        Http.Response terminated = admin("POST", "/api/admin/sessions/" + id + "/terminate", Map.of());

        assertThat(terminated.status()).as(terminated.toString()).isEqualTo(200);
        assertThat(terminated.json().get("end_reason").asString()).isEqualTo("forced");
        assertThat(terminated.json().get("live").asBoolean()).isFalse();
        Http.Response beat = heartbeat(product, token, key);
        assertThat(beat.status()).isEqualTo(410);
        assertThat(beat.json().get("end_reason").asString()).isEqualTo("forced");
        assertThat(jdbc.sql("SELECT COUNT(*) FROM audit_log WHERE action = 'session.terminate' AND entity_id = ?")
                        .param(String.valueOf(id))
                        .query(Integer.class)
                        .single())
                .isEqualTo(1);
        // The seat is free again.
        assertThat(start(product, key, "hw-2").status()).isEqualTo(200);

        assertThat(admin("POST", "/api/admin/sessions/999999999/terminate", Map.of())
                        .status())
                .isEqualTo(404);
    }

    @Test
    void terminateTakesNoBodyOrAReasonAndRefusesUnknownFields() {
        TestProduct product = sessionProduct();
        String key = sessionLicense(product, 3);
        String first = started(product, key, "hw-1");
        String second = started(product, key, "hw-2");
        String third = started(product, key, "hw-3");
        List<Long> ids = adminGet("/api/admin/sessions?license_key=" + key)
                .json()
                .get("items")
                .valueStream()
                .map(s -> s.get("id").asLong())
                .sorted()
                .toList();
        String path = "/api/admin/sessions/" + ids.get(0) + "/terminate";
        long audits = auditCount();

        assertInvalid(admin("POST", path, Map.of("force", true)), "force");
        assertInvalid(admin("POST", path, Map.of("reason", "x", "notify", false)), "notify");
        assertInvalid(admin("POST", path, Map.of("reason", 5)), "reason");
        assertInvalid(admin("POST", path, Map.of("reason", "x".repeat(1001))), "reason");
        assertThat(admin("POST", path, "[]").status()).isEqualTo(400);
        // Nothing acted: the session is live and nothing was audited.
        assertThat(heartbeat(product, first, key).status()).isEqualTo(200);
        assertThat(auditCount()).isEqualTo(audits);

        Http.Response withReason = admin("POST", path, Map.of("reason", " support call 4711 "));
        assertThat(withReason.status()).as(withReason.toString()).isEqualTo(200);
        assertThat(withReason.json().get("end_reason").asString()).isEqualTo("forced");
        JsonNode audit = ok(adminGet("/api/admin/audit?entity_type=session&entity_id=" + ids.get(0)));
        assertThat(audit.at("/items/0/action").asString()).isEqualTo("session.terminate");
        assertThat(audit.at("/items/0/new_value/reason").asString()).isEqualTo("support call 4711");
        assertThat(audit.at("/items/0/new_value/session/end_reason").asString()).isEqualTo("forced");

        // No body at all, and an empty object, act as well.
        Http.Response noBody = admin("POST", "/api/admin/sessions/" + ids.get(1) + "/terminate", null);
        assertThat(noBody.status()).as(noBody.toString()).isEqualTo(200);
        assertThat(ok(admin("POST", "/api/admin/sessions/" + ids.get(2) + "/terminate", Map.of()))
                        .get("end_reason")
                        .asString())
                .isEqualTo("forced");
        for (String token : List.of(second, third)) {
            assertThat(heartbeat(product, token, key).status()).isEqualTo(410);
        }
        // An ended session is validated all the same, and terminating it again records nothing.
        assertInvalid(admin("POST", path, Map.of("force", true)), "force");
        long before = auditCount();
        assertThat(admin("POST", path, null).status()).isEqualTo(200);
        assertThat(auditCount()).isEqualTo(before);
    }

    @Test
    void onlyAdministratorsMayTerminate() {
        TestProduct product = sessionProduct();
        String key = sessionLicense(product, 1);
        started(product, key, "hw-1");
        long id = adminGet("/api/admin/sessions?license_key=" + key)
                .json()
                .at("/items/0/id")
                .asLong();

        for (String role : new String[] {"SUPPORT", "VIEWER"}) {
            Http.Response created = admin("POST", "/api/admin/tokens", Map.of("name", role + " token", "role", role));
            assertThat(created.status()).as(created.toString()).isEqualTo(201);
            String token = created.json().get("token").asString();

            Http.Response refused = http.send(
                    "POST", "/api/admin/sessions/" + id + "/terminate", Map.of(), "Authorization", "Bearer " + token);
            Http.Response read = http.send(
                    "GET", "/api/admin/sessions?license_key=" + key, null, "Authorization", "Bearer " + token);

            assertThat(refused.status()).as(role).isEqualTo(403);
            assertThat(read.status()).as(role).isEqualTo(200);
        }
        assertThat(http.get("/api/admin/sessions").status()).isEqualTo(401);
        assertThat(adminGet("/api/admin/sessions?license_key=" + key)
                        .json()
                        .get("total")
                        .asLong())
                .isEqualTo(1);
    }

    @Test
    void theHistoryListsEndedSessionsWithReasonsAndFilters() {
        TestProduct product = sessionProduct();
        String key = sessionLicense(product, 2);
        String normal = started(product, key, "hw-1");
        end(product, normal);
        started(product, key, "hw-2");
        started(product, key, "hw-2"); // replaces the previous one
        clock.advance(Duration.ofMillis(100));
        Instant beforeTimeout = clock.instant();
        clock.advance(Duration.ofSeconds(3)); // the live one times out
        started(product, key, "hw-3");

        Http.Response all = adminGet("/api/admin/sessions/history?license_key=" + key);
        assertThat(all.status()).as(all.toString()).isEqualTo(200);
        assertThat(all.json().get("total").asLong()).isEqualTo(3);
        assertThat(all.json().get("items").valueStream().map(i -> i.get("end_reason")
                        .asString()))
                .containsExactlyInAnyOrder("normal", "replaced", "timeout");

        Http.Response timeouts = adminGet("/api/admin/sessions/history?license_key=" + key + "&end_reason=timeout");
        assertThat(timeouts.json().get("total").asLong()).isEqualTo(1);
        assertThat(timeouts.json().at("/items/0/hardware_hash").asString()).isEqualTo("hw-2");

        // The timed-out session ended when its timeout passed, after the others.
        Http.Response since = adminGet("/api/admin/sessions/history?license_key=" + key + "&since=" + beforeTimeout);
        assertThat(since.json().get("total").asLong()).isEqualTo(1);

        assertThat(adminGet("/api/admin/sessions/history?since=yesterday").code())
                .isEqualTo("INVALID_REQUEST");
        assertThat(adminGet("/api/admin/sessions/history?end_reason=bored").code())
                .isEqualTo("INVALID_REQUEST");
    }

    @Test
    void theHistoryCountsAtMostTheCapAndSaysSo() {
        TestProduct product = sessionProduct();
        String key = sessionLicense(product, 1);
        end(product, started(product, key, "hw-1"));
        long ended = adminGet("/api/admin/sessions/history?license_key=" + key)
                .json()
                .at("/items/0/id")
                .asLong();
        // Copies of the ended session, so that the license's history holds one row past the cap.
        List<Object[]> copies = new ArrayList<>();
        for (int i = 0; i < PageResponse.COUNT_CAP; i++) {
            copies.add(new Object[] {UUID.randomUUID(), ended});
        }
        jdbcTemplate.batchUpdate(
                """
                INSERT INTO sessions (token, product_id, license_id, device_id, ip, version, started_at,
                    last_heartbeat, live_until, ended_at, end_reason)
                SELECT ?, product_id, license_id, device_id, ip, version, started_at, last_heartbeat,
                    live_until, ended_at, end_reason
                FROM sessions WHERE id = ?""",
                copies);
        String rows = "/api/admin/sessions/history?size=50&license_key=" + key;

        JsonNode first = adminGet(rows).json();
        assertThat(first.get("total").asLong()).isEqualTo(PageResponse.COUNT_CAP);
        assertThat(first.get("total_capped").asBoolean()).isTrue();
        assertThat(first.get("items").size()).isEqualTo(50);
        // The last page counts one row past itself, and that is exact.
        JsonNode last = adminGet(rows + "&page=200").json();
        assertThat(last.get("total").asLong()).isEqualTo(PageResponse.COUNT_CAP + 1);
        assertThat(last.has("total_capped")).isFalse();
        assertThat(last.get("items").size()).isEqualTo(1);
        // The live list still counts exactly (the dashboard shows its total).
        assertThat(adminGet("/api/admin/sessions?license_key=" + key).json().has("total_capped"))
                .isFalse();
    }
}
