package dev.licensor.server.license;

import static org.assertj.core.api.Assertions.assertThat;

import dev.licensor.server.testing.AbstractIT;
import dev.licensor.server.testing.Http;
import java.util.Map;
import org.junit.jupiter.api.Test;

class VersionIT extends AbstractIT {
    @Test
    void checkComparesVersionsNumerically() {
        TestProduct product = product(Map.of(
                "current_version", "1.10.0",
                "minimum_version", "1.9.0",
                "whats_new", "New reports",
                "download_url", "https://example.com/dl"));

        Http.Response older = client(product, "/api/version/check", Map.of("version", "1.9.3"));
        Http.Response beta = client(product, "/api/version/check", Map.of("version", "1.9.0-beta.1"));
        Http.Response current = client(product, "/api/version/check", Map.of("version", "1.10.0"));

        assertThat(older.status()).isEqualTo(200);
        assertThat(older.json().get("update_available").asBoolean()).isTrue();
        assertThat(older.json().get("update_required").asBoolean()).isFalse();
        assertThat(older.json().get("whats_new").asString()).isEqualTo("New reports");
        assertThat(older.json().get("current_version").asString()).isEqualTo("1.10.0");
        assertThat(beta.json().get("update_required").asBoolean()).isTrue();
        assertThat(current.json().get("update_available").asBoolean()).isFalse();
        assertThat(current.json().has("whats_new")).isFalse();
    }

    @Test
    void checkRefusesSomethingThatIsNotAVersion() {
        TestProduct product = product();

        Http.Response response = client(product, "/api/version/check", Map.of("version", "latest"));

        assertThat(response.status()).isEqualTo(400);
        assertThat(response.json().get("errors").get(0).get("field").asString()).isEqualTo("version");
    }

    @Test
    void latestDescribesTheCurrentRelease() {
        TestProduct product = product(Map.of("current_version", "2.0.0", "download_url", "https://example.com/2"));
        admin("PATCH", "/api/admin/products/" + product.id(), Map.of("whats_new", "Dark mode"));

        Http.Response latest = http.get("/api/version/latest", "X-API-Key", product.apiKey());

        assertThat(latest.status()).isEqualTo(200);
        assertThat(latest.json().get("version").asString()).isEqualTo("2.0.0");
        assertThat(latest.json().get("download_url").asString()).isEqualTo("https://example.com/2");
        assertThat(latest.json().get("whats_new").asString()).isEqualTo("Dark mode");
        assertThat(latest.json().get("released_at").asString()).isNotBlank();
    }
}
