package dev.licensor.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.licensor.protocol.Ed25519Keys;
import dev.licensor.protocol.RequestSigning;
import dev.licensor.protocol.ResponseSigning;
import java.nio.charset.StandardCharsets;
import java.security.KeyFactory;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.spec.EdECPrivateKeySpec;
import java.security.spec.NamedParameterSpec;
import java.util.Arrays;
import java.util.HexFormat;
import org.junit.jupiter.api.Test;

/** The canonical forms and key encodings of {@code licensor-protocol}, against fixed vectors. */
class SigningFormatsTest {
    // RFC 8032 §7.1, test 1.
    static final String RFC_SECRET = "9d61b19deffd5a60ba844af492ec2cc44449c5697b326919703bac031cae7f60";
    static final String RFC_PUBLIC = "d75a980182b10ab7d54bfed3c964073a0ee172f3daa62325af021a68f707511a";
    static final String RFC_SIGNATURE =
            "e5564300c360ac729086e2cc806e828a84877f1eb8e5d974d873e065224901555fb8821590a33bacc61e39701cf9b46bd25bf5f0595bbe24655141438e7a100b";

    @Test
    void rawPublicKeysConvertBothWaysPerRfc8032() throws Exception {
        PublicKey key = Ed25519Keys.fromRaw(HexFormat.of().parseHex(RFC_PUBLIC));
        assertThat(HexFormat.of().formatHex(Ed25519Keys.toRaw(key))).isEqualTo(RFC_PUBLIC);

        PrivateKey secret = KeyFactory.getInstance("Ed25519")
                .generatePrivate(new EdECPrivateKeySpec(
                        NamedParameterSpec.ED25519, HexFormat.of().parseHex(RFC_SECRET)));
        byte[] signature = ResponseSigning.sign(secret, "");
        assertThat(HexFormat.of().formatHex(signature)).isEqualTo(RFC_SIGNATURE);
        assertThat(ResponseSigning.verify(key, "", signature)).isTrue();
        assertThat(ResponseSigning.verify(key, "x", signature)).isFalse();
    }

    @Test
    void rawFormEqualsTheTailOfTheX509EncodingForManyKeys() throws Exception {
        KeyPairGenerator generator = KeyPairGenerator.getInstance("Ed25519");
        for (int i = 0; i < 50; i++) {
            KeyPair pair = generator.generateKeyPair();
            byte[] encoded = pair.getPublic().getEncoded();
            byte[] tail = Arrays.copyOfRange(encoded, encoded.length - 32, encoded.length);
            assertThat(Ed25519Keys.toRaw(pair.getPublic())).isEqualTo(tail);
            assertThat(Ed25519Keys.fromRaw(tail).getEncoded()).isEqualTo(encoded);
            assertThat(Ed25519Keys.fromJwkX(Ed25519Keys.toJwkX(pair.getPublic()))
                            .getEncoded())
                    .isEqualTo(encoded);
        }
        assertThatThrownBy(() -> Ed25519Keys.fromRaw(new byte[31])).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void responseCanonicalString() {
        String canonical = ResponseSigning.canonical(
                410,
                "post",
                ResponseSigning.pathAndQuery("/api/license/session/heartbeat", null),
                "Mon, 23 Nov 2026 12:00:00 GMT",
                ResponseSigning.requestNonce("n0nce-n0nce-n0nce", "body-nonce"),
                "{}".getBytes(StandardCharsets.UTF_8));
        assertThat(canonical)
                .isEqualTo("410\nPOST /api/license/session/heartbeat\nMon, 23 Nov 2026 12:00:00 GMT\n"
                        + "n0nce-n0nce-n0nce\n44136fa355b3678a1146ad16f7e8649e94fb4fc21fe77e8310c060f61caaff8a");
        assertThat(ResponseSigning.pathAndQuery("/a", "")).isEqualTo("/a");
        assertThat(ResponseSigning.pathAndQuery("/a", "x=1")).isEqualTo("/a?x=1");
        assertThat(ResponseSigning.requestNonce(null, "body-nonce")).isEqualTo("body-nonce");
        assertThat(ResponseSigning.requestNonce("", null)).isEmpty();
        assertThat(ResponseSigning.sha256Hex(new byte[0]))
                .isEqualTo("e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
    }

    @Test
    void signatureHeaderRoundTripsAndToleratesOrderAndSpacing() {
        byte[] signature = {1, 2, 3, (byte) 0xff};
        String header = ResponseSigning.header("k-2026", signature);
        assertThat(header).isEqualTo("keyid=\"k-2026\", algorithm=\"ed25519\", signature=\"AQID/w==\"");
        ResponseSigning.SignatureHeader parsed =
                ResponseSigning.parseHeader(header).orElseThrow();
        assertThat(parsed.keyId()).isEqualTo("k-2026");
        assertThat(parsed.algorithm()).isEqualTo("ed25519");
        assertThat(parsed.signature()).containsExactly(signature);

        assertThat(ResponseSigning.parseHeader("signature=\"AQID/w==\",keyid=\"a\" ,  algorithm=\"ed25519\""))
                .hasValueSatisfying(h -> assertThat(h.keyId()).isEqualTo("a"));
        assertThat(ResponseSigning.parseHeader("keyid=\"a\", algorithm=\"ed25519\""))
                .isEmpty();
        assertThat(ResponseSigning.parseHeader("keyid=a, algorithm=\"ed25519\", signature=\"AQ==\""))
                .isEmpty();
        assertThat(ResponseSigning.parseHeader("keyid=\"a\", algorithm=\"ed25519\", signature=\"***\""))
                .isEmpty();
    }

    @Test
    void requestCanonicalStringAndHmac() {
        String canonical = RequestSigning.canonical(
                "post", "/api/license/verify", 1795435200L, "abcdefghijklmnop", "{}".getBytes(StandardCharsets.UTF_8));
        assertThat(canonical)
                .isEqualTo("POST\n/api/license/verify\n1795435200\nabcdefghijklmnop\n"
                        + "44136fa355b3678a1146ad16f7e8649e94fb4fc21fe77e8310c060f61caaff8a");
        // Computed independently: printf '<canonical>' | openssl dgst -sha256 -hmac secret
        String signature = RequestSigning.sign("secret", canonical);
        assertThat(signature).isEqualTo("15b83b602826da5368e7f62a954664d200d914b36874f915b02d9305e6ec91de");
        assertThat(RequestSigning.verify("secret", canonical, signature.toUpperCase()))
                .isTrue();
        assertThat(RequestSigning.verify("other", canonical, signature)).isFalse();
    }
}
