package dev.licensor.server.security;

import static org.assertj.core.api.Assertions.assertThat;

import dev.licensor.server.support.Hashes;
import dev.licensor.server.testing.AbstractAdminIT;
import dev.licensor.server.testing.Http;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

class IdempotencyIT extends AbstractAdminIT {
    private long customersNamed(String name) {
        return jdbc.sql("SELECT COUNT(*) FROM customers WHERE name = ?")
                .param(name)
                .query(Long.class)
                .single();
    }

    private static String idem() {
        return UUID.randomUUID().toString();
    }

    @Test
    void replaysTheFirstAnswerToTheSameRequestWithoutActingAgain() {
        String key = idem();
        String name = "Idem " + key;
        Http.Response first = adminWith("POST", "/api/admin/customers", Map.of("name", name), "Idempotency-Key", key);
        assertThat(first.status()).isEqualTo(201);
        long audits = auditCount();

        Http.Response second = adminWith("POST", "/api/admin/customers", Map.of("name", name), "Idempotency-Key", key);
        assertThat(second.status()).isEqualTo(201);
        assertThat(second.body()).isEqualTo(first.body());
        assertThat(second.header("Content-Type")).startsWith("application/json");
        assertThat(second.header("Idempotent-Replayed")).isEqualTo("true");
        assertThat(first.header("Idempotent-Replayed")).isNull();
        assertThat(customersNamed(name)).isEqualTo(1);
        assertThat(auditCount()).isEqualTo(audits);

        // Without the header every request acts.
        assertThat(admin("POST", "/api/admin/customers", Map.of("name", name)).status())
                .isEqualTo(201);
        assertThat(customersNamed(name)).isEqualTo(2);
    }

    @Test
    void replaysActionsErrorsAndDeletesToo() {
        TestProduct product = product();
        String license = licenseKey(product, Map.of("expires_at", "2030-01-01T00:00:00Z"));
        String key = idem();
        Http.Response first = adminWith(
                "POST", "/api/admin/licenses/" + license + "/extend", Map.of("days", 10), "Idempotency-Key", key);
        assertThat(first.status()).isEqualTo(200);
        Http.Response retry = adminWith(
                "POST", "/api/admin/licenses/" + license + "/extend", Map.of("days", 10), "Idempotency-Key", key);
        assertThat(retry.body()).isEqualTo(first.body());
        assertThat(ok(adminGet("/api/admin/licenses/" + license))
                        .get("expires_at")
                        .asString())
                .isEqualTo("2030-01-11T00:00:00Z");

        String bad = idem();
        Http.Response invalid = adminWith("POST", "/api/admin/customers", Map.of("name", ""), "Idempotency-Key", bad);
        assertThat(invalid.status()).isEqualTo(400);
        Http.Response invalidAgain =
                adminWith("POST", "/api/admin/customers", Map.of("name", ""), "Idempotency-Key", bad);
        assertThat(invalidAgain.status()).isEqualTo(400);
        assertThat(invalidAgain.header("Content-Type")).startsWith("application/problem+json");
        assertThat(invalidAgain.body()).isEqualTo(invalid.body());

        long customer = customer("To delete", Map.of());
        String del = idem();
        assertThat(adminWith("DELETE", "/api/admin/customers/" + customer, null, "Idempotency-Key", del)
                        .status())
                .isEqualTo(204);
        Http.Response deletedAgain =
                adminWith("DELETE", "/api/admin/customers/" + customer, null, "Idempotency-Key", del);
        assertThat(deletedAgain.status()).isEqualTo(204);
        assertThat(deletedAgain.header("Idempotent-Replayed")).isEqualTo("true");
        assertThat(adminWith("DELETE", "/api/admin/customers/" + customer, null, "Idempotency-Key", idem())
                        .status())
                .isEqualTo(404);
    }

    @Test
    void theSameKeyWithAnotherRequestIsRefused() {
        String key = idem();
        String name = "Reused " + key;
        assertThat(adminWith("POST", "/api/admin/customers", Map.of("name", name), "Idempotency-Key", key)
                        .status())
                .isEqualTo(201);
        long audits = auditCount();

        Http.Response otherBody =
                adminWith("POST", "/api/admin/customers", Map.of("name", name + "!"), "Idempotency-Key", key);
        assertThat(otherBody.status()).isEqualTo(422);
        assertThat(otherBody.code()).isEqualTo("IDEMPOTENCY_KEY_REUSED");
        long id = jdbc.sql("SELECT id FROM customers WHERE name = ?")
                .param(name)
                .query(Long.class)
                .single();
        Http.Response otherPath =
                adminWith("PATCH", "/api/admin/customers/" + id, Map.of("name", name), "Idempotency-Key", key);
        assertThat(otherPath.status()).isEqualTo(422);
        assertThat(customersNamed(name + "!")).isZero();
        assertThat(auditCount()).isEqualTo(audits);

        // Keys belong to their actor: another token may use the same key for its own request.
        Http.Response support =
                as(Role.SUPPORT, "POST", "/api/admin/customers", Map.of("name", name + "?"), "Idempotency-Key", key);
        assertThat(support.status()).isEqualTo(201);
    }

    @Test
    void aDuplicateWhileTheFirstIsInProgressIsAConflict() {
        String key = idem();
        String actor = "token:"
                + jdbc.sql("SELECT id FROM admin_tokens WHERE name = 'bootstrap'")
                        .query(Long.class)
                        .single();
        String body = "{\"name\": \"Dup " + key + "\"}";
        // The first request has claimed the key and not finished yet.
        jdbc.sql("INSERT INTO idempotency_keys (actor, idem_key, request_hash, created_at) VALUES (?, ?, ?, ?)")
                .params(
                        actor,
                        key,
                        Hashes.sha256Hex("POST /api/admin/customers\n" + body),
                        OffsetDateTime.now(ZoneOffset.UTC))
                .update();
        Http.Response duplicate = adminWith("POST", "/api/admin/customers", body, "Idempotency-Key", key);
        assertThat(duplicate.status()).isEqualTo(409);
        assertThat(duplicate.code()).isEqualTo("CONFLICT");
        assertThat(duplicate.header("Retry-After")).isEqualTo("1");
        assertThat(customersNamed("Dup " + key)).isZero();
    }

    @Test
    void concurrentDuplicatesActOnce() throws Exception {
        String key = idem();
        String name = "Race " + key;
        int clients = 8;
        ExecutorService pool = Executors.newFixedThreadPool(clients);
        try {
            CountDownLatch start = new CountDownLatch(1);
            List<Future<Http.Response>> answers = new ArrayList<>();
            for (int i = 0; i < clients; i++) {
                answers.add(pool.submit(() -> {
                    start.await();
                    return adminWith("POST", "/api/admin/customers", Map.of("name", name), "Idempotency-Key", key);
                }));
            }
            start.countDown();
            String created = null;
            for (Future<Http.Response> answer : answers) {
                Http.Response response = answer.get();
                assertThat(response.status()).as(response.toString()).isIn(201, 409);
                if (response.status() == 201) {
                    if (created == null) {
                        created = response.body();
                    }
                    assertThat(response.body()).isEqualTo(created);
                } else {
                    assertThat(response.code()).isEqualTo("CONFLICT");
                }
            }
            assertThat(created).isNotNull();
        } finally {
            pool.shutdownNow();
        }
        assertThat(customersNamed(name)).isEqualTo(1);
    }

    @Test
    void keysExpireAfter24HoursAndStoredAnswersAreEncrypted() {
        String key = idem();
        Http.Response token = adminWith(
                "POST", "/api/admin/tokens", Map.of("name", "idem-" + key, "role", "VIEWER"), "Idempotency-Key", key);
        assertThat(token.status()).isEqualTo(201);
        String secret = token.json().get("token").asString();
        String stored = jdbc.sql("SELECT response_body FROM idempotency_keys WHERE idem_key = ?")
                .param(key)
                .query(String.class)
                .single();
        assertThat(stored).doesNotContain(secret).doesNotContain("idem-" + key);
        Http.Response replay = adminWith(
                "POST", "/api/admin/tokens", Map.of("name", "idem-" + key, "role", "VIEWER"), "Idempotency-Key", key);
        assertThat(replay.json().get("token").asString()).isEqualTo(secret);

        jdbc.sql("UPDATE idempotency_keys SET created_at = ? WHERE idem_key = ?")
                .params(Instant.now().minusSeconds(25 * 3600).atOffset(ZoneOffset.UTC), key)
                .update();
        Http.Response afterADay = adminWith(
                "POST", "/api/admin/tokens", Map.of("name", "idem-" + key, "role", "VIEWER"), "Idempotency-Key", key);
        assertThat(afterADay.status()).isEqualTo(201);
        assertThat(afterADay.json().get("token").asString()).isNotEqualTo(secret);
        assertThat(afterADay.header("Idempotent-Replayed")).isNull();
    }

    @Test
    void malformedKeysAreRefusedAndGetRequestsIgnoreTheHeader() {
        String name = "Malformed key";
        long before = customersNamed(name);
        Http.Response tooLong =
                adminWith("POST", "/api/admin/customers", Map.of("name", name), "Idempotency-Key", "k".repeat(201));
        assertThat(tooLong.status()).isEqualTo(400);
        assertThat(tooLong.code()).isEqualTo("INVALID_REQUEST");
        assertThat(tooLong.json().at("/errors/0/field").asString()).isEqualTo("Idempotency-Key");
        assertThat(customersNamed(name)).isEqualTo(before);

        String key = idem();
        assertThat(adminWith("GET", "/api/admin/customers", null, "Idempotency-Key", key)
                        .status())
                .isEqualTo(200);
        assertThat(jdbc.sql("SELECT COUNT(*) FROM idempotency_keys WHERE idem_key = ?")
                        .param(key)
                        .query(Long.class)
                        .single())
                .isZero();
        // A request refused by its role claims nothing.
        Http.Response forbidden =
                as(Role.VIEWER, "POST", "/api/admin/customers", Map.of("name", name), "Idempotency-Key", key);
        assertThat(forbidden.status()).isEqualTo(403);
        assertThat(jdbc.sql("SELECT COUNT(*) FROM idempotency_keys WHERE idem_key = ?")
                        .param(key)
                        .query(Long.class)
                        .single())
                .isZero();
    }

    @Autowired
    IdempotencyKeys idempotencyKeys;

    @Test
    void thePurgeRunsUnderTheSharedJobLock() {
        idempotencyKeys.purge();

        // SPEC §6: one instance at a time; the lock row is what the other instances find taken.
        assertThat(jdbc.sql("SELECT COUNT(*) FROM shedlock WHERE name = 'idempotency-purge'")
                        .query(Long.class)
                        .single())
                .isEqualTo(1);
    }
}
