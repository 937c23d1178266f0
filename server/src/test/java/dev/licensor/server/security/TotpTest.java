package dev.licensor.server.security;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class TotpTest {
    /** RFC 6238 appendix B, SHA-1 seed "12345678901234567890", last 6 of the 8 digits. */
    private static final String RFC_SECRET = Totp.base32("12345678901234567890".getBytes(StandardCharsets.US_ASCII));

    @Test
    void matchesTheRfc6238TestVectors() {
        assertThat(Totp.code(RFC_SECRET, Totp.step(Instant.ofEpochSecond(59)))).isEqualTo("287082");
        assertThat(Totp.code(RFC_SECRET, Totp.step(Instant.ofEpochSecond(1111111109))))
                .isEqualTo("081804");
        assertThat(Totp.code(RFC_SECRET, Totp.step(Instant.ofEpochSecond(1234567890))))
                .isEqualTo("005924");
        assertThat(Totp.code(RFC_SECRET, Totp.step(Instant.ofEpochSecond(20000000000L))))
                .isEqualTo("353130");
    }

    @Test
    void acceptsOneStepOfClockDriftButNotMore() {
        Instant now = Instant.ofEpochSecond(1_800_000_000L);
        long step = Totp.step(now);
        assertThat(Totp.match(RFC_SECRET, Totp.code(RFC_SECRET, step - 1), now)).hasValue(step - 1);
        assertThat(Totp.match(RFC_SECRET, Totp.code(RFC_SECRET, step + 1), now)).hasValue(step + 1);
        assertThat(Totp.match(RFC_SECRET, Totp.code(RFC_SECRET, step + 3), now)).isEmpty();
        assertThat(Totp.match(RFC_SECRET, "abc123", now)).isEmpty();
    }

    @Test
    void secretsRoundTripThroughBase32AndTheUriNamesTheIssuer() {
        String secret = Totp.newSecret(new SecureRandom());
        assertThat(secret).hasSize(32).matches("[A-Z2-7]+");
        assertThat(Totp.base32(Totp.decode(secret))).isEqualTo(secret);
        assertThat(Totp.uri("Licensor", "ada lovelace", secret))
                .startsWith("otpauth://totp/Licensor:ada%20lovelace?secret=" + secret)
                .contains("issuer=Licensor");
    }
}
