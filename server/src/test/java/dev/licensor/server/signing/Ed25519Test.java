package dev.licensor.server.signing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assumptions.assumeThat;

import dev.licensor.server.signing.SigningProperties.Engine;
import java.nio.charset.StandardCharsets;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PublicKey;
import java.security.SecureRandom;
import java.security.Signature;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

class Ed25519Test {
    private final KeyPair pair = Ed25519.generate(new SecureRandom());
    private final byte[] data = "200\nPOST /api/license/session/heartbeat\nMon, 23 Nov 2026 15:52:39 GMT\n\nab"
            .getBytes(StandardCharsets.UTF_8);

    @ParameterizedTest
    @EnumSource(names = {"AUTO", "BOUNCY_CASTLE"})
    void signsWhatTheJdkVerifiesAndExactlyWhatTheJdkSigns(Engine engine) throws Exception {
        byte[] signature =
                Ed25519.signingKey(pair.getPrivate().getEncoded(), engine).sign(data);

        assertThat(verifies(Ed25519.publicKey(Ed25519.raw(pair.getPublic())), data, signature))
                .isTrue();
        // Ed25519 is deterministic: two correct implementations give the same bytes.
        Signature jdk = Signature.getInstance("Ed25519");
        jdk.initSign(pair.getPrivate());
        jdk.update(data);
        assertThat(signature).isEqualTo(jdk.sign());
    }

    @ParameterizedTest
    @EnumSource(names = {"AUTO", "BOUNCY_CASTLE"})
    void aSignatureDoesNotVerifyForOtherData(Engine engine) throws Exception {
        byte[] signature =
                Ed25519.signingKey(pair.getPrivate().getEncoded(), engine).sign(data);
        data[data.length - 1] ^= 1;

        assertThat(verifies(pair.getPublic(), data, signature)).isFalse();
    }

    @Test
    void theNativeEngineSignsWhereItsLibraryIsBuiltFor() {
        assumeThat(System.getProperty("os.name")).isEqualTo("Linux");
        assumeThat(System.getProperty("os.arch")).isIn("amd64", "x86_64");

        assertThat(Ed25519.nativeProblem()).isNull();
        assertThat(Ed25519.engine(Engine.AUTO)).isEqualTo(Engine.AWS_LC);
        assertThat(Ed25519.engine(Engine.AWS_LC)).isEqualTo(Engine.AWS_LC);
        assertThat(Ed25519.signingKey(pair.getPrivate().getEncoded(), Engine.AUTO)
                        .engine())
                .isEqualTo(Engine.AWS_LC);
    }

    @Test
    void bouncyCastleSignsWhenTheSettingSaysSo() {
        assertThat(Ed25519.engine(Engine.BOUNCY_CASTLE)).isEqualTo(Engine.BOUNCY_CASTLE);
        assertThat(Ed25519.signingKey(pair.getPrivate().getEncoded(), Engine.BOUNCY_CASTLE)
                        .engine())
                .isEqualTo(Engine.BOUNCY_CASTLE);
    }

    /** The native engine keeps one signer per thread; keys taking turns on threads must not mix. */
    @Test
    void keysTakingTurnsOnManyThreadsEachSignWithTheirOwnKey() throws Exception {
        KeyPair other = Ed25519.generate(new SecureRandom());
        Ed25519.SigningKey first = Ed25519.signingKey(pair.getPrivate().getEncoded(), Engine.AUTO);
        Ed25519.SigningKey second = Ed25519.signingKey(other.getPrivate().getEncoded(), Engine.AUTO);
        ExecutorService threads = Executors.newFixedThreadPool(4);
        try {
            List<Future<Boolean>> results = new ArrayList<>();
            for (int t = 0; t < 8; t++) {
                results.add(threads.submit(() -> {
                    for (int i = 0; i < 50; i++) {
                        byte[] message = ("message " + i).getBytes(StandardCharsets.UTF_8);
                        boolean odd = i % 2 == 1;
                        byte[] signature = (odd ? second : first).sign(message);
                        if (!verifies((odd ? other : pair).getPublic(), message, signature)) {
                            return false;
                        }
                    }
                    return true;
                }));
            }
            for (Future<Boolean> result : results) {
                assertThat(result.get()).isTrue();
            }
        } finally {
            threads.shutdownNow();
        }
    }

    /** A native failure must not leave an answer unsigned: BouncyCastle signs instead. */
    @Test
    void whenTheNativeEngineFailsBouncyCastleSignsTheSameBytes() throws Exception {
        byte[] pkcs8 = pair.getPrivate().getEncoded();
        // An EC key where the native engine expects the Ed25519 one: its signature fails.
        Ed25519.SigningKey broken = new Ed25519.SigningKey(
                Ed25519.parse(pkcs8),
                KeyPairGenerator.getInstance("EC").generateKeyPair().getPrivate());

        assertThat(broken.sign(data))
                .isEqualTo(Ed25519.signingKey(pkcs8, Engine.BOUNCY_CASTLE).sign(data));
        assertThat(verifies(pair.getPublic(), data, broken.sign(data))).isTrue();
    }

    @Test
    void refusesAKeyThatIsNotEd25519() throws Exception {
        KeyPairGenerator ec = KeyPairGenerator.getInstance("EC");
        byte[] pkcs8 = ec.generateKeyPair().getPrivate().getEncoded();

        assertThatThrownBy(() -> Ed25519.signingKey(pkcs8, Engine.AUTO))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("not an Ed25519 private key");
        assertThatThrownBy(() -> Ed25519.signingKey(new byte[] {1, 2, 3}, Engine.AUTO))
                .isInstanceOf(IllegalStateException.class);
    }

    private static boolean verifies(PublicKey key, byte[] message, byte[] signature) throws Exception {
        Signature verifier = Signature.getInstance("Ed25519");
        verifier.initVerify(key);
        verifier.update(message);
        return verifier.verify(signature);
    }
}
