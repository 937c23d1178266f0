package dev.licensor.server.signing;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class ResponseSigningFilterTest {
    private static boolean mayHoldNonce(String body) {
        return ResponseSigningFilter.mayHoldNonce(body.getBytes(StandardCharsets.UTF_8));
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
}
