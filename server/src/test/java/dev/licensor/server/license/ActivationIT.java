package dev.licensor.server.license;

import static org.assertj.core.api.Assertions.assertThat;

import dev.licensor.server.testing.AbstractIT;
import dev.licensor.server.testing.Http;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ActivationIT extends AbstractIT {
    @Test
    void activatesADeviceAndAnswersTheLicense() {
        TestProduct product = product(Map.of("name", "Account Forger"));
        String key = licenseKey(product, Map.of("device_limit", 2, "features", List.of("export")));

        Http.Response response = client(
                product,
                "/api/license/activate",
                Map.of("license_key", key, "hardware_hash", "hw-1", "device_name", "Laptop", "os", "Linux"));

        assertThat(response.status()).as(response.toString()).isEqualTo(200);
        assertThat(response.json().get("activated").asBoolean()).isTrue();
        assertThat(response.json().get("new_device").asBoolean()).isTrue();
        assertThat(response.json().at("/license/license_key").asString()).isEqualTo(key);
        assertThat(response.json().at("/license/product").asString()).isEqualTo("Account Forger");
        assertThat(response.json().at("/license/status").asString()).isEqualTo("ACTIVE");
        assertThat(response.json().at("/license/devices_used").asInt()).isEqualTo(1);
        assertThat(response.json().at("/license/device_limit").asInt()).isEqualTo(2);
        assertThat(response.json().at("/license/features/0").asString()).isEqualTo("export");
        assertThat(response.json().at("/license/activated_at").isString()).isTrue();
        assertThat(response.json().at("/device/hardware_hash").asString()).isEqualTo("hw-1");
        assertThat(response.json().at("/device/name").asString()).isEqualTo("Laptop");
        assertThat(response.json().at("/device/status").asString()).isEqualTo("ACTIVE");
    }

    @Test
    void reactivatingAnActiveDeviceIsIdempotent() {
        TestProduct product = product();
        String key = licenseKey(product, Map.of("device_limit", 1));

        assertThat(activate(product, key, "hw-1").json().get("new_device").asBoolean())
                .isTrue();
        Http.Response again = activate(product, key, "hw-1");

        assertThat(again.status()).isEqualTo(200);
        assertThat(again.json().get("new_device").asBoolean()).isFalse();
        assertThat(again.json().at("/license/devices_used").asInt()).isEqualTo(1);
    }

    @Test
    void keysAreAcceptedInAnyCaseAndWithoutDashes() {
        TestProduct product = product();
        String key = licenseKey(product, Map.of());

        Http.Response response = activate(product, key.toLowerCase().replace("-", ""), "hw-1");

        assertThat(response.status()).as(response.toString()).isEqualTo(200);
        assertThat(response.json().at("/license/license_key").asString()).isEqualTo(key);
    }

    @Test
    void refusesAnotherDeviceBeyondTheLimitAndSaysHowManyAreUsed() {
        TestProduct product = product();
        String key = licenseKey(product, Map.of("device_limit", 2));
        activate(product, key, "hw-1");
        activate(product, key, "hw-2");

        Http.Response third = activate(product, key, "hw-3");

        assertThat(third.status()).isEqualTo(409);
        assertThat(third.header("Content-Type")).startsWith("application/problem+json");
        assertThat(third.code()).isEqualTo("DEVICE_LIMIT_REACHED");
        assertThat(third.json().get("device_limit").asInt()).isEqualTo(2);
        assertThat(third.json().get("devices_used").asInt()).isEqualTo(2);
        assertThat(third.json().get("detail").asString()).contains("2 of 2");
        assertThat(third.json().get("status").asInt()).isEqualTo(409);
        assertThat(third.json().get("type").asString()).isNotBlank();
        assertThat(third.json().get("title").asString()).isEqualTo("Device limit reached");
    }

    @Test
    void deactivationFreesTheSlotForAnotherMachine() {
        TestProduct product = product();
        String key = licenseKey(product, Map.of("device_limit", 1));
        activate(product, key, "old-pc");

        Http.Response deactivated =
                client(product, "/api/license/deactivate", Map.of("license_key", key, "hardware_hash", "old-pc"));

        assertThat(deactivated.status()).as(deactivated.toString()).isEqualTo(200);
        assertThat(deactivated.json().get("deactivated").asBoolean()).isTrue();
        assertThat(deactivated.json().get("devices_used").asInt()).isZero();
        assertThat(deactivated.json().get("device_limit").asInt()).isEqualTo(1);
        assertThat(activate(product, key, "new-pc").status()).isEqualTo(200);
        assertThat(activate(product, key, "old-pc").code()).isEqualTo("DEVICE_LIMIT_REACHED");
    }

    @Test
    void deactivatingADeviceThatIsNotActiveIsRefused() {
        TestProduct product = product();
        String key = licenseKey(product, Map.of());

        Http.Response response =
                client(product, "/api/license/deactivate", Map.of("license_key", key, "hardware_hash", "never-seen"));

        assertThat(response.status()).isEqualTo(403);
        assertThat(response.code()).isEqualTo("DEVICE_NOT_ACTIVATED");
    }

    @Test
    void deactivationOfAnUnknownKeyOrABlockedDeviceIsRefused() {
        TestProduct product = product();
        String key = licenseKey(product, Map.of());
        activate(product, key, "hw-1");
        jdbc.sql("UPDATE devices SET status = 'BLOCKED' WHERE hardware_hash = 'hw-1'")
                .update();

        Http.Response unknown = client(
                product, "/api/license/deactivate", Map.of("license_key", "NO-SUCH-KEY", "hardware_hash", "hw-1"));
        Http.Response blocked =
                client(product, "/api/license/deactivate", Map.of("license_key", key, "hardware_hash", "hw-1"));

        assertThat(unknown.status()).isEqualTo(404);
        assertThat(unknown.code()).isEqualTo("LICENSE_NOT_FOUND");
        assertThat(blocked.status()).isEqualTo(403);
        assertThat(blocked.code()).isEqualTo("DEVICE_BLOCKED");
    }

    @Test
    void deactivationsAreLimitedPer30Days() {
        TestProduct product = product(Map.of("max_deactivations_per_30_days", 2));
        assertThat(adminGet("/api/admin/products/" + product.id())
                        .json()
                        .get("max_deactivations_per_30_days")
                        .asInt())
                .isEqualTo(2);
        String key = licenseKey(product, Map.of("device_limit", 1));
        for (int i = 0; i < 2; i++) {
            activate(product, key, "pc-" + i);
            assertThat(client(
                                    product,
                                    "/api/license/deactivate",
                                    Map.of("license_key", key, "hardware_hash", "pc-" + i))
                            .status())
                    .isEqualTo(200);
        }
        activate(product, key, "pc-2");

        Http.Response refused =
                client(product, "/api/license/deactivate", Map.of("license_key", key, "hardware_hash", "pc-2"));

        assertThat(refused.status()).isEqualTo(429);
        assertThat(refused.code()).isEqualTo("DEACTIVATION_LIMIT_REACHED");
        assertThat(Long.parseLong(refused.header("Retry-After"))).isBetween(29L * 86_400, 30L * 86_400);
        assertThat(refused.header("X-RateLimit-Limit")).isEqualTo("2");
        assertThat(refused.header("X-RateLimit-Remaining")).isEqualTo("0");
        assertThat(refused.header("X-RateLimit-Reset")).isNotBlank();
        assertThat(activeDevices(key)).isEqualTo(1);
    }

    @Test
    void aSingleUseLicenseStaysBoundToItsFirstDevice() {
        TestProduct product = product();
        String key = licenseKey(product, Map.of("device_limit", 2, "single_use", true));
        activate(product, key, "first");
        client(product, "/api/license/deactivate", Map.of("license_key", key, "hardware_hash", "first"));

        Http.Response other = activate(product, key, "second");

        assertThat(other.status()).isEqualTo(409);
        assertThat(other.code()).isEqualTo("LICENSE_ALREADY_USED");
        assertThat(activate(product, key, "first").status()).isEqualTo(200);
    }

    @Test
    void theFirstActivationStartsTheClockOfAFromFirstActivationLicense() {
        TestProduct product = product();
        String key = licenseKey(product, Map.of("duration_days", 30, "expiration_basis", "FROM_FIRST_ACTIVATION"));
        assertThat(info(product, key).json().get("expires_at").isNull()).isTrue();

        Instant before = Instant.now();
        Http.Response activated = activate(product, key, "hw-1");

        Instant expires =
                Instant.parse(activated.json().at("/license/expires_at").asString());
        assertThat(expires)
                .isBetween(
                        before.plus(Duration.ofDays(30)).minusSeconds(5),
                        Instant.now().plus(Duration.ofDays(30)));
        activate(product, key, "hw-1");
        assertThat(Instant.parse(info(product, key).json().get("expires_at").asString()))
                .isEqualTo(expires);
    }

    @Test
    void aLicenseFromCreationExpiresByItsDuration() {
        TestProduct product = product();
        String key = licenseKey(product, Map.of("duration_days", 365));

        Instant expires =
                Instant.parse(info(product, key).json().get("expires_at").asString());

        assertThat(expires)
                .isBetween(
                        Instant.now().plus(Duration.ofDays(364)), Instant.now().plus(Duration.ofDays(366)));
    }

    @Test
    void aNewNetworkCardDoesNotCostASlot() {
        TestProduct product = product();
        String key = licenseKey(product, Map.of("device_limit", 1));
        client(
                product,
                "/api/license/activate",
                Map.of(
                        "license_key",
                        key,
                        "hardware_hash",
                        "hash-before",
                        "components",
                        Map.of("mac", "aa:aa", "cpu_id", "cpu-1", "system_uuid", "uuid-1")));

        Http.Response changed = client(
                product,
                "/api/license/activate",
                Map.of(
                        "license_key",
                        key,
                        "hardware_hash",
                        "hash-after",
                        "components",
                        Map.of("mac", "bb:bb", "cpu_id", "cpu-1", "system_uuid", "uuid-1")));

        assertThat(changed.status()).as(changed.toString()).isEqualTo(200);
        assertThat(changed.json().get("new_device").asBoolean()).isFalse();
        assertThat(changed.json().at("/device/hardware_hash").asString()).isEqualTo("hash-after");
        assertThat(jdbc.sql(
                                "SELECT COUNT(*) FROM audit_log WHERE action = 'device.hardware_changed' AND new_value LIKE ?")
                        .param("%hash-after%")
                        .query(Long.class)
                        .single())
                .isEqualTo(1);
        Http.Response otherMachine = client(
                product,
                "/api/license/activate",
                Map.of(
                        "license_key",
                        key,
                        "hardware_hash",
                        "hash-other",
                        "components",
                        Map.of("mac", "cc:cc", "cpu_id", "cpu-9", "system_uuid", "uuid-1")));
        assertThat(otherMachine.code()).isEqualTo("DEVICE_LIMIT_REACHED");
    }

    @Test
    void aBlockedDeviceCannotActivate() {
        TestProduct product = product();
        String key = licenseKey(product, Map.of("device_limit", 3));
        activate(product, key, "hw-1");
        jdbc.sql("UPDATE devices SET status = 'BLOCKED' WHERE hardware_hash = 'hw-1' AND license_id = "
                        + "(SELECT id FROM licenses WHERE license_key = ?)")
                .param(key)
                .update();

        Http.Response response = activate(product, key, "hw-1");

        assertThat(response.status()).isEqualTo(403);
        assertThat(response.code()).isEqualTo("DEVICE_BLOCKED");
    }

    @Test
    void unusableLicensesAreRefusedWithTheirState() {
        TestProduct product = product();
        String suspended = licenseKey(product, Map.of());
        String revoked = licenseKey(product, Map.of());
        setStatus(suspended, "SUSPENDED");
        setStatus(revoked, "REVOKED");
        String expired = licenseKey(
                product, Map.of("expires_at", Instant.now().minusSeconds(60).toString()));
        String future = licenseKey(
                product, Map.of("valid_from", Instant.now().plusSeconds(3600).toString()));

        assertThat(activate(product, suspended, "hw").code()).isEqualTo("LICENSE_SUSPENDED");
        assertThat(activate(product, revoked, "hw").code()).isEqualTo("LICENSE_REVOKED");
        assertThat(activate(product, expired, "hw").code()).isEqualTo("LICENSE_EXPIRED");
        Http.Response notYet = activate(product, future, "hw");
        assertThat(notYet.status()).isEqualTo(403);
        assertThat(notYet.code()).isEqualTo("LICENSE_NOT_YET_VALID");
        assertThat(activeDevices(suspended) + activeDevices(revoked) + activeDevices(expired) + activeDevices(future))
                .isZero();
    }

    @Test
    void unknownForgedAndForeignKeysAreAllNotFound() {
        TestProduct product = product();
        TestProduct other = product();
        String key = licenseKey(product, Map.of());
        String foreign = licenseKey(other, Map.of());
        char last = key.charAt(key.length() - 1);
        String forged = key.substring(0, key.length() - 1) + (last == 'A' ? 'B' : 'A');

        for (String candidate :
                List.of(forged, foreign, "nonsense", product.prefix() + "-00000-00000-00000-00000-00000")) {
            Http.Response response = activate(product, candidate, "hw");
            assertThat(response.status()).as(candidate).isEqualTo(404);
            assertThat(response.code()).isEqualTo("LICENSE_NOT_FOUND");
        }
    }

    @Test
    void anOldVersionMustUpdateBeforeActivating() {
        TestProduct product = product(Map.of(
                "current_version", "2.1.0",
                "minimum_version", "2.0.0",
                "download_url", "https://example.com/download"));
        String key = licenseKey(product, Map.of());

        Http.Response old = client(
                product,
                "/api/license/activate",
                Map.of("license_key", key, "hardware_hash", "hw", "version", "1.9.9"));

        assertThat(old.status()).isEqualTo(426);
        assertThat(old.code()).isEqualTo("UPDATE_REQUIRED");
        assertThat(old.json().get("minimum_version").asString()).isEqualTo("2.0.0");
        assertThat(old.json().get("download_url").asString()).isEqualTo("https://example.com/download");
        assertThat(activeDevices(key)).isZero();
        assertThat(client(
                                product,
                                "/api/license/activate",
                                Map.of("license_key", key, "hardware_hash", "hw", "version", "2.0.0"))
                        .status())
                .isEqualTo(200);
    }

    @Test
    void legacyKeysCanBeImportedAndActivated() {
        TestProduct product = product();
        Http.Response imported = admin(
                "POST", "/api/admin/licenses", Map.of("product_id", product.id(), "license_key", "ABCD-1234-EFGH"));
        assertThat(imported.status()).as(imported.toString()).isEqualTo(201);
        assertThat(imported.json().get("legacy").asBoolean()).isTrue();

        assertThat(activate(product, "abcd1234efgh", "hw").status()).isEqualTo(200);
    }

    @Test
    void everyDecisionIsWrittenToTheValidationLog() {
        TestProduct product = product();
        String key = licenseKey(product, Map.of("device_limit", 1));
        activate(product, key, "hw-1");
        activate(product, key, "hw-2");

        List<String> results = validationResults(key);

        assertThat(results).containsExactly("OK", "DEVICE_LIMIT_REACHED");
    }

    private Http.Response info(TestProduct product, String key) {
        return http.get("/api/license/info/" + key, "X-API-Key", product.apiKey());
    }

    private void setStatus(String key, String status) {
        jdbc.sql("UPDATE licenses SET status = ? WHERE license_key = ?")
                .params(status, key)
                .update();
    }

    private int activeDevices(String key) {
        return jdbc.sql("SELECT COUNT(*) FROM devices d JOIN licenses l ON l.id = d.license_id "
                        + "WHERE l.license_key = ? AND d.status = 'ACTIVE'")
                .param(key)
                .query(Integer.class)
                .single();
    }

    private List<String> validationResults(String key) {
        validationLog.flush();
        return jdbc.sql("SELECT result_code FROM validation_log WHERE license_key = ? ORDER BY id")
                .param(key)
                .query(String.class)
                .list();
    }

    @org.springframework.beans.factory.annotation.Autowired
    private dev.licensor.server.audit.ValidationLog validationLog;
}
