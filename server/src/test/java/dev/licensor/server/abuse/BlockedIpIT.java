package dev.licensor.server.abuse;

import static org.assertj.core.api.Assertions.assertThat;

import dev.licensor.server.audit.ValidationLog;
import dev.licensor.server.testing.AbstractIT;
import dev.licensor.server.testing.Http;
import dev.licensor.server.testing.IndependentVerifier;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

class BlockedIpIT extends AbstractIT {
    @Autowired
    ValidationLog validationLog;

    @Test
    void aBlockedCallerIsRefusedUntilTheBlockIsRemoved() {
        TestProduct product = product();
        String key = licenseKey(product, Map.of());
        IndependentVerifier verifier = IndependentVerifier.fetch(http);
        Http.Response created = admin(
                "POST",
                "/api/admin/blocked-ips",
                Map.of(
                        "address", "127.0.0.0/8",
                        "reason", "test",
                        "until", Instant.now().plus(Duration.ofMinutes(10)).toString()));
        assertThat(created.status()).as(created.toString()).isEqualTo(201);
        long id = created.json().get("id").asLong();
        try {
            Http.Response refused = client(product, "/api/license/verify", Map.of("license_key", key));

            assertThat(refused.status()).isEqualTo(403);
            assertThat(refused.code()).isEqualTo("IP_BLOCKED");
            assertThat(verifier.verifies(refused, "POST", "/api/license/verify", ""))
                    .as("a blocked caller still gets a signed answer")
                    .isTrue();
            assertThat(http.get("/api/keys").code()).isEqualTo("IP_BLOCKED");
            assertThat(adminGet("/api/admin/blocked-ips").json().get("items").findValuesAsString("address"))
                    .contains("127.0.0.0/8");
        } finally {
            assertThat(admin("DELETE", "/api/admin/blocked-ips/" + id, null).status())
                    .isEqualTo(204);
        }

        assertThat(client(product, "/api/license/verify", Map.of("license_key", key))
                        .code())
                .isEqualTo("VALID");
        validationLog.flush();
        assertThat(jdbc.sql("SELECT COUNT(*) FROM validation_log WHERE license_key = ? AND result_code = 'IP_BLOCKED'")
                        .param(key)
                        .query(Long.class)
                        .single())
                .isEqualTo(1);
        assertThat(jdbc.sql(
                                """
                        SELECT actor || ' ' || action || ' ' || COALESCE(ip, '-') FROM audit_log
                        WHERE entity_type = 'blocked_ip' AND entity_id = ? ORDER BY id""")
                        .param(Long.toString(id))
                        .query(String.class)
                        .list())
                .containsExactly(
                        "token:bootstrap blocked_ip.create 127.0.0.1", "token:bootstrap blocked_ip.delete 127.0.0.1");
    }

    @Test
    void acceptsIpv6AndRefusesWhatIsNotAnAddress() {
        Http.Response v6 = admin("POST", "/api/admin/blocked-ips", Map.of("address", "2001:db8::/32"));
        assertThat(v6.status()).as(v6.toString()).isEqualTo(201);
        assertThat(v6.json().get("until").isNull()).as("permanent").isTrue();
        assertThat(v6.json().get("created_by").asString()).isEqualTo("token:bootstrap");
        assertThat(admin(
                                "DELETE",
                                "/api/admin/blocked-ips/" + v6.json().get("id").asLong(),
                                null)
                        .status())
                .isEqualTo(204);

        Http.Response hostName = admin("POST", "/api/admin/blocked-ips", Map.of("address", "example.com"));
        Http.Response past = admin(
                "POST", "/api/admin/blocked-ips", Map.of("address", "203.0.113.9", "until", "2020-01-01T00:00:00Z"));
        Http.Response unknownField =
                admin("POST", "/api/admin/blocked-ips", Map.of("address", "203.0.113.9", "color", "red"));

        assertThat(hostName.status()).isEqualTo(400);
        assertThat(hostName.json().at("/errors/0/field").asString()).isEqualTo("address");
        assertThat(past.json().at("/errors/0/field").asString()).isEqualTo("until");
        assertThat(unknownField.json().at("/errors/0/field").asString()).isEqualTo("color");
        assertThat(admin("DELETE", "/api/admin/blocked-ips/999999", null).status())
                .isEqualTo(404);
    }
}
