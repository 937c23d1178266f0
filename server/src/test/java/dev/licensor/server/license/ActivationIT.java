package dev.licensor.server.license;

import static org.assertj.core.api.Assertions.assertThat;

import dev.licensor.server.testing.AbstractIT;
import dev.licensor.server.testing.Http;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ActivationIT extends AbstractIT {
    @Test
    void activatesADeviceAndAnswersTheLicense() {
        TestProduct product = product(Map.of("name", "Account Forger"));
        String key = licenseKey(product, Map.of("device_limit", 2, "features", java.util.List.of("export")));

        Http.Response response = client(
                product,
                "/api/license/activate",
                Map.of("license_key", key, "hardware_hash", "hw-1", "device_name", "Laptop", "os", "Linux"));

        assertThat(response.status()).as(response.toString()).isEqualTo(200);
        assertThat(response.json().get("activated").asBoolean()).isTrue();
        assertThat(response.json().get("new_device").asBoolean()).isTrue();
        assertThat(response.json().at("/license/license_key").asString()).isEqualTo(key);
        assertThat(response.json().at("/license/product").asString()).isEqualTo("Account Forger");
        assertThat(response.json().at("/license/devices_used").asInt()).isEqualTo(1);
        assertThat(response.json().at("/license/device_limit").asInt()).isEqualTo(2);
        assertThat(response.json().at("/license/features/0").asString()).isEqualTo("export");
        assertThat(response.json().at("/device/hardware_hash").asString()).isEqualTo("hw-1");
        assertThat(response.json().at("/device/name").asString()).isEqualTo("Laptop");
    }
}
