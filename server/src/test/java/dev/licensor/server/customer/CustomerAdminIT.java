package dev.licensor.server.customer;

import static org.assertj.core.api.Assertions.assertThat;

import dev.licensor.server.testing.AbstractAdminIT;
import dev.licensor.server.testing.Http;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

class CustomerAdminIT extends AbstractAdminIT {
    @Test
    void createsReadsPatchesAndDeletesACustomerWithAuditRows() {
        Http.Response created = admin(
                "POST",
                "/api/admin/customers",
                Map.of(
                        "name", "  Jane Doe ",
                        "email", "jane@example.com",
                        "company", "Example GmbH",
                        "phone", "+49 30 123456",
                        "notes", "reseller",
                        "test", true));
        assertThat(created.status()).as(created.toString()).isEqualTo(201);
        JsonNode customer = created.json();
        long id = customer.get("id").asLong();
        assertThat(customer.get("name").asString()).isEqualTo("Jane Doe");
        assertThat(customer.get("email").asString()).isEqualTo("jane@example.com");
        assertThat(customer.get("test").asBoolean()).isTrue();
        assertThat(customer.has("created_at")).isTrue();

        assertThat(ok(adminGet("/api/admin/customers/" + id)).get("company").asString())
                .isEqualTo("Example GmbH");

        Map<String, Object> patch = new HashMap<>();
        patch.put("company", null);
        patch.put("phone", "");
        patch.put("test", false);
        JsonNode patched = ok(admin("PATCH", "/api/admin/customers/" + id, patch));
        assertThat(patched.get("company").isNull()).isTrue();
        assertThat(patched.get("phone").isNull()).isTrue();
        assertThat(patched.get("test").asBoolean()).isFalse();
        assertThat(patched.get("email").asString()).isEqualTo("jane@example.com");

        assertThat(admin("DELETE", "/api/admin/customers/" + id, null).status()).isEqualTo(204);
        assertThat(adminGet("/api/admin/customers/" + id).status()).isEqualTo(404);
        assertThat(auditActions("customer", id))
                .containsExactly("customer.create", "customer.update", "customer.delete");
    }

    @Test
    void searchesNameEmailAndCompanyIgnoringCaseWithPaging() {
        String tag = UUID.randomUUID().toString().substring(0, 8);
        long byName = customer("Zed " + tag + " Smith", Map.of());
        long byEmail = customer("Other", Map.of("email", "x." + tag.toUpperCase() + "@example.com"));
        long byCompany = customer("Third", Map.of("company", "ACME " + tag));
        customer("Unrelated", Map.of());

        JsonNode all = ok(adminGet("/api/admin/customers?q=" + tag.toUpperCase()));
        assertThat(all.get("total").asLong()).isEqualTo(3);
        assertThat(all.get("items").valueStream().map(c -> c.get("id").asLong()).toList())
                .containsExactlyInAnyOrder(byName, byEmail, byCompany);

        JsonNode page = ok(adminGet("/api/admin/customers?q=" + tag + "&page=1&size=2"));
        assertThat(page.get("page").asInt()).isEqualTo(1);
        assertThat(page.get("size").asInt()).isEqualTo(2);
        assertThat(page.get("total").asLong()).isEqualTo(3);
        assertThat(page.get("items").size()).isEqualTo(1);

        // LIKE wildcards are searched for literally.
        assertThat(ok(adminGet("/api/admin/customers?q=%25" + tag)).get("total").asLong())
                .isZero();
    }

    @Test
    void listsACustomersLicensesWithQuickStats() {
        TestProduct product = product();
        long id = customer("Licensed " + UUID.randomUUID(), Map.of());
        String active = licenseKey(product, Map.of("customer_id", id, "device_limit", 3));
        String suspended = licenseKey(product, Map.of("customer_id", id));
        licenseKey(product, Map.of("customer_id", id, "expires_at", "2020-01-01T00:00:00Z"));
        licenseKey(product, Map.of());
        assertThat(activate(product, active, "hw-a").status()).isEqualTo(200);
        assertThat(activate(product, active, "hw-b").status()).isEqualTo(200);
        assertThat(admin("POST", "/api/admin/licenses/" + suspended + "/suspend", null)
                        .status())
                .isEqualTo(200);

        JsonNode answer = ok(adminGet("/api/admin/customers/" + id + "/licenses"));
        assertThat(answer.get("total").asLong()).isEqualTo(3);
        assertThat(answer.get("items").size()).isEqualTo(3);
        JsonNode stats = answer.get("stats");
        assertThat(stats.get("licenses").asLong()).isEqualTo(3);
        assertThat(stats.at("/by_status/ACTIVE").asLong()).isEqualTo(1);
        assertThat(stats.at("/by_status/SUSPENDED").asLong()).isEqualTo(1);
        assertThat(stats.at("/by_status/EXPIRED").asLong()).isEqualTo(1);
        assertThat(stats.at("/by_status/REVOKED").asLong()).isZero();
        assertThat(stats.get("devices_in_use").asLong()).isEqualTo(2);

        assertThat(adminGet("/api/admin/customers/999999999/licenses").status()).isEqualTo(404);
    }

    @Test
    void deletingACustomerWithLicensesIsAConflictUnlessForcedWhichDetachesThem() {
        TestProduct product = product();
        long id = customer("Owner " + UUID.randomUUID(), Map.of());
        String key = licenseKey(product, Map.of("customer_id", id));
        assertThat(activate(product, key, "hw-1").status()).isEqualTo(200);

        Http.Response refused = admin("DELETE", "/api/admin/customers/" + id, null);
        assertThat(refused.status()).isEqualTo(409);
        assertThat(refused.code()).isEqualTo("CONFLICT");
        assertThat(refused.json().get("licenses").asLong()).isEqualTo(1);
        assertThat(refused.json().get("detail").asString()).contains("force=true");
        assertThat(adminGet("/api/admin/customers/" + id).status()).isEqualTo(200);

        assertThat(admin("DELETE", "/api/admin/customers/" + id + "?force=true", null)
                        .status())
                .isEqualTo(204);
        assertThat(adminGet("/api/admin/customers/" + id).status()).isEqualTo(404);
        JsonNode license = ok(adminGet("/api/admin/licenses/" + key));
        assertThat(license.get("customer_id").isNull()).isTrue();
        Http.Response verify =
                client(product, "/api/license/verify", Map.of("license_key", key, "hardware_hash", "hw-1"));
        assertThat(verify.json().get("code").asString()).isEqualTo("VALID");
        JsonNode audit = ok(adminGet("/api/admin/audit?entity_type=customer&entity_id=" + id));
        assertThat(audit.at("/items/0/action").asString()).isEqualTo("customer.delete");
        assertThat(audit.at("/items/0/new_value/detached_licenses").asInt()).isEqualTo(1);
    }

    @Test
    void refusesBadInputAndChangesNothing() {
        long id = customer("Stable", Map.of("email", "stable@example.com"));
        long audits = auditCount();
        long customers =
                jdbc.sql("SELECT COUNT(*) FROM customers").query(Long.class).single();

        assertInvalid(admin("POST", "/api/admin/customers", Map.of()), "name");
        assertInvalid(admin("POST", "/api/admin/customers", Map.of("name", "  ")), "name");
        assertInvalid(admin("POST", "/api/admin/customers", Map.of("name", 42)), "name");
        assertInvalid(admin("POST", "/api/admin/customers", Map.of("name", "x", "email", "not-an-email")), "email");
        assertInvalid(admin("POST", "/api/admin/customers", Map.of("name", "x", "phone", "call me")), "phone");
        assertInvalid(admin("POST", "/api/admin/customers", Map.of("name", "x", "test", "yes")), "test");
        assertInvalid(admin("POST", "/api/admin/customers", Map.of("name", "x", "vip", true)), "vip");
        assertInvalid(admin("POST", "/api/admin/customers", Map.of("name", "x", "notes", "n".repeat(10_001))), "notes");
        assertInvalid(admin("POST", "/api/admin/customers", "{\"name\": \"bad \\ud800 surrogate\"}"), "name");
        assertInvalid(admin("POST", "/api/admin/customers", "{\"name\": \"nul \\u0000\"}"), "name");
        assertThat(admin("POST", "/api/admin/customers", "{not json").status()).isEqualTo(400);
        assertThat(admin("POST", "/api/admin/customers", "[1, 2]").status()).isEqualTo(400);
        assertInvalid(admin("PATCH", "/api/admin/customers/" + id, Map.of("email", "broken")), "email");
        assertInvalid(admin("PATCH", "/api/admin/customers/" + id, Map.of("name", "")), "name");
        assertInvalid(adminGet("/api/admin/customers/abc"), "id");
        assertInvalid(adminGet("/api/admin/customers/99999999999999999999999"), "id");
        assertInvalid(admin("DELETE", "/api/admin/customers/abc", null), "id");
        assertInvalid(admin("DELETE", "/api/admin/customers/" + id + "?force=maybe", null), "force");
        assertInvalid(adminGet("/api/admin/customers?q=" + "q".repeat(201)), "q");
        assertInvalid(adminGet("/api/admin/customers?q=%00"), "q");
        assertInvalid(adminGet("/api/admin/customers?page=-1"), "page");
        assertInvalid(adminGet("/api/admin/customers?page=2147483647&size=500"), "page");
        assertInvalid(adminGet("/api/admin/customers?size=0"), "size");
        assertThat(adminGet("/api/admin/customers/999999999").status()).isEqualTo(404);
        assertThat(admin("PATCH", "/api/admin/customers/999999999", Map.of("name", "n"))
                        .status())
                .isEqualTo(404);
        assertThat(admin("DELETE", "/api/admin/customers/-5", null).status()).isEqualTo(404);

        assertThat(ok(adminGet("/api/admin/customers/" + id)).get("email").asString())
                .isEqualTo("stable@example.com");
        assertThat(jdbc.sql("SELECT COUNT(*) FROM customers").query(Long.class).single())
                .isEqualTo(customers);
        assertThat(auditCount()).isEqualTo(audits);
    }

    @Test
    void supportWritesCustomersViewersOnlyRead() {
        long id = customer("Roles", Map.of());
        Http.Response bySupport = as(Role.SUPPORT, "POST", "/api/admin/customers", Map.of("name", "From support"));
        assertThat(bySupport.status()).isEqualTo(201);
        assertThat(as(Role.SUPPORT, "PATCH", "/api/admin/customers/" + id, Map.of("notes", "n"))
                        .status())
                .isEqualTo(200);
        assertThat(as(
                                Role.SUPPORT,
                                "DELETE",
                                "/api/admin/customers/"
                                        + bySupport.json().get("id").asLong(),
                                null)
                        .status())
                .isEqualTo(204);
        List<String> actors = jdbc.sql("SELECT actor FROM audit_log WHERE entity_type = 'customer' AND entity_id = ?")
                .param(String.valueOf(id))
                .query(String.class)
                .list();
        assertThat(actors).anyMatch(a -> a.startsWith("token:support-"));

        assertThat(as(Role.VIEWER, "GET", "/api/admin/customers/" + id, null).status())
                .isEqualTo(200);
        assertThat(as(Role.VIEWER, "GET", "/api/admin/customers?q=Roles", null).status())
                .isEqualTo(200);
        assertThat(as(Role.VIEWER, "GET", "/api/admin/customers/" + id + "/licenses", null)
                        .status())
                .isEqualTo(200);
        assertThat(as(Role.VIEWER, "POST", "/api/admin/customers", Map.of("name", "v"))
                        .status())
                .isEqualTo(403);
        assertThat(as(Role.VIEWER, "PATCH", "/api/admin/customers/" + id, Map.of("name", "v"))
                        .status())
                .isEqualTo(403);
        assertThat(as(Role.VIEWER, "DELETE", "/api/admin/customers/" + id, null).status())
                .isEqualTo(403);
        assertThat(http.get("/api/admin/customers").status()).isEqualTo(401);
        assertThat(ok(adminGet("/api/admin/customers/" + id)).get("name").asString())
                .isEqualTo("Roles");
    }
}
