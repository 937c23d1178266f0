package dev.licensor.server.ops;

import static org.assertj.core.api.Assertions.assertThat;

import dev.licensor.server.testing.AbstractIT;
import dev.licensor.server.testing.Http;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class OpsIT extends AbstractIT {
    @Test
    void healthReportsLivenessReadinessAndTheDatabase() {
        Http.Response health = http.get("/actuator/health");
        Http.Response liveness = http.get("/actuator/health/liveness");
        Http.Response readiness = http.get("/actuator/health/readiness");

        assertThat(health.status()).isEqualTo(200);
        assertThat(health.json().get("status").asString()).isEqualTo("UP");
        assertThat(health.json().at("/components/db/status").asString()).isEqualTo("UP");
        assertThat(liveness.status()).isEqualTo(200);
        assertThat(readiness.status()).isEqualTo(200);
    }

    @Test
    void prometheusExposesMetrics() {
        Http.Response metrics = http.get("/actuator/prometheus");

        assertThat(metrics.status()).isEqualTo(200);
        assertThat(metrics.body()).contains("http_server_requests").contains("jvm_memory_used_bytes");
    }

    @Test
    void requestsRefusedBeforeAControllerAreCountedUnderTheirRoute() {
        http.post("/api/license/verify", Map.of("license_key", "X"), "X-API-Key", "not-a-key");
        http.get("/api/license/info/AF-12345", "X-API-Key", "not-a-key");
        http.get("/api/admin/licenses");
        http.get("/api/license/no-such-route", "X-API-Key", "not-a-key");

        String metrics = http.get("/actuator/prometheus").body();

        assertThat(requestSeries(metrics, "POST", "401"))
                .anyMatch(line -> line.contains("uri=\"/api/license/verify\""));
        assertThat(requestSeries(metrics, "GET", "401"))
                .anyMatch(line -> line.contains("uri=\"/api/license/info/{licenseKey}\""))
                .anyMatch(line -> line.contains("uri=\"/api/admin/licenses\""))
                .noneMatch(line -> line.contains("no-such-route"));
    }

    private static List<String> requestSeries(String metrics, String method, String status) {
        return metrics.lines()
                .filter(line -> line.startsWith("http_server_requests_seconds_count{"))
                .filter(line ->
                        line.contains("method=\"" + method + "\"") && line.contains("status=\"" + status + "\""))
                .toList();
    }

    @Test
    void theOpenApiDocumentDescribesBothApis() {
        Http.Response docs = http.get("/v3/api-docs");

        assertThat(docs.status()).isEqualTo(200);
        assertThat(docs.json().at("/paths").has("/api/license/activate")).isTrue();
        assertThat(docs.json().at("/paths").has("/api/license/verify")).isTrue();
        assertThat(docs.json().at("/paths").has("/api/admin/products")).isTrue();
        assertThat(docs.json().at("/components/securitySchemes").has("ApiKey")).isTrue();
        assertThat(docs.json()
                        .at("/paths/~1api~1license~1activate/post/security/0")
                        .has("ApiKey"))
                .isTrue();
        assertThat(http.get("/swagger-ui/index.html").status()).isEqualTo(200);
    }
}
