package dev.licensor.server.audit;

import static org.assertj.core.api.Assertions.assertThat;

import dev.licensor.server.testing.AbstractAdminIT;
import java.time.Instant;
import java.util.Locale;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import tools.jackson.databind.JsonNode;

class LogAdminIT extends AbstractAdminIT {
    @Autowired
    ValidationLog validationLog;

    @Test
    void listsAuditRowsNewestFirstWithFilters() {
        Instant start = Instant.now().minusSeconds(1);
        long customer = customer("Audited", Map.of());
        admin("PATCH", "/api/admin/customers/" + customer, Map.of("notes", "one"));
        as(Role.SUPPORT, "PATCH", "/api/admin/customers/" + customer, Map.of("notes", "two"));

        JsonNode rows = ok(adminGet("/api/admin/audit?entity_type=customer&entity_id=" + customer));
        assertThat(rows.get("total").asLong()).isEqualTo(3);
        assertThat(rows.at("/items/0/action").asString()).isEqualTo("customer.update");
        assertThat(rows.at("/items/0/old_value/notes").asString()).isEqualTo("one");
        assertThat(rows.at("/items/0/new_value/notes").asString()).isEqualTo("two");
        assertThat(rows.at("/items/2/action").asString()).isEqualTo("customer.create");
        assertThat(rows.at("/items/2/old_value").isNull()).isTrue();
        assertThat(rows.at("/items/0/ip").asString()).isNotBlank();

        String supportActor = rows.at("/items/0/actor").asString();
        assertThat(supportActor).startsWith("token:support-");
        JsonNode bySupport = ok(adminGet("/api/admin/audit?actor=" + supportActor));
        assertThat(bySupport.get("items").valueStream().map(r -> r.get("action").asString()))
                .contains("customer.update");
        assertThat(ok(adminGet("/api/admin/audit?entity_type=customer&entity_id=" + customer + "&since="
                                + Instant.now().plusSeconds(60)))
                        .get("total")
                        .asLong())
                .isZero();
        assertThat(ok(adminGet("/api/admin/audit?entity_type=customer&entity_id=" + customer + "&since=" + start))
                        .get("total")
                        .asLong())
                .isEqualTo(3);
        JsonNode paged = ok(adminGet("/api/admin/audit?entity_type=customer&entity_id=" + customer + "&size=1&page=2"));
        assertThat(paged.at("/items/0/action").asString()).isEqualTo("customer.create");

        assertThat(as(Role.VIEWER, "GET", "/api/admin/audit", null).status()).isEqualTo(200);
        assertInvalid(adminGet("/api/admin/audit?since=yesterday"), "since");
        assertInvalid(adminGet("/api/admin/audit?entity_type=" + "e".repeat(65)), "entity_type");
        assertInvalid(adminGet("/api/admin/audit?actor=%01"), "actor");
        assertThat(admin("POST", "/api/admin/audit", Map.of()).status()).isIn(403, 405);
        assertThat(as(Role.SUPPORT, "DELETE", "/api/admin/audit", null).status())
                .isEqualTo(403);
    }

    @Test
    void listsValidationsOfAKeyAsTypedNewestFirst() {
        TestProduct product = product();
        String key = licenseKey(product, Map.of());
        activate(product, key, "hw-1");
        client(product, "/api/license/verify", Map.of("license_key", key, "hardware_hash", "hw-1"));
        client(product, "/api/license/verify", Map.of("license_key", key, "hardware_hash", "hw-2"));
        String unknown = product.prefix() + "-LEGACY-KEY-123";
        client(product, "/api/license/verify", Map.of("license_key", unknown));
        validationLog.flush();

        JsonNode rows = ok(adminGet("/api/admin/validations?license_key=" + key.toLowerCase(Locale.ROOT)));
        assertThat(rows.get("total").asLong()).isEqualTo(3);
        assertThat(rows.at("/items/0/result_code").asString()).isEqualTo("DEVICE_NOT_ACTIVATED");
        assertThat(rows.at("/items/1/result_code").asString()).isEqualTo("VALID");
        assertThat(rows.at("/items/2/action").asString()).isEqualTo("activate");
        assertThat(rows.at("/items/2/hardware_hash").asString()).isEqualTo("hw-1");

        JsonNode attempts = ok(adminGet("/api/admin/validations?license_key=" + unknown));
        assertThat(attempts.get("total").asLong()).isEqualTo(1);
        assertThat(attempts.has("total_capped")).isFalse();
        assertThat(attempts.at("/items/0/result_code").asString()).isEqualTo("NOT_FOUND");
        assertThat(ok(adminGet("/api/admin/validations?size=2")).get("items").size())
                .isEqualTo(2);
        assertThat(ok(adminGet("/api/admin/validations?license_key=" + key + "&since="
                                + Instant.now().plusSeconds(60)))
                        .get("total")
                        .asLong())
                .isZero();

        assertThat(as(Role.VIEWER, "GET", "/api/admin/validations", null).status())
                .isEqualTo(200);
        assertInvalid(adminGet("/api/admin/validations?since=2026-13-01"), "since");
        assertInvalid(adminGet("/api/admin/validations?license_key=" + "K".repeat(129)), "license_key");
        assertInvalid(adminGet("/api/admin/validations?page=x"), "page");
    }
}
