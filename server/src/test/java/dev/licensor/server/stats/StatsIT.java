package dev.licensor.server.stats;

import static org.assertj.core.api.Assertions.assertThat;

import dev.licensor.server.testing.AbstractAdminIT;
import dev.licensor.server.testing.Http;
import java.util.Map;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

class StatsIT extends AbstractAdminIT {
    private static JsonNode find(JsonNode list, String idField, long id) {
        for (JsonNode item : list) {
            if (item.path(idField).asLong(-1) == id) {
                return item;
            }
        }
        throw new AssertionError("no " + idField + "=" + id + " in " + list);
    }

    private static long status(JsonNode stats, String status) {
        return stats.get("by_status").get(status).asLong();
    }

    @Test
    void countsLicensesByProductStatusAndTypeWithActivationFigures() {
        JsonNode before = ok(adminGet("/api/stats"));
        TestProduct product = product(Map.of("name", "Stats product"));
        long type = admin("POST", "/api/admin/license-types", Map.of("product_id", product.id(), "name", "Stat type"))
                .json()
                .get("id")
                .asLong();
        String used = licenseKey(product, Map.of("license_type_id", type, "device_limit", 2));
        licenseKey(product, Map.of("license_type_id", type));
        String suspended = licenseKey(product, Map.of());
        String revoked = licenseKey(product, Map.of());
        licenseKey(product, Map.of("expires_at", "2021-01-01T00:00:00Z"));
        assertThat(activate(product, used, "hw-1").status()).isEqualTo(200);
        assertThat(activate(product, used, "hw-2").status()).isEqualTo(200);
        assertThat(activate(product, suspended, "hw-3").status()).isEqualTo(200);
        admin("POST", "/api/admin/licenses/" + suspended + "/suspend", null);
        admin("POST", "/api/admin/licenses/" + revoked + "/revoke", null);

        JsonNode after = ok(adminGet("/api/stats"));
        assertThat(after.get("licenses_total").asLong()
                        - before.get("licenses_total").asLong())
                .isEqualTo(5);
        assertThat(status(after, "ACTIVE") - status(before, "ACTIVE")).isEqualTo(2);
        assertThat(status(after, "EXPIRED") - status(before, "EXPIRED")).isEqualTo(1);
        assertThat(status(after, "SUSPENDED") - status(before, "SUSPENDED")).isEqualTo(1);
        assertThat(status(after, "REVOKED") - status(before, "REVOKED")).isEqualTo(1);
        JsonNode byProduct = find(after.get("by_product"), "product_id", product.id());
        assertThat(byProduct.get("name").asString()).isEqualTo("Stats product");
        assertThat(byProduct.get("licenses").asLong()).isEqualTo(5);
        JsonNode byType = find(after.get("by_type"), "license_type_id", type);
        assertThat(byType.get("name").asString()).isEqualTo("Stat type");
        assertThat(byType.get("licenses").asLong()).isEqualTo(2);
        assertThat(after.get("activated_licenses").asLong()
                        - before.get("activated_licenses").asLong())
                .isEqualTo(2);
        assertThat(after.get("keys_unused").asLong() - before.get("keys_unused").asLong())
                .isEqualTo(3);
        assertThat(after.get("activations_today").asLong()
                        - before.get("activations_today").asLong())
                .isEqualTo(3);
        double rate = after.get("activation_rate").asDouble();
        assertThat(rate)
                .isEqualTo((double) after.get("activated_licenses").asLong()
                        / after.get("licenses_total").asLong());
        assertThat(after.get("live_sessions").asLong()).isGreaterThanOrEqualTo(0);
    }

    @Test
    void everyAdminRoleReadsStatsAndNobodyElse() {
        for (Role role : Role.values()) {
            assertThat(as(role, "GET", "/api/stats", null).status()).isEqualTo(200);
        }
        Http.Response anonymous = http.get("/api/stats");
        assertThat(anonymous.status()).isEqualTo(401);
        assertThat(anonymous.code()).isEqualTo("UNAUTHORIZED");
        TestProduct product = product();
        assertThat(http.get("/api/stats", "X-API-Key", product.apiKey()).status())
                .isEqualTo(401);
        assertThat(admin("POST", "/api/stats", Map.of()).status()).isIn(403, 405);
    }
}
