package dev.licensor.server.signing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import com.nimbusds.jwt.proc.BadJWTException;
import com.nimbusds.jwt.proc.DefaultJWTClaimsVerifier;
import dev.licensor.server.testing.AbstractIT;
import dev.licensor.server.testing.Http;
import dev.licensor.server.testing.IndependentVerifier;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Date;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class OfflineTokenIT extends AbstractIT {
    @Test
    void activationAnswersAnOfflineTokenAnyJwtLibraryVerifies() throws Exception {
        TestProduct product = product(Map.of("name", "Account Forger", "offline_grace_days", 7));
        String key = licenseKey(product, Map.of("features", List.of("export", "pro")));

        Http.Response response = activate(product, key, "hw-token-1");

        assertThat(response.status()).as(response.toString()).isEqualTo(200);
        String token = response.json().get("offline_token").asString();
        SignedJWT jwt = SignedJWT.parse(token);
        assertThat(jwt.getHeader().getAlgorithm().getName()).isEqualTo("EdDSA");
        Map<String, Object> claims = IndependentVerifier.fetch(http).verifyToken(token);
        assertThat(claims.get("iss")).isEqualTo("licensor");
        assertThat(claims.get("sub")).isEqualTo(key);
        assertThat(claims.get("product")).isEqualTo("Account Forger");
        assertThat(claims.get("hw")).isEqualTo("hw-token-1");
        assertThat(claims.get("features")).isEqualTo(List.of("export", "pro"));
        assertThat(claims).containsEntry("lic_exp", null);
        long iat = ((Number) claims.get("iat")).longValue();
        assertThat(Math.abs(iat - Instant.now().getEpochSecond())).isLessThan(60);
        assertThat(((Number) claims.get("exp")).longValue())
                .isEqualTo(iat + Duration.ofDays(7).toSeconds());
    }

    @Test
    void sessionStartAnswersAnOfflineTokenForItsDevice() {
        TestProduct product = product(Map.of("current_version", "1.0.0"));
        String key = licenseKey(product, Map.of("features", List.of("pro")));

        Http.Response started = client(
                product,
                "/api/license/session/start",
                Map.of("license_key", key, "machine_id", "m-1", "hardware_hash", "hw-session", "version", "1.0.0"));

        assertThat(started.status()).as(started.toString()).isEqualTo(200);
        Map<String, Object> claims = IndependentVerifier.fetch(http)
                .verifyToken(started.json().get("offline_token").asString());
        assertThat(claims.get("sub")).isEqualTo(key);
        assertThat(claims.get("hw")).isEqualTo("hw-session");
        assertThat(claims.get("features")).isEqualTo(List.of("pro"));
    }

    @Test
    void expiryIsTheLicenseExpiryPlusGraceWhenThatComesFirst() {
        TestProduct product = product(Map.of("offline_grace_days", 30, "expiry_grace_days", 2));
        Instant expires = Instant.now().plus(Duration.ofDays(5)).truncatedTo(ChronoUnit.SECONDS);
        String key = licenseKey(product, Map.of("expires_at", expires.toString()));

        Http.Response response = activate(product, key, "hw-exp");

        Map<String, Object> claims = IndependentVerifier.fetch(http)
                .verifyToken(response.json().get("offline_token").asString());
        assertThat(((Number) claims.get("lic_exp")).longValue()).isEqualTo(expires.getEpochSecond());
        assertThat(((Number) claims.get("exp")).longValue())
                .isEqualTo(expires.plus(Duration.ofDays(2)).getEpochSecond());
    }

    @Test
    void verifyAttachesATokenOnlyToAValidVerdictForAnActiveDevice() {
        TestProduct product = product();
        String key = licenseKey(product, Map.of());
        activate(product, key, "hw-active");

        Http.Response onDevice =
                client(product, "/api/license/verify", Map.of("license_key", key, "hardware_hash", "hw-active"));
        Http.Response withoutDevice = client(product, "/api/license/verify", Map.of("license_key", key));
        Http.Response otherDevice =
                client(product, "/api/license/verify", Map.of("license_key", key, "hardware_hash", "hw-other"));

        assertThat(onDevice.code()).isEqualTo("VALID");
        Map<String, Object> claims = IndependentVerifier.fetch(http)
                .verifyToken(onDevice.json().get("offline_token").asString());
        assertThat(claims.get("hw")).isEqualTo("hw-active");
        assertThat(withoutDevice.code()).isEqualTo("VALID");
        assertThat(withoutDevice.json().has("offline_token")).isFalse();
        assertThat(otherDevice.code()).isEqualTo("DEVICE_NOT_ACTIVATED");
        assertThat(otherDevice.json().has("offline_token")).isFalse();
    }

    @Test
    void aStandardClaimsVerifierRefusesTheTokenOnceItExpired() throws Exception {
        TestProduct product = product(Map.of("offline_grace_days", 7));
        String key = licenseKey(product, Map.of());
        String token =
                activate(product, key, "hw-clock").json().get("offline_token").asString();
        IndependentVerifier.fetch(http).verifyToken(token);
        JWTClaimsSet claims = SignedJWT.parse(token).getJWTClaimsSet();

        // The client's clock, advanced: fine after six days, refused after eight.
        assertThat(verifierAt(Clock.offset(Clock.systemUTC(), Duration.ofDays(6))))
                .satisfies(v -> v.verify(claims, null));
        assertThatThrownBy(() -> verifierAt(Clock.offset(Clock.systemUTC(), Duration.ofDays(8)))
                        .verify(claims, null))
                .isInstanceOf(BadJWTException.class)
                .hasMessageContaining("Expired");
    }

    private static DefaultJWTClaimsVerifier<?> verifierAt(Clock clock) {
        return new DefaultJWTClaimsVerifier<>(
                new JWTClaimsSet.Builder().issuer("licensor").build(), Set.of("sub", "hw", "exp", "iat")) {
            @Override
            protected Date currentTime() {
                return Date.from(clock.instant());
            }
        };
    }
}
