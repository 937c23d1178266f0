package dev.licensor.server.abuse;

import static org.assertj.core.api.Assertions.assertThat;

import dev.licensor.server.support.Db;
import dev.licensor.server.testing.AbstractIT;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.test.context.TestPropertySource;
import tools.jackson.databind.JsonNode;

@TestPropertySource(properties = "licensor.anomaly.auto-suspend=true")
class AnomalyAutoSuspendIT extends AbstractIT {
    @Autowired
    Anomalies anomalies;

    @Test
    void suspendsAFlaggedLicenseWhenConfigured() {
        TestProduct product = product();
        JsonNode created = license(product, Map.of());
        long id = created.get("id").asLong();
        String key = created.get("license_key").asString();
        for (int i = 1; i <= 6; i++) {
            jdbc.sql(
                            """
                            INSERT INTO validation_log (at, license_id, license_key, action, result_code, ip)
                            VALUES (?, ?, ?, 'verify', 'VALID', ?)""")
                    .params(Db.ts(Instant.now().minus(Duration.ofMinutes(30))), id, key, "198.19.0." + i)
                    .update();
        }

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
}
