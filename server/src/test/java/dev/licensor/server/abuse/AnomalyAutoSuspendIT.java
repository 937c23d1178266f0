package dev.licensor.server.abuse;

import static org.assertj.core.api.Assertions.assertThat;

import dev.licensor.server.settings.Settings;
import dev.licensor.server.settings.Toggle;
import dev.licensor.server.testing.AbstractIT;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.test.context.TestPropertySource;
import tools.jackson.databind.JsonNode;

/** The property switches auto-suspend on by default; the panel setting, once stored, wins. */
@TestPropertySource(properties = "licensor.anomaly.auto-suspend=true")
class AnomalyAutoSuspendIT extends AbstractIT {
    @Autowired
    Anomalies anomalies;

    @Autowired
    Settings settings;

    @BeforeEach
    @AfterEach
    void noStoredSetting() {
        jdbc.sql("DELETE FROM settings WHERE name = ?")
                .param(Toggle.ANOMALY_AUTO_SUSPEND.key())
                .update();
    }

    /** A license used from six addresses within the hour: the too_many_ips rule flags it. */
    private String flaggedLicense(TestProduct product) {
        JsonNode created = license(product, Map.of());
        long id = created.get("id").asLong();
        String key = created.get("license_key").asString();
        verifiedFrom(null, id, key, Instant.now().minus(Duration.ofMinutes(30)), "198.19.0.", 6);
        return key;
    }

    @Test
    void suspendsAFlaggedLicenseWhenConfigured() {
        TestProduct product = product();
        String key = flaggedLicense(product);
        long id = adminGet("/api/admin/licenses/" + key).json().get("id").asLong();
        assertThat(settings.enabled(Toggle.ANOMALY_AUTO_SUSPEND))
                .as("the panel shows the property's value")
                .isTrue();

        anomalies.scan();

        assertThat(client(product, "/api/license/verify", Map.of("license_key", key))
                        .code())
                .isEqualTo("SUSPENDED");
        assertThat(jdbc.sql("SELECT COUNT(*) FROM audit_log WHERE action = 'license.suspend' AND entity_id = ?")
                        .param(Long.toString(id))
                        .query(Long.class)
                        .single())
                .isEqualTo(1);
    }

    @Test
    void theStoredSettingWinsOverTheProperty() {
        settings.set(Toggle.ANOMALY_AUTO_SUSPEND, false);
        TestProduct product = product();
        String key = flaggedLicense(product);

        anomalies.scan();

        JsonNode license = adminGet("/api/admin/licenses/" + key).json();
        assertThat(license.get("suspicious").asBoolean()).isTrue();
        assertThat(license.get("status").asString()).isEqualTo("ACTIVE");
    }
}
