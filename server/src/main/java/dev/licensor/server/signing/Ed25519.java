package dev.licensor.server.signing;

import dev.licensor.protocol.Ed25519Keys;
import java.io.IOException;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.SecureRandom;
import org.bouncycastle.crypto.params.Ed25519PrivateKeyParameters;
import org.bouncycastle.crypto.util.PrivateKeyFactory;

/**
 * Ed25519 (RFC 8032): keys are made and stored in the JDK's standard encodings (PKCS #8, X.509,
 * and the raw 32-byte public key form JWKs use); signing uses BouncyCastle's implementation,
 * which signs in about 25 µs where the JDK's takes about 500 µs, and every client-API answer is
 * signed (docs/PERFORMANCE.md).
 */
final class Ed25519 {
    private Ed25519() {}

    static KeyPair generate(SecureRandom random) {
        try {
            KeyPairGenerator generator = KeyPairGenerator.getInstance("Ed25519");
            generator.initialize(255, random);
            return generator.generateKeyPair();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("Ed25519 is not available in this JDK", e);
        }
    }

    /** The raw 32-byte public key ({@code x} of an OKP JWK). */
    static byte[] raw(PublicKey key) {
        return Ed25519Keys.toRaw(key);
    }

    static PublicKey publicKey(byte[] raw) {
        return Ed25519Keys.fromRaw(raw);
    }

    /** A private key ready to sign; thread-safe. */
    static final class SigningKey {
        private final Ed25519PrivateKeyParameters key;

        private SigningKey(Ed25519PrivateKeyParameters key) {
            this.key = key;
        }

        /** The 64-byte signature of {@code data}. */
        byte[] sign(byte[] data) {
            byte[] signature = new byte[Ed25519PrivateKeyParameters.SIGNATURE_SIZE];
            key.sign(
                    org.bouncycastle.math.ec.rfc8032.Ed25519.Algorithm.Ed25519,
                    null,
                    data,
                    0,
                    data.length,
                    signature,
                    0);
            return signature;
        }
    }

    /** The signing key for a PKCS #8 encoded private key (as {@link PrivateKey#getEncoded()} gives). */
    static SigningKey signingKey(byte[] pkcs8) {
        try {
            if (PrivateKeyFactory.createKey(pkcs8) instanceof Ed25519PrivateKeyParameters key) {
                return new SigningKey(key);
            }
        } catch (IOException | RuntimeException e) {
            throw new IllegalStateException("not an Ed25519 private key", e);
        }
        throw new IllegalStateException("not an Ed25519 private key");
    }
}
