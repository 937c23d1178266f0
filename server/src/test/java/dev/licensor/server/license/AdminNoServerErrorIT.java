package dev.licensor.server.license;

import static org.assertj.core.api.Assertions.assertThat;

import dev.licensor.server.testing.AbstractAdminIT;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/** Odd input on every admin endpoint of this feature: always a 4xx, never a server error, nothing changed. */
class AdminNoServerErrorIT extends AbstractAdminIT {
    private static final List<String> BODIES = List.of(
            "",
            "null",
            "[]",
            "42",
            "\"text\"",
            "{",
            "{\"a\":",
            "{\"name\": null}",
            "{\"name\": \"\\u0000\"}",
            "{\"name\": \"\\ud800\"}",
            "{\"product_id\": -1, \"name\": \"x\"}",
            "{\"product_id\": 1e400, \"name\": \"x\"}",
            "{\"product_id\": 99999999999999999999999, \"name\": \"x\"}",
            "{\"device_limit\": -5}",
            "{\"device_limit\": 2147483648}",
            "{\"expires_at\": \"+999999999-12-31T23:59:59Z\"}",
            "{\"valid_from\": \"9999-12-31T00:00:00Z\", \"duration_days\": 36500, \"product_id\": 1}",
            "{\"until\": \"-999999999-01-01T00:00:00Z\"}",
            "{\"days\": 1.5}",
            "{\"features\": [1, 2]}",
            "{\"features\": {\"a\": 1}}",
            "{\"reason\": [\"x\"]}",
            "{\"test\": \"true\"}",
            "{\"email\": \"" + "a".repeat(400) + "@x.io\"}",
            "{\"count\": 100000, \"product_id\": 1}");

    @Test
    void oddInputNeverCausesAServerError() {
        TestProduct product = product();
        String key = licenseKey(product, Map.of("device_limit", 2, "expires_at", "2099-01-01T00:00:00Z"));
        activate(product, key, "hw-1");
        long customer = customer("Fuzz", Map.of());
        long type = admin("POST", "/api/admin/license-types", Map.of("product_id", product.id(), "name", "Fuzz"))
                .json()
                .get("id")
                .asLong();
        long device = items(adminGet("/api/admin/licenses/" + key + "/devices"))
                .get(0)
                .get("id")
                .asLong();
        JsonNode before = ok(adminGet("/api/admin/licenses/" + key));
        long audits = auditCount();

        List<String[]> targets = new ArrayList<>();
        for (String path : List.of(
                "/api/admin/license-types",
                "/api/admin/customers",
                "/api/admin/licenses",
                "/api/admin/licenses/batch",
                "/api/admin/licenses/" + key + "/suspend",
                "/api/admin/licenses/" + key + "/extend",
                "/api/admin/licenses/" + key + "/devices/" + device + "/block")) {
            targets.add(new String[] {"POST", path});
        }
        for (String path : List.of(
                "/api/admin/license-types/" + type, "/api/admin/customers/" + customer, "/api/admin/licenses/" + key)) {
            targets.add(new String[] {"PATCH", path});
        }
        List<String> failures = oddInputFailures(
                targets,
                BODIES,
                (target, body, status) -> {
                    // Only suspend and block take no body: without one they act, as they should.
                    boolean optionalBody = target[1].endsWith("/suspend") || target[1].endsWith("/block");
                    boolean mayAct = optionalBody && (body.isEmpty() || body.equals("null"));
                    return status < 500 && (status >= 400 || mayAct);
                },
                List.of(
                        "/api/admin/customers/1%2F2",
                        "/api/admin/customers/1.5",
                        "/api/admin/customers/%20",
                        "/api/admin/licenses/%E2%82%AC%E2%82%AC%E2%82%AC%E2%82%AC",
                        "/api/admin/licenses/" + key + "/devices/-1/block",
                        "/api/admin/licenses/" + key + "/devices?page=99999999&size=500",
                        "/api/admin/licenses/" + key + "/devices?size=x",
                        "/api/admin/licenses?page=99999999&size=500",
                        "/api/admin/signing-keys?page=99999999&size=500",
                        "/api/admin/signing-keys?size=x",
                        "/api/admin/products/" + product.id() + "/webhooks?page=2147483647&size=500",
                        "/api/admin/products/" + product.id() + "/webhooks?page=-1",
                        "/api/admin/licenses?expiring_within_days=2147483648",
                        "/api/admin/customers?q=%F0%9F%98%80",
                        "/api/admin/customers?q=%ED%A0%80",
                        "/api/admin/audit?since=%00",
                        "/api/admin/validations?license_key=%00"));
        assertThat(failures).isEmpty();
        JsonNode after = ok(adminGet("/api/admin/licenses/" + key));
        // Only suspend and block without a body may have acted; nothing else changed.
        for (String field : List.of(
                "device_limit",
                "concurrent_sessions_limit",
                "expires_at",
                "valid_from",
                "notes",
                "features",
                "customer_id",
                "license_type_id",
                "single_use")) {
            assertThat(after.get(field)).as(field).isEqualTo(before.get(field));
        }
        assertThat(ok(adminGet("/api/admin/customers/" + customer)).get("name").asString())
                .isEqualTo("Fuzz");
        assertThat(ok(adminGet("/api/admin/license-types/" + type)).get("name").asString())
                .isEqualTo("Fuzz");
        assertThat(auditCount() - audits).isLessThanOrEqualTo(2);
    }
}
