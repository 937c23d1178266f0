package dev.licensor.server.product;

import static org.assertj.core.api.Assertions.assertThat;

import dev.licensor.server.testing.AbstractAdminIT;
import dev.licensor.server.testing.Http;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

class ProductAdminIT extends AbstractAdminIT {
    @Test
    void createsAProductWithTheDocumentedDefaults() {
        String prefix = uniquePrefix();

        Http.Response created = admin("POST", "/api/admin/products", Map.of("name", "Forger", "key_prefix", prefix));

        assertThat(created.status()).isEqualTo(201);
        assertThat(created.json().get("key_prefix").asString()).isEqualTo(prefix);
        assertThat(created.json().get("heartbeat_interval").asInt()).isEqualTo(30);
        assertThat(created.json().get("session_timeout").asInt()).isEqualTo(60);
        assertThat(created.json().get("offline_grace_days").asInt()).isEqualTo(7);
        assertThat(created.json().get("expiry_grace_days").asInt()).isZero();
        assertThat(created.json().get("auto_activate_on_session").asBoolean()).isTrue();
        assertThat(created.json().get("require_signed_requests").asBoolean()).isFalse();
        assertThat(created.json().get("max_deactivations_per_30_days").isNull()).isTrue();
        long id = created.json().get("id").asLong();
        assertThat(adminGet("/api/admin/products/" + id).json().get("name").asString())
                .isEqualTo("Forger");
        assertThat(adminGet("/api/admin/products?size=500").json().get("items").findValuesAsString("key_prefix"))
                .contains(prefix);
        assertThat(auditRows("product.create", id)).isEqualTo(1);
    }

    @Test
    void aKeyPrefixIsUnique() {
        TestProduct product = product();

        Http.Response duplicate =
                admin("POST", "/api/admin/products", Map.of("name", "Other", "key_prefix", product.prefix()));

        assertThat(duplicate.status()).isEqualTo(400);
        assertThat(duplicate.json().get("errors").get(0).get("field").asString())
                .isEqualTo("key_prefix");
    }

    @Test
    void aKeyPrefixChangesUntilTheFirstLicenseCarriesIt() {
        TestProduct product = product();
        String path = "/api/admin/products/" + product.id();
        String renamed = uniquePrefix();

        JsonNode changed = ok(admin("PATCH", path, Map.of("key_prefix", renamed, "current_version", "1.0.0")));

        assertThat(changed.get("key_prefix").asString()).isEqualTo(renamed);
        assertThat(changed.get("current_version").asString()).isEqualTo("1.0.0");
        JsonNode audit = ok(adminGet("/api/admin/audit?entity_type=product&entity_id=" + product.id()));
        assertThat(audit.at("/items/0/action").asString()).isEqualTo("product.update");
        assertThat(audit.at("/items/0/old_value/key_prefix").asString()).isEqualTo(product.prefix());
        assertThat(audit.at("/items/0/new_value/key_prefix").asString()).isEqualTo(renamed);
        // New keys carry the new prefix; the API key made before (with the old one in its text) still works.
        String key = licenseKey(product, Map.of());
        assertThat(key).startsWith(renamed + "-");
        Http.Response verified = client(product, "/api/license/verify", Map.of("license_key", key));
        assertThat(verified.status()).as(verified.toString()).isEqualTo(200);
        assertThat(verified.json().get("code").asString()).isEqualTo("VALID");

        // Now a license carries it: 409, with the reason, in the caller's language.
        long audits = auditCount();
        Http.Response refused = http.send(
                "PATCH",
                path,
                Map.of("key_prefix", uniquePrefix()),
                "Authorization",
                "Bearer " + dev.licensor.server.testing.TestDatabase.ADMIN_TOKEN,
                "Accept-Language",
                "de");
        assertThat(refused.status()).as(refused.toString()).isEqualTo(409);
        assertThat(refused.code()).isEqualTo("CONFLICT");
        assertThat(refused.json().get("licenses").asLong()).isEqualTo(1);
        assertThat(refused.json().get("key_prefix").asString()).isEqualTo(renamed);
        assertThat(refused.json().get("detail").asString()).contains("Schlüsselpräfix");
        Http.Response english = admin("PATCH", path, Map.of("key_prefix", uniquePrefix(), "name", "Renamed"));
        assertThat(english.status()).isEqualTo(409);
        assertThat(english.json().get("detail").asString()).contains("key prefix");
        assertThat(auditCount()).isEqualTo(audits);
        assertThat(ok(adminGet(path)).get("name").asString()).isEqualTo("Test product");
        // Sending the prefix it has changes nothing about it.
        assertThat(ok(admin("PATCH", path, Map.of("key_prefix", renamed, "name", "Renamed")))
                        .get("name")
                        .asString())
                .isEqualTo("Renamed");
        assertThat(ok(adminGet(path)).get("key_prefix").asString()).isEqualTo(renamed);
        assertThat(client(product, "/api/license/verify", Map.of("license_key", key))
                        .json()
                        .get("code")
                        .asString())
                .isEqualTo("VALID");
    }

    @Test
    void aNewKeyPrefixIsCheckedAsOnCreate() {
        TestProduct product = product();
        TestProduct other = product();
        String path = "/api/admin/products/" + product.id();
        long audits = auditCount();

        for (Object bad : java.util.List.of("ab", "ABCDE", "A", "A1", "", 42)) {
            assertInvalid(admin("PATCH", path, Map.of("key_prefix", bad)), "key_prefix");
        }
        assertInvalid(admin("PATCH", path, "{\"key_prefix\": null}"), "key_prefix");
        Http.Response taken = admin("PATCH", path, Map.of("key_prefix", other.prefix()));
        assertInvalid(taken, "key_prefix");
        assertThat(taken.json().at("/errors/0/message").asString()).contains("already used");
        // A bad prefix is reported with the other bad fields, and nothing changes.
        Http.Response both = admin("PATCH", path, Map.of("key_prefix", "x", "heartbeat_interval", 0));
        assertInvalid(both, "key_prefix");
        assertInvalid(both, "heartbeat_interval");

        assertThat(ok(adminGet(path)).get("key_prefix").asString()).isEqualTo(product.prefix());
        assertThat(auditCount()).isEqualTo(audits);
        assertThat(admin("PATCH", "/api/admin/products/999999999", Map.of("key_prefix", uniquePrefix()))
                        .status())
                .isEqualTo(404);
    }

    @Test
    void aKeyPrefixChangeRacingLicenseCreationsNeverLeavesAKeyWithTheOtherPrefix() throws Exception {
        for (int round = 0; round < 5; round++) {
            TestProduct product = product();
            String renamed = uniquePrefix();
            int creators = 6;
            ExecutorService pool = Executors.newFixedThreadPool(creators + 1);
            try {
                CountDownLatch start = new CountDownLatch(1);
                List<Future<Http.Response>> creations = new ArrayList<>();
                for (int i = 0; i < creators; i++) {
                    creations.add(pool.submit(() -> {
                        start.await();
                        return new Http(port)
                                .send(
                                        "POST",
                                        "/api/admin/licenses",
                                        Map.of("product_id", product.id()),
                                        "Authorization",
                                        "Bearer " + dev.licensor.server.testing.TestDatabase.ADMIN_TOKEN);
                    }));
                }
                Future<Http.Response> change = pool.submit(() -> {
                    start.await();
                    return new Http(port)
                            .send(
                                    "PATCH",
                                    "/api/admin/products/" + product.id(),
                                    Map.of("key_prefix", renamed),
                                    "Authorization",
                                    "Bearer " + dev.licensor.server.testing.TestDatabase.ADMIN_TOKEN);
                });
                start.countDown();
                for (Future<Http.Response> creation : creations) {
                    Http.Response created = creation.get(60, TimeUnit.SECONDS);
                    assertThat(created.status()).as(created.toString()).isEqualTo(201);
                }
                Http.Response changed = change.get(60, TimeUnit.SECONDS);
                assertThat(changed.status()).as(changed.toString()).isIn(200, 409);

                String prefix = ok(adminGet("/api/admin/products/" + product.id()))
                        .get("key_prefix")
                        .asString();
                assertThat(prefix).isEqualTo(changed.status() == 200 ? renamed : product.prefix());
                List<String> keys = jdbc.sql("SELECT license_key FROM licenses WHERE product_id = ?")
                        .param(product.id())
                        .query(String.class)
                        .list();
                assertThat(keys).hasSize(creators).allSatisfy(key -> assertThat(key)
                        .startsWith(prefix + "-"));
            } finally {
                pool.shutdownNow();
            }
        }
    }

    @Test
    void patchChangesOnlyTheGivenFieldsAndIsAudited() {
        TestProduct product = product(Map.of("current_version", "1.0.0"));

        Http.Response patched = admin(
                "PATCH",
                "/api/admin/products/" + product.id(),
                Map.of("heartbeat_interval", 10, "session_timeout", 25, "minimum_version", "1.0.0"));

        assertThat(patched.status()).as(patched.toString()).isEqualTo(200);
        assertThat(patched.json().get("heartbeat_interval").asInt()).isEqualTo(10);
        assertThat(patched.json().get("session_timeout").asInt()).isEqualTo(25);
        assertThat(patched.json().get("current_version").asString()).isEqualTo("1.0.0");
        assertThat(auditRows("product.update", product.id())).isEqualTo(1);
        String oldValue = jdbc.sql("SELECT old_value FROM audit_log WHERE action = 'product.update' AND entity_id = ?")
                .param(String.valueOf(product.id()))
                .query(String.class)
                .single();
        assertThat(oldValue).contains("\"heartbeat_interval\":30");
    }

    @Test
    void inconsistentSettingsAreRefusedAndChangeNothing() {
        TestProduct product = product(Map.of("current_version", "2.0.0"));

        Http.Response timeout = admin(
                "PATCH", "/api/admin/products/" + product.id(), Map.of("session_timeout", 5, "heartbeat_interval", 10));
        Http.Response minimum =
                admin("PATCH", "/api/admin/products/" + product.id(), Map.of("minimum_version", "3.0.0"));
        Http.Response url = admin("PATCH", "/api/admin/products/" + product.id(), Map.of("download_url", "ftp://x"));
        Http.Response zero = admin("PATCH", "/api/admin/products/" + product.id(), Map.of("heartbeat_interval", 0));

        assertThat(timeout.status()).isEqualTo(400);
        assertThat(minimum.status()).isEqualTo(400);
        assertThat(url.status()).isEqualTo(400);
        assertThat(zero.status()).isEqualTo(400);
        Http.Response unchanged = adminGet("/api/admin/products/" + product.id());
        assertThat(unchanged.json().get("heartbeat_interval").asInt()).isEqualTo(30);
        assertThat(unchanged.json().get("minimum_version").isNull()).isTrue();
    }

    @Test
    void aProductWithLicensesCannotBeDeleted() {
        TestProduct used = product();
        licenseKey(used, Map.of());
        TestProduct unused = product();

        assertThat(admin("DELETE", "/api/admin/products/" + used.id(), null).status())
                .isEqualTo(409);
        assertThat(admin("DELETE", "/api/admin/products/" + unused.id(), null).status())
                .isEqualTo(204);
        assertThat(adminGet("/api/admin/products/" + unused.id()).status()).isEqualTo(404);
    }

    @Test
    void apiKeysAreShownOnceListedWithoutSecretsAndRevocable() {
        TestProduct product = product();
        Http.Response second = admin("POST", "/api/admin/products/" + product.id() + "/api-keys", Map.of());
        String apiKey = second.json().get("api_key").asString();

        assertThat(apiKey).matches(product.prefix() + "-\\d{4}-[A-Z0-9]{32}");
        assertThat(second.json().get("signing_secret").asString()).hasSizeGreaterThanOrEqualTo(32);
        Http.Response list = adminGet("/api/admin/products/" + product.id() + "/api-keys");
        assertThat(items(list)).hasSize(2);
        assertThat(list.body()).doesNotContain(apiKey).doesNotContain("signing_secret");
        assertThat(jdbc.sql("SELECT COUNT(*) FROM api_keys WHERE key_hash = ? OR signing_secret_enc LIKE ?")
                        .params(
                                apiKey,
                                "%" + second.json().get("signing_secret").asString() + "%")
                        .query(Long.class)
                        .single())
                .as("neither secret is stored in clear")
                .isZero();
        assertThat(admin("DELETE", "/api/admin/products/" + product.id() + "/api-keys/999999", null)
                        .status())
                .isEqualTo(404);
        assertThat(admin("POST", "/api/admin/products/999999/api-keys", Map.of())
                        .status())
                .isEqualTo(404);
        assertThat(admin("POST", "/api/admin/products/" + product.id() + "/api-keys", Map.of("x", 1))
                        .status())
                .isEqualTo(400);
    }

    @Test
    void apiKeysAreListedAsAPageOldestFirstRevokedIncluded() {
        TestProduct product = product();
        long first = jdbc.sql("SELECT id FROM api_keys WHERE product_id = ?")
                .param(product.id())
                .query(Long.class)
                .single();
        long second = admin("POST", "/api/admin/products/" + product.id() + "/api-keys", Map.of())
                .json()
                .get("id")
                .asLong();
        long third = admin("POST", "/api/admin/products/" + product.id() + "/api-keys", Map.of())
                .json()
                .get("id")
                .asLong();
        assertThat(admin("DELETE", "/api/admin/products/" + product.id() + "/api-keys/" + second, null)
                        .status())
                .isEqualTo(204);
        product(); // another product's keys are not listed

        JsonNode keys = assertPagedList("/api/admin/products/" + product.id() + "/api-keys", 3);

        assertThat(keys.valueStream().map(k -> k.get("id").asLong())).containsExactly(first, second, third);
        assertThat(keys.valueStream().map(k -> k.get("revoked_at").isNull())).containsExactly(true, false, true);
        assertThat(keys.get(0).get("key_hint").asString()).startsWith(product.prefix() + "-");
        assertThat(adminGet("/api/admin/products/999999999/api-keys").status()).isEqualTo(404);
    }

    @Test
    void rolesLimitWhatATokenMayDo() {
        Http.Response viewer = admin("POST", "/api/admin/tokens", Map.of("name", "dashboard", "role", "VIEWER"));
        Http.Response support = admin("POST", "/api/admin/tokens", Map.of("name", "helpdesk", "role", "SUPPORT"));
        assertThat(viewer.status()).isEqualTo(201);
        String viewerToken = viewer.json().get("token").asString();
        String supportToken = support.json().get("token").asString();
        TestProduct product = product();

        Http.Response viewerRead = http.get("/api/admin/products", "Authorization", "Bearer " + viewerToken);
        Http.Response viewerWrite = http.post(
                "/api/admin/products",
                Map.of("name", "X", "key_prefix", uniquePrefix()),
                "Authorization",
                "Bearer " + viewerToken);
        Http.Response supportProduct = http.post(
                "/api/admin/products/" + product.id() + "/api-keys",
                Map.of(),
                "Authorization",
                "Bearer " + supportToken);
        Http.Response supportLicense = http.post(
                "/api/admin/licenses", Map.of("product_id", product.id()), "Authorization", "Bearer " + supportToken);

        assertThat(viewerRead.status()).isEqualTo(200);
        assertThat(viewerWrite.status()).isEqualTo(403);
        assertThat(viewerWrite.code()).isEqualTo("FORBIDDEN");
        assertThat(supportProduct.status()).isEqualTo(403);
        assertThat(supportLicense.status()).isEqualTo(201);
        String actor = jdbc.sql("SELECT actor FROM audit_log WHERE action = 'license.create' AND entity_id = ?")
                .param(String.valueOf(supportLicense.json().get("id").asLong()))
                .query(String.class)
                .single();
        assertThat(actor).isEqualTo("token:helpdesk");
    }

    @Test
    void aRevokedTokenIsRefused() {
        Http.Response created = admin("POST", "/api/admin/tokens", Map.of("name", "temp", "role", "ADMIN"));
        String token = created.json().get("token").asString();
        assertThat(http.get("/api/admin/products", "Authorization", "Bearer " + token)
                        .status())
                .isEqualTo(200);

        assertThat(admin(
                                "DELETE",
                                "/api/admin/tokens/" + created.json().get("id").asLong(),
                                null)
                        .status())
                .isEqualTo(204);

        assertThat(http.get("/api/admin/products", "Authorization", "Bearer " + token)
                        .status())
                .isEqualTo(401);
        // Tokens are listed oldest first: the revoked one is the last, without its secret.
        long total =
                jdbc.sql("SELECT COUNT(*) FROM admin_tokens").query(Long.class).single();
        JsonNode tokens = assertPagedList("/api/admin/tokens", total);
        assertThat(tokens.valueStream().map(t -> t.get("id").asLong())).isSorted();
        Http.Response last = adminGet("/api/admin/tokens?size=1&page=" + (total - 1));
        assertThat(items(last).get(0).get("id").asLong())
                .isEqualTo(created.json().get("id").asLong());
        assertThat(items(last).get(0).get("revoked_at").isNull()).isFalse();
        assertThat(last.body()).doesNotContain(token);
    }

    private long auditRows(String action, long entityId) {
        return jdbc.sql("SELECT COUNT(*) FROM audit_log WHERE action = ? AND entity_id = ?")
                .params(action, String.valueOf(entityId))
                .query(Long.class)
                .single();
    }
}
