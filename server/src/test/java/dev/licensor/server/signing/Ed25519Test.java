package dev.licensor.server.signing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.SecureRandom;
import java.security.Signature;
import org.junit.jupiter.api.Test;

class Ed25519Test {
    private final KeyPair pair = Ed25519.generate(new SecureRandom());
    private final byte[] data = "200\nPOST /api/license/session/heartbeat\nMon, 23 Nov 2026 15:52:39 GMT\n\nab"
            .getBytes(StandardCharsets.UTF_8);

    @Test
    void signsWhatTheJdkVerifiesAndExactlyWhatTheJdkSigns() throws Exception {
        byte[] signature = Ed25519.signingKey(pair.getPrivate().getEncoded()).sign(data);

        Signature verifier = Signature.getInstance("Ed25519");
        verifier.initVerify(Ed25519.publicKey(Ed25519.raw(pair.getPublic())));
        verifier.update(data);
        assertThat(verifier.verify(signature)).isTrue();

        // Ed25519 is deterministic: two correct implementations give the same bytes.
        Signature jdk = Signature.getInstance("Ed25519");
        jdk.initSign(pair.getPrivate());
        jdk.update(data);
        assertThat(signature).isEqualTo(jdk.sign());
    }

    @Test
    void aSignatureDoesNotVerifyForOtherData() throws Exception {
        byte[] signature = Ed25519.signingKey(pair.getPrivate().getEncoded()).sign(data);
        data[data.length - 1] ^= 1;

        Signature verifier = Signature.getInstance("Ed25519");
        verifier.initVerify(pair.getPublic());
        verifier.update(data);
        assertThat(verifier.verify(signature)).isFalse();
    }

    @Test
    void refusesAKeyThatIsNotEd25519() throws Exception {
        KeyPairGenerator ec = KeyPairGenerator.getInstance("EC");
        byte[] pkcs8 = ec.generateKeyPair().getPrivate().getEncoded();

        assertThatThrownBy(() -> Ed25519.signingKey(pkcs8))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("not an Ed25519 private key");
        assertThatThrownBy(() -> Ed25519.signingKey(new byte[] {1, 2, 3})).isInstanceOf(IllegalStateException.class);
    }
}
