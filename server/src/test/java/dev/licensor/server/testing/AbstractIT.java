package dev.licensor.server.testing;

import static org.assertj.core.api.Assertions.assertThat;

import dev.licensor.server.audit.ValidationLog;
import dev.licensor.server.support.Db;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.BeforeEach;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.test.context.ContextConfiguration;
import tools.jackson.databind.JsonNode;

/**
 * Base of the integration tests: a real server on a random port, on this run's database (H2 or
 * PostgreSQL, see {@link TestDatabase}), with a bootstrap admin token. Every test makes its own
 * product (with a unique key prefix) and licenses, so tests never see each other's data.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@ContextConfiguration(initializers = TestDatabase.class)
public abstract class AbstractIT {
    private static final AtomicInteger PREFIXES = new AtomicInteger();

    @LocalServerPort
    protected int port;

    @Autowired
    protected JdbcClient jdbc;

    @Autowired
    private ValidationLog validationLog;

    protected Http http;

    /**
     * Valid verifications of a license at {@code at} from {@code count} addresses ({@code net} + 1,
     * + 2, …), written through the validation log as the server writes them (rows of the past
     * marked late, so that the anomaly scan reads them).
     */
    protected void verifiedFrom(
            @Nullable Long productId, long licenseId, String key, Instant at, String net, int count) {
        List<ValidationLog.Entry> rows = new ArrayList<>();
        for (int i = 1; i <= count; i++) {
            rows.add(new ValidationLog.Entry(
                    at, productId, licenseId, key, "verify", "VALID", net + i, null, null, null));
        }
        validationLog.append(rows);
    }

    @BeforeEach
    void setUpHttp() {
        http = new Http(port);
    }

    /** A key prefix no other test of this JVM uses: AAAA, AAAB, … */
    protected static String uniquePrefix() {
        int n = PREFIXES.getAndIncrement();
        char[] prefix = new char[4];
        for (int i = 3; i >= 0; i--) {
            prefix[i] = (char) ('A' + n % 26);
            n /= 26;
        }
        return new String(prefix);
    }

    /** An admin-API call with the bootstrap ADMIN token. */
    protected Http.Response admin(String method, String path, Object body) {
        return http.send(method, path, body, "Authorization", "Bearer " + TestDatabase.ADMIN_TOKEN);
    }

    protected Http.Response adminGet(String path) {
        return http.send("GET", path, null, "Authorization", "Bearer " + TestDatabase.ADMIN_TOKEN);
    }

    /** A product with a fresh API key; {@code settings} override the product's defaults. */
    protected TestProduct product(Map<String, Object> settings) {
        Map<String, Object> body = new HashMap<>();
        body.put("name", "Test product");
        body.put("key_prefix", uniquePrefix());
        body.putAll(settings);
        Http.Response created = admin("POST", "/api/admin/products", body);
        assertThat(created.status()).as(created.toString()).isEqualTo(201);
        long id = created.json().get("id").asLong();
        Http.Response key = admin("POST", "/api/admin/products/" + id + "/api-keys", Map.of());
        assertThat(key.status()).as(key.toString()).isEqualTo(201);
        return new TestProduct(
                id,
                created.json().get("key_prefix").asString(),
                key.json().get("api_key").asString(),
                key.json().get("signing_secret").asString());
    }

    protected TestProduct product() {
        return product(Map.of());
    }

    /** A license of the product; {@code fields} as in {@code POST /api/admin/licenses}. Returns the created JSON. */
    protected JsonNode license(TestProduct product, Map<String, Object> fields) {
        Map<String, Object> body = new HashMap<>(fields);
        body.put("product_id", product.id());
        Http.Response created = admin("POST", "/api/admin/licenses", body);
        assertThat(created.status()).as(created.toString()).isEqualTo(201);
        return created.json();
    }

    protected String licenseKey(TestProduct product, Map<String, Object> fields) {
        return license(product, fields).get("license_key").asString();
    }

    /** A client-API call with the product's API key. */
    protected Http.Response client(TestProduct product, String path, Object body, String... headers) {
        String[] all = new String[headers.length + 2];
        all[0] = "X-API-Key";
        all[1] = product.apiKey();
        System.arraycopy(headers, 0, all, 2, headers.length);
        return http.send("POST", path, body, all);
    }

    /** A session that ran from {@code start} to {@code end}, written directly (the test clock only moves forward). */
    protected void insertEndedSession(TestProduct product, long licenseId, long deviceId, Instant start, Instant end) {
        jdbc.sql(
                        """
                        INSERT INTO sessions (token, product_id, license_id, device_id, started_at, last_heartbeat,
                                              live_until, ended_at, end_reason)
                        VALUES (?, ?, ?, ?, ?, ?, ?, ?, 'normal')""")
                .params(
                        UUID.randomUUID(),
                        product.id(),
                        licenseId,
                        deviceId,
                        Db.ts(start),
                        Db.ts(end),
                        Db.ts(end.plusSeconds(60)),
                        Db.ts(end))
                .update();
    }

    /** {@code POST /api/license/session/start} from the device {@code machine-<hardwareHash>}. */
    protected Http.Response startSession(
            TestProduct product, String key, String hardwareHash, String version, String... headers) {
        return client(product, "/api/license/session/start", startRequest(key, hardwareHash, version), headers);
    }

    /** The body of a session start from the device {@code machine-<hardwareHash>}. */
    protected static Map<String, Object> startRequest(String key, String hardwareHash, String version) {
        return Map.of(
                "license_key",
                key,
                "machine_id",
                "machine-" + hardwareHash,
                "hardware_hash",
                hardwareHash,
                "version",
                version);
    }

    protected Http.Response activate(TestProduct product, String key, String hardwareHash) {
        return client(product, "/api/license/activate", Map.of("license_key", key, "hardware_hash", hardwareHash));
    }

    /** A product as the tests use it. */
    public record TestProduct(long id, String prefix, String apiKey, String signingSecret) {}
}
