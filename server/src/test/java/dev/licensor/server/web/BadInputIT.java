package dev.licensor.server.web;

import static org.assertj.core.api.Assertions.assertThat;

import dev.licensor.server.testing.AbstractIT;
import dev.licensor.server.testing.Http;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Bad input gets a clear 4xx problem, changes nothing, and never a 500. */
class BadInputIT extends AbstractIT {
    private static final List<String> CLIENT_POSTS =
            List.of("/api/license/activate", "/api/license/deactivate", "/api/license/verify", "/api/version/check");

    @Test
    void aMissingOrUnknownApiKeyIsRefused() {
        Http.Response missing = http.post("/api/license/verify", Map.of("license_key", "X"));
        Http.Response unknown =
                http.post("/api/license/verify", Map.of("license_key", "X"), "X-API-Key", "AF-2026-NOPE");

        for (Http.Response response : List.of(missing, unknown)) {
            assertThat(response.status()).isEqualTo(401);
            assertThat(response.header("Content-Type")).startsWith("application/problem+json");
            assertThat(response.code()).isEqualTo("INVALID_API_KEY");
        }
    }

    @Test
    void aRevokedApiKeyStopsWorking() {
        TestProduct product = product();
        Http.Response keys = adminGet("/api/admin/products/" + product.id() + "/api-keys");
        long keyId = keys.json().get("items").get(0).get("id").asLong();

        assertThat(admin("DELETE", "/api/admin/products/" + product.id() + "/api-keys/" + keyId, null)
                        .status())
                .isEqualTo(204);

        assertThat(client(product, "/api/license/verify", Map.of("license_key", "X"))
                        .code())
                .isEqualTo("INVALID_API_KEY");
    }

    @Test
    void malformedJsonIsAnInvalidRequest() {
        TestProduct product = product();

        Http.Response response = client(product, "/api/license/activate", "{\"license_key\": ");

        assertThat(response.status()).isEqualTo(400);
        assertThat(response.code()).isEqualTo("INVALID_REQUEST");
        assertThat(response.json().get("errors").get(0).get("message").asString())
                .isEqualTo("malformed JSON");
    }

    @Test
    void missingAndWronglyTypedFieldsAreListed() {
        TestProduct product = product();

        Http.Response missing = client(product, "/api/license/activate", Map.of("license_key", "K"));
        Http.Response wrongType =
                client(product, "/api/license/activate", Map.of("license_key", List.of("a"), "hardware_hash", "h"));

        assertThat(missing.status()).isEqualTo(400);
        assertThat(missing.json().get("errors").get(0).get("field").asString()).isEqualTo("hardware_hash");
        assertThat(wrongType.status()).isEqualTo(400);
        assertThat(wrongType.json().get("errors").get(0).get("field").asString())
                .isEqualTo("license_key");
    }

    @Test
    void overlongAndControlCharacterStringsAreRefused() {
        TestProduct product = product();
        String key = licenseKey(product, Map.of());

        Http.Response overlong =
                client(product, "/api/license/activate", Map.of("license_key", key, "hardware_hash", "h".repeat(300)));
        Http.Response nul =
                client(product, "/api/license/activate", Map.of("license_key", key, "hardware_hash", "abc\u0000def"));
        Http.Response loneSurrogate = client(
                product, "/api/license/activate", "{\"license_key\":\"" + key + "\",\"hardware_hash\":\"\\ud800x\"}");

        assertThat(overlong.status()).isEqualTo(400);
        assertThat(nul.status()).isEqualTo(400);
        assertThat(nul.json().get("errors").get(0).get("field").asString()).isEqualTo("hardware_hash");
        assertThat(loneSurrogate.status()).isEqualTo(400);
        assertThat(jdbc.sql(
                                "SELECT COUNT(*) FROM devices d JOIN licenses l ON l.id = d.license_id WHERE l.license_key = ?")
                        .param(key)
                        .query(Long.class)
                        .single())
                .isZero();
    }

    @Test
    void bodiesOver64KiBAreTooLarge() {
        TestProduct product = product();

        Http.Response response =
                client(product, "/api/license/verify", Map.of("license_key", "K", "padding", "x".repeat(70 * 1024)));

        assertThat(response.status()).isEqualTo(413);
        assertThat(response.code()).isEqualTo("PAYLOAD_TOO_LARGE");
    }

    @Test
    void wrongMethodsMediaTypesAndRoutesAreProblems() {
        TestProduct product = product();

        Http.Response method = http.get("/api/license/activate", "X-API-Key", product.apiKey());
        Http.Response route = http.get("/api/license/nothing-here", "X-API-Key", product.apiKey());
        Http.Response media = http.send(
                "POST", "/api/license/verify", null, "X-API-Key", product.apiKey(), "Content-Type", "text/plain");

        assertThat(method.status()).isEqualTo(405);
        assertThat(method.code()).isEqualTo("METHOD_NOT_ALLOWED");
        assertThat(route.status()).isEqualTo(404);
        assertThat(route.code()).isEqualTo("NOT_FOUND");
        assertThat(media.status()).isIn(400, 415);
        assertThat(media.header("Content-Type")).startsWith("application/problem+json");
    }

    @Test
    void theAdminApiRejectsUnknownFieldsAndBadValues() {
        Http.Response unknown = admin(
                "POST", "/api/admin/products", Map.of("name", "P", "key_prefix", uniquePrefix(), "colour", "red"));
        Http.Response badPrefix = admin("POST", "/api/admin/products", Map.of("name", "P", "key_prefix", "abc1"));
        Http.Response badIntervals = admin(
                "POST",
                "/api/admin/products",
                Map.of("name", "P", "key_prefix", uniquePrefix(), "heartbeat_interval", 30, "session_timeout", 10));
        Http.Response badId = adminGet("/api/admin/products/abc");

        assertThat(unknown.status()).isEqualTo(400);
        assertThat(unknown.json().get("errors").get(0).get("field").asString()).isEqualTo("colour");
        assertThat(badPrefix.status()).isEqualTo(400);
        assertThat(badIntervals.status()).isEqualTo(400);
        assertThat(badIntervals.json().get("errors").get(0).get("field").asString())
                .isEqualTo("session_timeout");
        assertThat(badId.status()).isEqualTo(400);
    }

    @Test
    void theAdminApiNeedsAValidToken() {
        Http.Response none = http.get("/api/admin/products");
        Http.Response wrong = http.get("/api/admin/products", "Authorization", "Bearer not-a-token");

        assertThat(none.status()).isEqualTo(401);
        assertThat(none.code()).isEqualTo("UNAUTHORIZED");
        assertThat(wrong.status()).isEqualTo(401);
    }

    @Test
    void noOddBodyEverCausesAServerError() {
        TestProduct product = product();
        String key = licenseKey(product, Map.of());
        List<String> bodies = List.of(
                "",
                "null",
                "[]",
                "42",
                "\"text\"",
                "{}",
                "{\"license_key\": null, \"hardware_hash\": null}",
                "{\"license_key\": {}, \"hardware_hash\": []}",
                "{\"license_key\": \"" + key + "\", \"hardware_hash\": \"h\", \"components\": \"not an object\"}",
                "{\"license_key\": \"" + key + "\", \"hardware_hash\": \"h\", \"version\": \"not a version\"}",
                "{\"license_key\": \"" + key + "\", \"hardware_hash\": \"h\", \"version\": \"" + "9".repeat(60) + "\"}",
                "{\"license_key\": \"\u202e\u0301\ufeff\", \"hardware_hash\": \"\uD83D\uDE00\"}",
                "{\"license_key\": \"" + "A".repeat(128) + "\", \"hardware_hash\": \"h\"}",
                "{\"version\": 1e400}",
                "{\"license_key\": 12345678901234567890123, \"hardware_hash\": true}");
        for (String path : CLIENT_POSTS) {
            for (String body : bodies) {
                Http.Response response = client(product, path, body);
                assertThat(response.status())
                        .as(path + " " + body + " -> " + response)
                        .isLessThan(500);
                assertThat(response.body())
                        .doesNotContainIgnoringCase("exception")
                        .doesNotContain("SQL");
            }
        }
    }
}
