package dev.licensor.server.license;

import static org.assertj.core.api.Assertions.assertThat;

import dev.licensor.server.testing.AbstractAdminIT;
import java.util.List;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

class AdminOpenApiIT extends AbstractAdminIT {
    @Test
    void documentsTheAdminEndpointsWithTagsAndBodyShapes() {
        JsonNode docs = ok(http.get("/v3/api-docs"));
        JsonNode paths = docs.get("paths");
        for (String path : List.of(
                "/api/admin/license-types",
                "/api/admin/license-types/{id}",
                "/api/admin/customers",
                "/api/admin/customers/{id}",
                "/api/admin/customers/{id}/licenses",
                "/api/admin/licenses",
                "/api/admin/licenses/{key}",
                "/api/admin/licenses/{key}/suspend",
                "/api/admin/licenses/{key}/reinstate",
                "/api/admin/licenses/{key}/revoke",
                "/api/admin/licenses/{key}/extend",
                "/api/admin/licenses/{key}/devices",
                "/api/admin/licenses/{key}/devices/{deviceId}/deactivate",
                "/api/admin/licenses/{key}/devices/{deviceId}/block",
                "/api/admin/licenses/{key}/devices/{deviceId}/unblock",
                "/api/stats",
                "/api/admin/audit",
                "/api/admin/validations")) {
            assertThat(paths.has(path)).as(path).isTrue();
        }
        assertThat(paths.at("/~1api~1admin~1customers/post/tags/0").asString()).isEqualTo("Admin: customers");
        assertThat(paths.at("/~1api~1stats/get/tags/0").asString()).isEqualTo("Admin: statistics");
        JsonNode schemas = docs.at("/components/schemas");
        assertThat(schemas.at("/CustomerRequest/properties").has("email")).isTrue();
        assertThat(schemas.at("/LicensePatchRequest/properties").has("concurrent_sessions_limit"))
                .isTrue();
        assertThat(schemas.at("/LicenseTypeRequest/properties").has("duration_days"))
                .isTrue();
        assertThat(schemas.at("/ExtendRequest/properties").has("until")).isTrue();
    }
}
