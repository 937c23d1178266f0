package dev.licensor.server.license;

import static org.assertj.core.api.Assertions.assertThat;

import dev.licensor.server.testing.AbstractAdminIT;
import dev.licensor.server.testing.Http;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import tools.jackson.databind.JsonNode;

class DeviceAdminIT extends AbstractAdminIT {
    @Autowired
    RecordedEvents events;

    private long deviceId(String key, String hardwareHash) {
        JsonNode devices = items(adminGet("/api/admin/licenses/" + key + "/devices"));
        for (JsonNode device : devices) {
            if (device.get("hardware_hash").asString().equals(hardwareHash)) {
                return device.get("id").asLong();
            }
        }
        throw new AssertionError("no device " + hardwareHash + " in " + devices);
    }

    private String verifyCode(TestProduct product, String key, String hardwareHash) {
        return client(product, "/api/license/verify", Map.of("license_key", key, "hardware_hash", hardwareHash))
                .json()
                .get("code")
                .asString();
    }

    @Test
    void listsDevicesAndDeactivatesOneFreeingItsSlotWithoutUsingTheClientsQuota() {
        TestProduct product = product(Map.of("max_deactivations_per_30_days", 1));
        JsonNode license = license(product, Map.of("device_limit", 1));
        String key = license.get("license_key").asString();
        long licenseId = license.get("id").asLong();
        assertThat(client(
                                product,
                                "/api/license/activate",
                                Map.of("license_key", key, "hardware_hash", "hw-1", "device_name", "Laptop"))
                        .status())
                .isEqualTo(200);

        JsonNode devices = items(adminGet("/api/admin/licenses/" + key + "/devices"));
        assertThat(devices.size()).isEqualTo(1);
        assertThat(devices.get(0).get("name").asString()).isEqualTo("Laptop");
        assertThat(devices.get(0).get("status").asString()).isEqualTo("ACTIVE");
        long device = devices.get(0).get("id").asLong();

        JsonNode deactivated =
                ok(admin("POST", "/api/admin/licenses/" + key + "/devices/" + device + "/deactivate", null));
        assertThat(deactivated.get("status").asString()).isEqualTo("DEACTIVATED");
        assertThat(deactivated.get("deactivated_at").isNull()).isFalse();
        assertThat(verifyCode(product, key, "hw-1")).isEqualTo("DEVICE_NOT_ACTIVATED");
        assertThat(ok(adminGet("/api/admin/licenses/" + key))
                        .get("devices_used")
                        .asInt())
                .isZero();
        assertThat(events.of(licenseId))
                .containsExactly(new RecordedEvents.Recorded(
                        new DeviceDeactivated(licenseId, device, DeviceStatus.DEACTIVATED), true));
        // Deactivating again is a no-op.
        assertThat(ok(admin("POST", "/api/admin/licenses/" + key + "/devices/" + device + "/deactivate", null))
                        .get("status")
                        .asString())
                .isEqualTo("DEACTIVATED");
        assertThat(events.of(licenseId)).hasSize(1);

        // The slot is free, and the client's own quota of one deactivation is still there.
        assertThat(activate(product, key, "hw-2").status()).isEqualTo(200);
        assertThat(admin(
                                "POST",
                                "/api/admin/licenses/" + key + "/devices/" + deviceId(key, "hw-2") + "/deactivate",
                                null)
                        .status())
                .isEqualTo(200);
        assertThat(activate(product, key, "hw-3").status()).isEqualTo(200);
        Http.Response own =
                client(product, "/api/license/deactivate", Map.of("license_key", key, "hardware_hash", "hw-3"));
        assertThat(own.status()).as(own.toString()).isEqualTo(200);
        assertThat(auditActions("device", device)).containsExactly("device.deactivate");
    }

    @Test
    void listsDevicesAsAPageOldestFirstWithEveryStatus() {
        TestProduct product = product();
        String key = licenseKey(product, Map.of("device_limit", 3));
        String other = licenseKey(product, Map.of());
        for (String hardwareHash : List.of("hw-1", "hw-2", "hw-3")) {
            assertThat(activate(product, key, hardwareHash).status()).isEqualTo(200);
        }
        assertThat(activate(product, other, "hw-x").status()).isEqualTo(200);
        ok(admin("POST", "/api/admin/licenses/" + key + "/devices/" + deviceId(key, "hw-2") + "/block", null));

        JsonNode devices = assertPagedList("/api/admin/licenses/" + key + "/devices", 3);
        assertThat(devices.valueStream().map(d -> d.get("hardware_hash").asString()))
                .containsExactly("hw-1", "hw-2", "hw-3");
        assertThat(devices.valueStream().map(d -> d.get("status").asString()))
                .containsExactly("ACTIVE", "BLOCKED", "ACTIVE");
        assertThat(items(adminGet("/api/admin/licenses/" + other + "/devices?size=500")))
                .singleElement()
                .satisfies(d -> assertThat(d.get("hardware_hash").asString()).isEqualTo("hw-x"));
    }

    @Test
    void blocksADeviceSoItCannotActivateAndUnblocksItBackToDeactivated() {
        TestProduct product = product();
        JsonNode license = license(product, Map.of("device_limit", 1));
        String key = license.get("license_key").asString();
        long licenseId = license.get("id").asLong();
        assertThat(activate(product, key, "hw-1").status()).isEqualTo(200);
        long device = deviceId(key, "hw-1");
        String base = "/api/admin/licenses/" + key + "/devices/" + device;

        JsonNode blocked = ok(admin("POST", base + "/block", Map.of("reason", "stolen laptop")));
        assertThat(blocked.get("status").asString()).isEqualTo("BLOCKED");
        assertThat(events.of(licenseId))
                .containsExactly(new RecordedEvents.Recorded(
                        new DeviceDeactivated(licenseId, device, DeviceStatus.BLOCKED), true));
        Http.Response again = activate(product, key, "hw-1");
        assertThat(again.status()).isEqualTo(403);
        assertThat(again.code()).isEqualTo("DEVICE_BLOCKED");
        assertThat(verifyCode(product, key, "hw-1")).isEqualTo("DEVICE_BLOCKED");
        // The blocked device no longer holds the only slot.
        assertThat(activate(product, key, "hw-2").status()).isEqualTo(200);

        Http.Response notBlocked = admin("POST", base + "/deactivate", null);
        assertThat(notBlocked.status()).isEqualTo(409);
        assertThat(notBlocked.json().get("device_status").asString()).isEqualTo("BLOCKED");

        JsonNode unblocked = ok(admin("POST", base + "/unblock", null));
        assertThat(unblocked.get("status").asString()).isEqualTo("DEACTIVATED");
        assertThat(verifyCode(product, key, "hw-1")).isEqualTo("DEVICE_NOT_ACTIVATED");
        assertThat(activate(product, key, "hw-1").code()).isEqualTo("DEVICE_LIMIT_REACHED");
        admin("POST", "/api/admin/licenses/" + key + "/devices/" + deviceId(key, "hw-2") + "/deactivate", null);
        Http.Response reactivated = activate(product, key, "hw-1");
        assertThat(reactivated.status()).isEqualTo(200);
        assertThat(reactivated.json().get("new_device").asBoolean()).isTrue();

        Http.Response activeUnblock = admin("POST", base + "/unblock", null);
        assertThat(activeUnblock.status()).isEqualTo(409);
        assertThat(activeUnblock.code()).isEqualTo("CONFLICT");
        assertThat(auditActions("device", device)).containsExactly("device.block", "device.unblock");
        JsonNode audit = ok(adminGet("/api/admin/audit?entity_type=device&entity_id=" + device));
        assertThat(audit.at("/items/1/new_value/reason").asString()).isEqualTo("stolen laptop");
    }

    @Test
    void refusesUnknownDevicesAndBadIdsAndChecksRoles() {
        TestProduct product = product();
        String key = licenseKey(product, Map.of("device_limit", 2));
        String other = licenseKey(product, Map.of());
        assertThat(activate(product, key, "hw-1").status()).isEqualTo(200);
        assertThat(activate(product, other, "hw-x").status()).isEqualTo(200);
        long device = deviceId(key, "hw-1");
        long foreign = deviceId(other, "hw-x");
        token(Role.VIEWER);
        long audits = auditCount();

        assertThat(admin("POST", "/api/admin/licenses/" + key + "/devices/" + foreign + "/block", null)
                        .status())
                .isEqualTo(404);
        assertThat(admin("POST", "/api/admin/licenses/" + key + "/devices/999999999/block", null)
                        .status())
                .isEqualTo(404);
        assertInvalid(admin("POST", "/api/admin/licenses/" + key + "/devices/abc/block", null), "deviceId");
        assertInvalid(
                admin("POST", "/api/admin/licenses/" + key + "/devices/" + device + "/block", Map.of("x", 1)), "x");
        assertThat(adminGet("/api/admin/licenses/" + product.prefix() + "-00000-00000-00000-00000-00000/devices")
                        .status())
                .isEqualTo(404);
        assertThat(as(Role.VIEWER, "POST", "/api/admin/licenses/" + key + "/devices/" + device + "/block", null)
                        .status())
                .isEqualTo(403);
        assertThat(auditCount()).isEqualTo(audits);
        assertThat(verifyCode(product, key, "hw-1")).isEqualTo("VALID");
        assertThat(verifyCode(product, other, "hw-x")).isEqualTo("VALID");

        assertThat(as(Role.SUPPORT, "POST", "/api/admin/licenses/" + key + "/devices/" + device + "/block", null)
                        .status())
                .isEqualTo(200);
        assertThat(as(Role.SUPPORT, "POST", "/api/admin/licenses/" + key + "/devices/" + device + "/unblock", null)
                        .status())
                .isEqualTo(200);
    }
}
