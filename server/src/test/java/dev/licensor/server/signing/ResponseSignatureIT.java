package dev.licensor.server.signing;

import static org.assertj.core.api.Assertions.assertThat;

import dev.licensor.server.testing.AbstractAdminIT;
import dev.licensor.server.testing.Http;
import dev.licensor.server.testing.IndependentVerifier;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.Map;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

class ResponseSignatureIT extends AbstractAdminIT {
    private static final String NONCE = "n0nce-0123456789-abcdef";

    @Test
    void publishesTheSigningKeysAsAJwksWithoutAnApiKey() {
        Http.Response response = http.get("/api/keys");

        assertThat(response.status()).isEqualTo(200);
        JsonNode key = response.json().get("keys").get(0);
        assertThat(key.get("kty").asString()).isEqualTo("OKP");
        assertThat(key.get("crv").asString()).isEqualTo("Ed25519");
        assertThat(key.get("use").asString()).isEqualTo("sig");
        assertThat(key.get("alg").asString()).isEqualTo("EdDSA");
        assertThat(key.get("kid").asString()).isNotBlank();
        assertThat(key.get("x").asString()).hasSize(43); // 32 bytes, base64url without padding
        assertThat(key.has("d")).as("no private part").isFalse();
        assertThat(IndependentVerifier.fetch(http).verifies(response, "GET", "/api/keys", ""))
                .isTrue();
    }

    @Test
    void signsAnAnswerOverStatusMethodPathDateNonceAndBody() {
        TestProduct product = product();
        String key = licenseKey(product, Map.of());

        Http.Response response = client(
                product,
                "/api/license/activate",
                Map.of("license_key", key, "hardware_hash", "hw-1"),
                "X-Nonce",
                NONCE);

        assertThat(response.status()).isEqualTo(200);
        IndependentVerifier verifier = IndependentVerifier.fetch(http);
        assertThat(verifier.verifies(response, "POST", "/api/license/activate", NONCE))
                .isTrue();
        Instant date = ZonedDateTime.parse(response.header("Date"), DateTimeFormatter.RFC_1123_DATE_TIME)
                .toInstant();
        assertThat(Duration.between(date, Instant.now()).abs()).isLessThan(Duration.ofMinutes(1));
        // A replayed answer does not fit another request, and a changed body does not verify.
        assertThat(verifier.verifies(response, "POST", "/api/license/activate", "another-nonce-0123456"))
                .isFalse();
        assertThat(verifier.verifies(response, "POST", "/api/license/verify", NONCE))
                .isFalse();
        byte[] tampered = response.body()
                .replace("\"activated\":true", "\"activated\":false")
                .getBytes(StandardCharsets.UTF_8);
        assertThat(verifier.verifies(response, "POST", "/api/license/activate", NONCE, tampered))
                .isFalse();
    }

    @Test
    void takesTheNonceFromTheBodyWhenThereIsNoHeader() {
        TestProduct product = product();
        String key = licenseKey(product, Map.of());

        Http.Response response =
                client(product, "/api/license/verify", Map.of("license_key", key, "nonce", "body-nonce-0123456789"));

        assertThat(response.status()).isEqualTo(200);
        IndependentVerifier verifier = IndependentVerifier.fetch(http);
        assertThat(verifier.verifies(response, "POST", "/api/license/verify", "body-nonce-0123456789"))
                .isTrue();
        assertThat(verifier.verifies(response, "POST", "/api/license/verify", ""))
                .isFalse();
    }

    @Test
    void signsErrorsFromFiltersControllersAndUnknownRoutes() {
        TestProduct product = product();
        IndependentVerifier verifier = IndependentVerifier.fetch(http);

        Http.Response noKey = http.post("/api/license/verify", Map.of("license_key", "X"), "X-Nonce", NONCE);
        assertThat(noKey.status()).isEqualTo(401);
        assertThat(noKey.code()).isEqualTo("INVALID_API_KEY");
        assertThat(verifier.verifies(noKey, "POST", "/api/license/verify", NONCE))
                .isTrue();

        Http.Response unknownKey = client(
                product,
                "/api/license/activate",
                Map.of("license_key", "NOPE-1", "hardware_hash", "h"),
                "X-Nonce",
                NONCE);
        assertThat(unknownKey.code()).isEqualTo("LICENSE_NOT_FOUND");
        assertThat(verifier.verifies(unknownKey, "POST", "/api/license/activate", NONCE))
                .isTrue();

        Http.Response noRoute = http.get("/api/license/nothing-here?x=1", "X-API-Key", product.apiKey());
        assertThat(noRoute.status()).isEqualTo(404);
        assertThat(verifier.verifies(noRoute, "GET", "/api/license/nothing-here?x=1", ""))
                .isTrue();
        assertThat(verifier.verifies(noRoute, "GET", "/api/license/nothing-here", ""))
                .as("the query is part of the signed path")
                .isFalse();

        String big = "{\"license_key\":\"" + "A".repeat(70_000) + "\"}";
        Http.Response tooLarge = client(product, "/api/license/verify", big, "X-Nonce", NONCE);
        assertThat(tooLarge.status()).isEqualTo(413);
        assertThat(verifier.verifies(tooLarge, "POST", "/api/license/verify", NONCE))
                .isTrue();
    }

    @Test
    void leavesTheAdminApiUnsigned() {
        Http.Response response = adminGet("/api/admin/signing-keys");

        assertThat(response.status()).isEqualTo(200);
        assertThat(response.header("X-Licensor-Signature")).isNull();
    }

    @Test
    void listsTheSigningKeysAsAPageNewestFirstRetiredIncluded() {
        String before = items(adminGet("/api/admin/signing-keys?size=1"))
                .get(0)
                .get("kid")
                .asString();
        String first = rotate();
        String second = rotate();
        assertThat(admin("POST", "/api/admin/signing-keys/" + before + "/retire", Map.of())
                        .status())
                .isEqualTo(200);
        assertThat(admin("POST", "/api/admin/signing-keys/" + first + "/retire", Map.of())
                        .status())
                .isEqualTo(200);
        long total =
                jdbc.sql("SELECT COUNT(*) FROM signing_keys").query(Long.class).single();

        JsonNode keys = assertPagedList("/api/admin/signing-keys", total);

        assertThat(keys.valueStream().map(k -> k.get("kid").asString()).limit(3))
                .containsExactly(second, first, before);
        assertThat(keys.valueStream().map(k -> k.get("status").asString()).limit(3))
                .containsExactly("ACTIVE", "RETIRED", "RETIRED");
        assertThat(keys.valueStream().map(k -> Instant.parse(k.get("created_at").asString())))
                .isSortedAccordingTo(java.util.Comparator.reverseOrder());
        assertThat(keys.valueStream().filter(k -> k.get("status").asString().equals("ACTIVE")))
                .hasSize(1);
        Http.Response viewer = as(Role.VIEWER, "GET", "/api/admin/signing-keys?page=0&size=2", null);
        assertThat(items(viewer)).hasSize((int) Math.min(total, 2));
        assertThat(viewer.body()).doesNotContain("private");
    }

    private String rotate() {
        Http.Response rotated = admin("POST", "/api/admin/signing-keys/rotate", Map.of());
        assertThat(rotated.status()).as(rotated.toString()).isEqualTo(201);
        return rotated.json().get("kid").asString();
    }

    @Test
    void rotatedKeysKeepVerifyingUntilRetired() {
        TestProduct product = product();
        String key = licenseKey(product, Map.of());
        Http.Response before = client(
                product,
                "/api/license/activate",
                Map.of("license_key", key, "hardware_hash", "hw-r"),
                "X-Nonce",
                NONCE);
        String oldKid = IndependentVerifier.keyId(before);
        String oldToken = before.json().get("offline_token").asString();

        Http.Response rotated = admin("POST", "/api/admin/signing-keys/rotate", Map.of());

        assertThat(rotated.status()).as(rotated.toString()).isEqualTo(201);
        String newKid = rotated.json().get("kid").asString();
        assertThat(newKid).isNotEqualTo(oldKid);
        Http.Response after = client(
                product, "/api/license/verify", Map.of("license_key", key, "hardware_hash", "hw-r"), "X-Nonce", NONCE);
        assertThat(IndependentVerifier.keyId(after)).isEqualTo(newKid);
        IndependentVerifier published = IndependentVerifier.fetch(http);
        assertThat(published.publishes(oldKid)).isTrue();
        assertThat(published.verifies(before, "POST", "/api/license/activate", NONCE))
                .isTrue();
        assertThat(published.verifies(after, "POST", "/api/license/verify", NONCE))
                .isTrue();
        assertThat(published.verifyToken(oldToken).get("sub")).isEqualTo(key);
        assertThat(jdbc.sql("SELECT COUNT(*) FROM audit_log WHERE action = 'signing_key.rotate' AND entity_id = ?")
                        .param(newKid)
                        .query(Long.class)
                        .single())
                .isEqualTo(1);

        Http.Response activeRetire = admin("POST", "/api/admin/signing-keys/" + newKid + "/retire", Map.of());
        assertThat(activeRetire.status()).isEqualTo(409);

        Http.Response retired = admin("POST", "/api/admin/signing-keys/" + oldKid + "/retire", Map.of());
        assertThat(retired.status()).as(retired.toString()).isEqualTo(200);
        assertThat(retired.json().get("status").asString()).isEqualTo("RETIRED");
        IndependentVerifier afterRetire = IndependentVerifier.fetch(http);
        assertThat(afterRetire.publishes(oldKid)).isFalse();
        assertThat(afterRetire.publishes(newKid)).isTrue();
        assertThat(afterRetire.verifies(before, "POST", "/api/license/activate", NONCE))
                .isFalse();
        JsonNode listed = adminGet("/api/admin/signing-keys").json().get("items");
        assertThat(listed.findValuesAsString("kid")).contains(oldKid, newKid);
        assertThat(admin("POST", "/api/admin/signing-keys/unknown-kid/retire", Map.of())
                        .status())
                .isEqualTo(404);
    }
}
