package dev.licensor.server.abuse;

import static org.assertj.core.api.Assertions.assertThat;

import dev.licensor.server.audit.ValidationLog;
import dev.licensor.server.testing.AbstractIT;
import dev.licensor.server.testing.Http;
import dev.licensor.server.testing.IndependentVerifier;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.test.context.TestPropertySource;

@TestPropertySource(
        properties = {
            "licensor.rate-limit.license-per-minute=3",
            "licensor.rate-limit.api-key-per-minute=5",
            "licensor.rate-limit.ip-per-hour=8",
            "licensor.rate-limit.login-per-minute=2"
        })
class RateLimitIT extends AbstractIT {
    @Autowired
    RateLimiter limiter;

    @Autowired
    LoginRateLimiter logins;

    @Autowired
    ValidationLog validationLog;

    @BeforeEach
    void freshBuckets() {
        limiter.clearLocal();
    }

    @Test
    void limitsCallsPerLicenseKey() {
        TestProduct product = product();
        String key = licenseKey(product, Map.of());
        String other = licenseKey(product, Map.of());
        limiter.clearLocal(); // creating the product and licenses went through the admin API only

        for (int i = 0; i < 3; i++) {
            assertThat(verify(product, key).status()).isEqualTo(200);
        }
        // The same key typed differently is the same bucket.
        Http.Response limited = verify(product, key.toLowerCase().replace("-", ""));
        Http.Response otherKey = verify(product, other);

        assertThat(limited.status()).isEqualTo(429);
        assertThat(limited.code()).isEqualTo("RATE_LIMITED");
        assertThat(Long.parseLong(limited.header("Retry-After"))).isBetween(1L, 60L);
        assertThat(limited.header("X-RateLimit-Limit")).isEqualTo("3");
        assertThat(limited.header("X-RateLimit-Remaining")).isEqualTo("0");
        assertThat(Long.parseLong(limited.header("X-RateLimit-Reset")))
                .isBetween(Instant.now().getEpochSecond(), Instant.now().getEpochSecond() + 61);
        assertThat(IndependentVerifier.fetch(http).verifies(limited, "POST", "/api/license/verify", ""))
                .isTrue();
        assertThat(otherKey.status()).isEqualTo(200);
        validationLog.flush();
        assertThat(jdbc.sql("SELECT COUNT(*) FROM validation_log WHERE product_id = ? AND result_code = 'RATE_LIMITED'")
                        .param(product.id())
                        .query(Long.class)
                        .single())
                .isEqualTo(1);
    }

    @Test
    void limitsCallsPerApiKey() {
        TestProduct product = product();
        TestProduct another = product();
        String[] keys = new String[6];
        for (int i = 0; i < keys.length; i++) {
            keys[i] = licenseKey(product, Map.of());
        }
        String anotherKey = licenseKey(another, Map.of());
        limiter.clearLocal();

        for (int i = 0; i < 5; i++) {
            assertThat(verify(product, keys[i]).status()).isEqualTo(200);
        }
        Http.Response limited = verify(product, keys[5]);

        assertThat(limited.status()).isEqualTo(429);
        assertThat(limited.header("X-RateLimit-Limit")).isEqualTo("5");
        assertThat(verify(another, anotherKey).status()).isEqualTo(200);
    }

    @Test
    void limitsCallsPerAddressBeforeTheApiKeyIsChecked() {
        for (int i = 0; i < 8; i++) {
            assertThat(http.get("/api/keys").status()).isEqualTo(200);
        }
        Http.Response limited = http.get("/api/keys");
        Http.Response noApiKey = http.post("/api/license/verify", Map.of("license_key", "X"));

        assertThat(limited.status()).isEqualTo(429);
        assertThat(limited.header("X-RateLimit-Limit")).isEqualTo("8");
        assertThat(noApiKey.code()).as("refused before the key is looked at").isEqualTo("RATE_LIMITED");
        assertThat(adminGet("/api/admin/blocked-ips").status())
                .as("the admin API is not limited")
                .isEqualTo(200);
    }

    @Test
    void limitsLoginAttemptsPerAddress() {
        assertThat(logins.attempt("198.51.100.7")).isEqualTo(LoginRateLimiter.Verdict.ALLOWED);
        assertThat(logins.attempt("198.51.100.7")).isEqualTo(LoginRateLimiter.Verdict.ALLOWED);
        assertThat(logins.attempt("198.51.100.7")).isEqualTo(LoginRateLimiter.Verdict.RATE_LIMITED);
        assertThat(logins.attempt("198.51.100.8")).isEqualTo(LoginRateLimiter.Verdict.ALLOWED);
    }

    private Http.Response verify(TestProduct product, String key) {
        return client(product, "/api/license/verify", Map.of("license_key", key));
    }
}
