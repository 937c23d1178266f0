package dev.licensor.server.ops;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.licensor.server.LicensorApplication;
import dev.licensor.server.testing.Http;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.DisabledIfSystemProperty;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * The embedded mode as a newcomer runs it: no database settings, no secret. A restart on the
 * same data directory keeps everything, including the generated secret that checks keys.
 */
@DisabledIfSystemProperty(named = "licensor.test.db", matches = "postgres", disabledReason = "embedded mode only")
class RestartIT {
    private static final String TOKEN = "restart-test-admin-token-0123456789";

    @TempDir
    Path dataDir;

    @Test
    void nothingIsLostAcrossARestartOfTheEmbeddedServer() throws Exception {
        String apiKey;
        String licenseKey;
        try (ConfigurableApplicationContext first = start()) {
            Http http = new Http(port(first));
            long productId = http.post(
                            "/api/admin/products",
                            Map.of("name", "Restart", "key_prefix", "RS"),
                            "Authorization",
                            "Bearer " + TOKEN)
                    .json()
                    .get("id")
                    .asLong();
            apiKey = http.post(
                            "/api/admin/products/" + productId + "/api-keys",
                            Map.of(),
                            "Authorization",
                            "Bearer " + TOKEN)
                    .json()
                    .get("api_key")
                    .asString();
            licenseKey = http.post(
                            "/api/admin/licenses",
                            Map.of("product_id", productId, "device_limit", 1),
                            "Authorization",
                            "Bearer " + TOKEN)
                    .json()
                    .get("license_key")
                    .asString();
            assertThat(http.post(
                                    "/api/license/activate",
                                    Map.of("license_key", licenseKey, "hardware_hash", "hw-1"),
                                    "X-API-Key",
                                    apiKey)
                            .status())
                    .isEqualTo(200);
        }
        assertThat(dataDir.resolve("secret")).exists();
        assertThat(Files.readString(dataDir.resolve("initial-admin-password"))).isNotBlank();

        try (ConfigurableApplicationContext second = start()) {
            Http http = new Http(port(second));
            Http.Response verify = http.post(
                    "/api/license/verify",
                    Map.of("license_key", licenseKey, "hardware_hash", "hw-1"),
                    "X-API-Key",
                    apiKey);
            assertThat(verify.status()).isEqualTo(200);
            assertThat(verify.json().get("code").asString()).isEqualTo("VALID");
            assertThat(verify.json().at("/license/devices_used").asInt()).isEqualTo(1);
            Http.Response other = http.post(
                    "/api/license/activate",
                    Map.of("license_key", licenseKey, "hardware_hash", "hw-2"),
                    "X-API-Key",
                    apiKey);
            assertThat(other.code()).isEqualTo("DEVICE_LIMIT_REACHED");
        }
    }

    @Test
    void refusesToStartOnASchemaNewerThanItself() throws Exception {
        try (ConfigurableApplicationContext first = start()) {
            first.getBean(javax.sql.DataSource.class)
                    .getConnection()
                    .createStatement()
                    .execute(
                            """
                            INSERT INTO "flyway_schema_history" ("installed_rank", "version", "description", "type",
                                "script", "checksum", "installed_by", "installed_on", "execution_time", "success")
                            VALUES (999, '999', 'from a newer release', 'SQL', 'V999__newer.sql', 0, 'sa',
                                CURRENT_TIMESTAMP, 0, TRUE)""");
        }

        assertThatThrownBy(this::start).hasStackTraceContaining("applied migration not resolved locally: 999");
    }

    private ConfigurableApplicationContext start() {
        // Command-line arguments outrank the environment, so no LICENSOR_SECRET or database
        // setting of the test JVM leaks in: this is the zero-configuration embedded mode.
        return new SpringApplicationBuilder(LicensorApplication.class)
                .run(
                        "--server.port=0",
                        "--licensor.data-dir=" + dataDir,
                        "--LICENSOR_SECRET=",
                        "--DATABASE_URL=",
                        "--LICENSOR_BOOTSTRAP_ADMIN_PASSWORD=",
                        "--LICENSOR_BOOTSTRAP_ADMIN_TOKEN=" + TOKEN);
    }

    private static int port(ConfigurableApplicationContext context) {
        return ((WebServerApplicationContext) context).getWebServer().getPort();
    }
}
