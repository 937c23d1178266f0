package dev.licensor.server.license;

import static org.assertj.core.api.Assertions.assertThat;

import dev.licensor.server.testing.AbstractIT;
import dev.licensor.server.testing.Http;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

class VerificationIT extends AbstractIT {
    @Test
    void aValidLicenseVerifiesWithItsFeaturesAndExpiry() {
        TestProduct product = product();
        String key = licenseKey(product, Map.of("features", List.of("pro", "export"), "duration_days", 30));
        activate(product, key, "hw-1");

        JsonNode verdict = verify(product, key, "hardware_hash", "hw-1", "feature", "pro");

        assertThat(verdict.get("valid").asBoolean()).isTrue();
        assertThat(verdict.get("code").asString()).isEqualTo("VALID");
        assertThat(verdict.get("detail").asString()).isEqualTo("The license is valid.");
        assertThat(verdict.get("feature_enabled").asBoolean()).isTrue();
        assertThat(verdict.get("features")).extracting(JsonNode::asString).containsExactly("pro", "export");
        assertThat(verdict.get("expires_at").asString()).isNotBlank();
        assertThat(verdict.at("/license/license_key").asString()).isEqualTo(key);
        assertThat(verdict.has("grace_until")).isFalse();
    }

    @Test
    void aDeviceCountsOnlyForItsOwnLicense() {
        TestProduct product = product();
        String mine = licenseKey(product, Map.of("device_limit", 3));
        String other = licenseKey(product, Map.of());
        activate(product, mine, "hw-shared");
        activate(product, mine, "hw-second");

        JsonNode valid = verify(product, mine, "hardware_hash", "hw-shared");
        JsonNode elsewhere = verify(product, other, "hardware_hash", "hw-shared");

        assertThat(valid.get("code").asString()).isEqualTo("VALID");
        assertThat(valid.at("/license/devices_used").asInt()).isEqualTo(2);
        assertThat(valid.at("/license/device_limit").asInt()).isEqualTo(3);
        assertThat(valid.has("offline_token")).isTrue();
        assertThat(elsewhere.get("code").asString()).isEqualTo("DEVICE_NOT_ACTIVATED");
        assertThat(elsewhere.at("/license/devices_used").asInt()).isZero();
        assertThat(elsewhere.has("offline_token")).isFalse();
    }

    @Test
    void verificationNeverActivates() {
        TestProduct product = product();
        String key = licenseKey(product, Map.of());

        JsonNode verdict = verify(product, key, "hardware_hash", "new-machine");

        assertThat(verdict.get("valid").asBoolean()).isFalse();
        assertThat(verdict.get("code").asString()).isEqualTo("DEVICE_NOT_ACTIVATED");
        assertThat(jdbc.sql(
                                "SELECT COUNT(*) FROM devices d JOIN licenses l ON l.id = d.license_id WHERE l.license_key = ?")
                        .param(key)
                        .query(Long.class)
                        .single())
                .isZero();
    }

    @Test
    void everyLicenseOutcomeIsA200WithItsCode() {
        TestProduct product = product();
        String suspended = licenseKey(product, Map.of());
        String revoked = licenseKey(product, Map.of());
        jdbc.sql("UPDATE licenses SET status = 'SUSPENDED' WHERE license_key = ?")
                .param(suspended)
                .update();
        jdbc.sql("UPDATE licenses SET status = 'REVOKED' WHERE license_key = ?")
                .param(revoked)
                .update();
        String expired = licenseKey(
                product, Map.of("expires_at", Instant.now().minusSeconds(10).toString()));
        String future = licenseKey(
                product, Map.of("valid_from", Instant.now().plusSeconds(3600).toString()));

        assertThat(verify(product, "no-such-key").get("code").asString()).isEqualTo("NOT_FOUND");
        assertThat(verify(product, suspended).get("code").asString()).isEqualTo("SUSPENDED");
        assertThat(verify(product, revoked).get("code").asString()).isEqualTo("REVOKED");
        assertThat(verify(product, expired).get("code").asString()).isEqualTo("EXPIRED");
        assertThat(verify(product, future).get("code").asString()).isEqualTo("NOT_YET_VALID");
        assertThat(verify(product, expired).get("valid").asBoolean()).isFalse();
    }

    @Test
    void anExpiredLicenseIsValidDuringTheGracePeriod() {
        TestProduct product = product(Map.of("expiry_grace_days", 3));
        Instant expiredAt = Instant.now().minus(Duration.ofDays(1));
        String inGrace = licenseKey(product, Map.of("expires_at", expiredAt.toString()));
        String pastGrace = licenseKey(
                product,
                Map.of("expires_at", Instant.now().minus(Duration.ofDays(4)).toString()));

        JsonNode grace = verify(product, inGrace);

        assertThat(grace.get("valid").asBoolean()).isTrue();
        assertThat(grace.get("code").asString()).isEqualTo("GRACE_PERIOD");
        assertThat(Instant.parse(grace.get("grace_until").asString()))
                .isBetween(
                        expiredAt.plus(Duration.ofDays(3)).minusSeconds(1),
                        expiredAt.plus(Duration.ofDays(3)).plusSeconds(1));
        assertThat(verify(product, pastGrace).get("code").asString()).isEqualTo("EXPIRED");
    }

    @Test
    void aMissingFeatureIsReported() {
        TestProduct product = product();
        String key = licenseKey(product, Map.of("features", List.of("basic")));

        JsonNode verdict = verify(product, key, "feature", "pro");

        assertThat(verdict.get("valid").asBoolean()).isFalse();
        assertThat(verdict.get("code").asString()).isEqualTo("FEATURE_NOT_ENTITLED");
        assertThat(verdict.get("feature_enabled").asBoolean()).isFalse();
    }

    @Test
    void anOldClientIsToldToUpdateAndWhatIsNew() {
        TestProduct product = product(Map.of(
                "current_version", "3.0.0",
                "minimum_version", "2.0.0",
                "whats_new", "Faster exports",
                "download_url", "https://example.com/app"));
        String key = licenseKey(product, Map.of());

        JsonNode tooOld = verify(product, key, "version", "1.5.0");
        JsonNode older = verify(product, key, "version", "2.5.0");
        JsonNode latest = verify(product, key, "version", "3.0.0");

        assertThat(tooOld.get("code").asString()).isEqualTo("UPDATE_REQUIRED");
        assertThat(tooOld.at("/update/update_required").asBoolean()).isTrue();
        assertThat(older.get("code").asString()).isEqualTo("VALID");
        assertThat(older.at("/update/update_available").asBoolean()).isTrue();
        assertThat(older.at("/update/whats_new").asString()).isEqualTo("Faster exports");
        assertThat(older.at("/update/download_url").asString()).isEqualTo("https://example.com/app");
        assertThat(latest.at("/update/update_available").asBoolean()).isFalse();
        assertThat(latest.at("/update").has("whats_new")).isFalse();
    }

    @Test
    void theDetailIsLocalized() {
        TestProduct product = product();
        String key = licenseKey(product, Map.of());
        jdbc.sql("UPDATE licenses SET status = 'SUSPENDED' WHERE license_key = ?")
                .param(key)
                .update();

        Http.Response german =
                client(product, "/api/license/verify", Map.of("license_key", key), "Accept-Language", "de-DE");
        Http.Response french =
                client(product, "/api/license/verify", Map.of("license_key", key), "Accept-Language", "fr");

        assertThat(german.json().get("detail").asString())
                .isEqualTo("Diese Lizenz ist gesperrt. Bitte wende dich an den Hersteller.");
        assertThat(french.json().get("detail").asString())
                .isEqualTo("Cette licence est suspendue. Veuillez contacter l'éditeur.");
    }

    @Test
    void infoShowsTheLicenseWithoutAnyActivation() {
        TestProduct product = product(Map.of("name", "Info Product"));
        Http.Response customer = admin("POST", "/api/admin/customers", Map.of("name", "Ada", "company", "ACME"));
        Map<String, Object> fields = new HashMap<>(Map.of("device_limit", 3, "concurrent_sessions_limit", 2));
        if (customer.status() == 201) {
            fields.put("customer_id", customer.json().get("id").asLong());
        }
        String key = licenseKey(product, fields);

        Http.Response info = http.get("/api/license/info/" + key.toLowerCase(), "X-API-Key", product.apiKey());

        assertThat(info.status()).isEqualTo(200);
        assertThat(info.json().get("license_key").asString()).isEqualTo(key);
        assertThat(info.json().get("product").asString()).isEqualTo("Info Product");
        assertThat(info.json().get("device_limit").asInt()).isEqualTo(3);
        assertThat(info.json().get("concurrent_sessions_limit").asInt()).isEqualTo(2);
        assertThat(info.json().get("devices_used").asInt()).isZero();
        assertThat(info.json().get("live_sessions").asInt()).isZero();
        assertThat(info.json().get("activated_at").isNull()).isTrue();
        if (customer.status() == 201) {
            assertThat(info.json().get("licensed_to").asString()).isEqualTo("ACME");
        }
        Http.Response unknown = http.get("/api/license/info/NOPE-NOPE", "X-API-Key", product.apiKey());
        assertThat(unknown.status()).isEqualTo(404);
        assertThat(unknown.code()).isEqualTo("LICENSE_NOT_FOUND");
    }

    private JsonNode verify(TestProduct product, String key, String... fields) {
        Map<String, Object> body = new HashMap<>();
        body.put("license_key", key);
        for (int i = 0; i < fields.length; i += 2) {
            body.put(fields[i], fields[i + 1]);
        }
        Http.Response response = client(product, "/api/license/verify", body);
        assertThat(response.status()).as(response.toString()).isEqualTo(200);
        return response.json();
    }
}
