package dev.licensor.server.signing;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class ResponseSignaturesTest {
    private static boolean mayHoldNonce(String body) {
        return ResponseSignatures.mayHoldNonce(body.getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void aBodyThatNamesANonceIsParsed() {
        assertThat(mayHoldNonce("{\"license_key\":\"K\",\"nonce\":\"abc\"}")).isTrue();
        assertThat(mayHoldNonce("{\"nonce\":\"abc\"}")).isTrue();
        assertThat(mayHoldNonce("nonce")).isTrue();
    }

    @Test
    void anEscapeCouldSpellTheNameSoItIsParsedToo() {
        assertThat(mayHoldNonce("{\"\\u006eonce\":\"abc\"}")).isTrue();
        assertThat(mayHoldNonce("{\"a\":\"\\\"\"}")).isTrue();
    }

    @Test
    void aBodyWithoutTheNameIsNot() {
        assertThat(mayHoldNonce("{\"session_token\":\"t\",\"license_key\":\"BN-1234\"}"))
                .isFalse();
        assertThat(mayHoldNonce("{\"nonc\":1}")).isFalse();
        assertThat(mayHoldNonce("{\"x\":\"nonc")).isFalse();
        assertThat(mayHoldNonce("")).isFalse();
    }

    @Test
    void theDateIsFormattedOncePerSecondAndFollowsTheClockEitherWay() {
        ResponseSignatures filter = new ResponseSignatures(null, Clock.systemUTC(), null);
        Instant at = Instant.parse("2026-12-01T17:30:00.100Z");

        String first = filter.httpDate(at);
        assertThat(first).isEqualTo("Tue, 01 Dec 2026 17:30:00 GMT");
        assertThat(filter.httpDate(at.plusMillis(800))).isSameAs(first);
        assertThat(filter.httpDate(at.plusMillis(900))).isEqualTo("Tue, 01 Dec 2026 17:30:01 GMT");
        assertThat(filter.httpDate(at.minusSeconds(5))).isEqualTo("Tue, 01 Dec 2026 17:29:55 GMT");
    }
}
