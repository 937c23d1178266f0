package dev.licensor.server.license;

import static org.assertj.core.api.Assertions.assertThat;

import dev.licensor.server.testing.AbstractAdminIT;
import dev.licensor.server.testing.Http;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

class LicenseTypeAdminIT extends AbstractAdminIT {
    private JsonNode type(TestProduct product, Map<String, Object> fields) {
        Map<String, Object> body = new HashMap<>(fields);
        body.put("product_id", product.id());
        body.putIfAbsent("name", "Type " + System.nanoTime());
        Http.Response created = admin("POST", "/api/admin/license-types", body);
        assertThat(created.status()).as(created.toString()).isEqualTo(201);
        return created.json();
    }

    @Test
    void createsReadsListsPatchesAndDeletesATypeWithAuditRows() {
        TestProduct product = product();
        Http.Response created = admin(
                "POST",
                "/api/admin/license-types",
                Map.of(
                        "product_id",
                        product.id(),
                        "name",
                        "Annual",
                        "duration_days",
                        365,
                        "expiration_basis",
                        "FROM_FIRST_ACTIVATION",
                        "device_limit",
                        3,
                        "concurrent_sessions_limit",
                        1,
                        "features",
                        List.of("export", "print"),
                        "single_use",
                        false));
        assertThat(created.status()).as(created.toString()).isEqualTo(201);
        JsonNode type = created.json();
        long id = type.get("id").asLong();
        assertThat(type.get("product_id").asLong()).isEqualTo(product.id());
        assertThat(type.get("duration_days").asInt()).isEqualTo(365);
        assertThat(type.get("expiration_basis").asString()).isEqualTo("FROM_FIRST_ACTIVATION");
        assertThat(type.get("device_limit").asInt()).isEqualTo(3);
        assertThat(type.get("concurrent_sessions_limit").asInt()).isEqualTo(1);
        assertThat(type.get("features").get(1).asString()).isEqualTo("print");
        assertThat(type.get("domains").asInt()).isZero();
        assertThat(type.get("ipv4_addresses").asInt()).isZero();
        assertThat(type.get("phone_numbers").asInt()).isZero();

        assertThat(ok(adminGet("/api/admin/license-types/" + id)).get("name").asString())
                .isEqualTo("Annual");
        JsonNode list = ok(adminGet("/api/admin/license-types?product_id=" + product.id()));
        assertThat(list.get("total").asLong()).isEqualTo(1);
        assertThat(list.get("items").get(0).get("id").asLong()).isEqualTo(id);

        JsonNode patched =
                ok(admin("PATCH", "/api/admin/license-types/" + id, Map.of("device_limit", 5, "name", "Annual 5")));
        assertThat(patched.get("device_limit").asInt()).isEqualTo(5);
        assertThat(patched.get("concurrent_sessions_limit").asInt()).isEqualTo(1);
        assertThat(patched.get("name").asString()).isEqualTo("Annual 5");
        JsonNode withResources = ok(admin(
                "PATCH",
                "/api/admin/license-types/" + id,
                Map.of("domains", 2, "ipv4_addresses", 1, "phone_numbers", 1)));
        assertThat(withResources.get("domains").asInt()).isEqualTo(2);
        assertThat(withResources.get("ipv4_addresses").asInt()).isEqualTo(1);
        assertThat(ok(adminGet("/api/admin/license-types/" + id))
                        .get("phone_numbers")
                        .asInt())
                .isEqualTo(1);

        Http.Response deleted = admin("DELETE", "/api/admin/license-types/" + id, null);
        assertThat(deleted.status()).isEqualTo(204);
        assertThat(adminGet("/api/admin/license-types/" + id).status()).isEqualTo(404);
        assertThat(auditActions("license_type", id))
                .containsExactly(
                        "license_type.create", "license_type.update", "license_type.update", "license_type.delete");
    }

    @Test
    void aPerpetualTypeDefaultsItsSessionLimitToTheDeviceLimitAndLicensesStartFromIt() {
        TestProduct product = product();
        JsonNode type = type(product, Map.of("device_limit", 4));
        assertThat(type.get("duration_days").isNull()).isTrue();
        assertThat(type.get("expiration_basis").asString()).isEqualTo("FROM_CREATION");
        assertThat(type.get("concurrent_sessions_limit").asInt()).isEqualTo(4);

        JsonNode license =
                license(product, Map.of("license_type_id", type.get("id").asLong()));
        assertThat(license.get("device_limit").asInt()).isEqualTo(4);
        assertThat(license.get("expires_at").isNull()).isTrue();
        assertThat(license.get("type").asString()).isEqualTo(type.get("name").asString());
    }

    @Test
    void deletingATypeInUseIsAConflictUnlessForcedWhichKeepsTheLicensesSettings() {
        TestProduct product = product();
        JsonNode type = type(product, Map.of("device_limit", 2, "duration_days", 30));
        long id = type.get("id").asLong();
        String key = licenseKey(product, Map.of("license_type_id", id));

        Http.Response refused = admin("DELETE", "/api/admin/license-types/" + id, null);
        assertThat(refused.status()).isEqualTo(409);
        assertThat(refused.code()).isEqualTo("CONFLICT");
        assertThat(refused.json().get("licenses").asLong()).isEqualTo(1);
        assertThat(adminGet("/api/admin/license-types/" + id).status()).isEqualTo(200);

        assertThat(admin("DELETE", "/api/admin/license-types/" + id + "?force=true", null)
                        .status())
                .isEqualTo(204);
        JsonNode license = ok(adminGet("/api/admin/licenses/" + key));
        assertThat(license.get("license_type_id").isNull()).isTrue();
        assertThat(license.get("device_limit").asInt()).isEqualTo(2);
        assertThat(license.get("expires_at").isNull()).isFalse();
    }

    @Test
    void refusesBadInputAndChangesNothing() {
        TestProduct product = product();
        JsonNode type = type(product, Map.of("name", "Base", "device_limit", 2));
        long id = type.get("id").asLong();
        long audits = auditCount();

        assertInvalid(admin("POST", "/api/admin/license-types", Map.of("name", "No product")), "product_id");
        assertInvalid(
                admin("POST", "/api/admin/license-types", Map.of("product_id", 999_999_999, "name", "x")),
                "product_id");
        assertInvalid(
                admin(
                        "POST",
                        "/api/admin/license-types",
                        Map.of(
                                "product_id",
                                product.id(),
                                "name",
                                "x",
                                "device_limit",
                                2,
                                "concurrent_sessions_limit",
                                3)),
                "concurrent_sessions_limit");
        assertInvalid(
                admin(
                        "POST",
                        "/api/admin/license-types",
                        Map.of("product_id", product.id(), "name", "x", "duration_days", 0)),
                "duration_days");
        assertInvalid(
                admin(
                        "POST",
                        "/api/admin/license-types",
                        Map.of("product_id", product.id(), "name", "x", "expiration_basis", "LATER")),
                "expiration_basis");
        assertInvalid(
                admin(
                        "POST",
                        "/api/admin/license-types",
                        Map.of("product_id", product.id(), "name", "x", "colour", "red")),
                "colour");
        assertInvalid(
                admin("POST", "/api/admin/license-types", Map.of("product_id", product.id(), "name", "Base")), "name");
        assertInvalid(
                admin("POST", "/api/admin/license-types", Map.of("product_id", product.id(), "name", "a".repeat(201))),
                "name");
        assertInvalid(
                admin("POST", "/api/admin/license-types", Map.of("product_id", product.id(), "name", "nul\u0000")),
                "name");
        assertInvalid(
                admin("PATCH", "/api/admin/license-types/" + id, Map.of("product_id", product.id())), "product_id");
        assertInvalid(
                admin("PATCH", "/api/admin/license-types/" + id, Map.of("concurrent_sessions_limit", 3)),
                "concurrent_sessions_limit");
        assertInvalid(admin("PATCH", "/api/admin/license-types/" + id, Map.of("device_limit", "many")), "device_limit");
        assertInvalid(admin("PATCH", "/api/admin/license-types/" + id, Map.of("domains", -1)), "domains");
        assertInvalid(
                admin("PATCH", "/api/admin/license-types/" + id, Map.of("ipv4_addresses", 1.5)), "ipv4_addresses");
        assertInvalid(
                admin(
                        "POST",
                        "/api/admin/license-types",
                        Map.of("product_id", product.id(), "name", "y", "phone_numbers", "one")),
                "phone_numbers");
        assertInvalid(adminGet("/api/admin/license-types/abc"), "id");
        assertInvalid(adminGet("/api/admin/license-types?product_id=x"), "product_id");
        assertInvalid(adminGet("/api/admin/license-types?size=100000"), "size");
        assertThat(admin("PATCH", "/api/admin/license-types/999999999", Map.of("name", "y"))
                        .status())
                .isEqualTo(404);
        assertThat(admin("DELETE", "/api/admin/license-types/999999999", null).status())
                .isEqualTo(404);
        assertThat(admin("POST", "/api/admin/license-types", "{\"name\": ").status())
                .isEqualTo(400);

        assertThat(ok(adminGet("/api/admin/license-types/" + id))
                        .get("device_limit")
                        .asInt())
                .isEqualTo(2);
        assertThat(ok(adminGet("/api/admin/license-types?product_id=" + product.id()))
                        .get("total")
                        .asLong())
                .isEqualTo(1);
        assertThat(auditCount()).isEqualTo(audits);
    }

    @Test
    void everyRoleReadsButOnlyAdminsWrite() {
        TestProduct product = product();
        long id = type(product, Map.of()).get("id").asLong();
        for (Role role : List.of(Role.SUPPORT, Role.VIEWER)) {
            assertThat(as(role, "GET", "/api/admin/license-types/" + id, null).status())
                    .isEqualTo(200);
            assertThat(as(role, "GET", "/api/admin/license-types", null).status())
                    .isEqualTo(200);
            Http.Response create =
                    as(role, "POST", "/api/admin/license-types", Map.of("product_id", product.id(), "name", "r"));
            assertThat(create.status()).isEqualTo(403);
            assertThat(create.code()).isEqualTo("FORBIDDEN");
            assertThat(as(role, "PATCH", "/api/admin/license-types/" + id, Map.of("name", "r"))
                            .status())
                    .isEqualTo(403);
            assertThat(as(role, "DELETE", "/api/admin/license-types/" + id, null)
                            .status())
                    .isEqualTo(403);
        }
        assertThat(http.get("/api/admin/license-types").status()).isEqualTo(401);
        assertThat(as(Role.ADMIN, "PATCH", "/api/admin/license-types/" + id, Map.of("name", "by admin"))
                        .status())
                .isEqualTo(200);
    }
}
