package dev.licensor.server.signing;

import com.amazon.corretto.crypto.provider.AmazonCorrettoCryptoProvider;
import dev.licensor.protocol.Ed25519Keys;
import dev.licensor.server.signing.SigningProperties.Engine;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.Provider;
import java.security.PublicKey;
import java.security.SecureRandom;
import java.security.Signature;
import java.security.spec.PKCS8EncodedKeySpec;
import java.util.Arrays;
import java.util.concurrent.atomic.AtomicBoolean;
import org.bouncycastle.crypto.params.Ed25519PrivateKeyParameters;
import org.bouncycastle.crypto.util.PrivateKeyFactory;
import org.bouncycastle.crypto.util.PrivateKeyInfoFactory;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Ed25519 (RFC 8032): keys are made and stored in the JDK's standard encodings (PKCS #8, X.509,
 * and the raw 32-byte public key form JWKs use). Every client-API answer is signed, so the
 * signature is a large share of the server's CPU (docs/PERFORMANCE.md), and two faster
 * implementations than the JDK's (about 500 µs a signature on the reference machine) sign:
 *
 * <ul>
 *   <li>{@link Engine#AWS_LC}: AWS-LC's native code through the Amazon Corretto Crypto Provider,
 *       9–12 µs. Used where its native library loads (Linux on x86-64 or ARM64, glibc) and,
 *       checked once per JVM, signs a known message exactly as BouncyCastle does.
 *   <li>{@link Engine#BOUNCY_CASTLE}: pure Java, 25–50 µs; everywhere else, or when {@code
 *       licensor.signing.engine} says so.
 * </ul>
 *
 * Ed25519 signatures are deterministic, so both engines give the same bytes for the same key and
 * data; which one signs is invisible to clients.
 */
final class Ed25519 {
    private static final Logger log = LoggerFactory.getLogger(Ed25519.class);
    private static final AtomicBoolean NATIVE_FAILURE_LOGGED = new AtomicBoolean();

    private Ed25519() {}

    /**
     * The engine that signs for a setting: {@code AUTO} is {@link Engine#AWS_LC} where it works in
     * this JVM, else {@link Engine#BOUNCY_CASTLE}; {@code AWS_LC} where it does not is an error.
     */
    static Engine engine(Engine setting) {
        return switch (setting) {
            case AUTO -> Native.PROBLEM == null ? Engine.AWS_LC : Engine.BOUNCY_CASTLE;
            case AWS_LC -> {
                if (Native.PROBLEM != null) {
                    throw new IllegalStateException(
                            "licensor.signing.engine=aws-lc, but AWS-LC cannot sign here: " + Native.PROBLEM);
                }
                yield Engine.AWS_LC;
            }
            case BOUNCY_CASTLE -> Engine.BOUNCY_CASTLE;
        };
    }

    /** Why the native engine cannot sign in this JVM, or null if it can. */
    static @Nullable String nativeProblem() {
        return Native.PROBLEM;
    }

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

    /**
     * A private key ready to sign; thread-safe. Should the native engine ever fail to sign, the
     * signature comes from BouncyCastle instead (the same bytes) and the failure is logged once:
     * an answer without a signature would be refused by every client.
     */
    static final class SigningKey {
        private final Ed25519PrivateKeyParameters key;
        /** The same key for the native engine, or null when BouncyCastle signs. */
        private final @Nullable PrivateKey nativeKey;

        /** {@code nativeKey}: the same key as a JDK key, or null for BouncyCastle alone. */
        SigningKey(Ed25519PrivateKeyParameters key, @Nullable PrivateKey nativeKey) {
            this.key = key;
            this.nativeKey = nativeKey;
        }

        /** The 64-byte signature of {@code data}. */
        byte[] sign(byte[] data) {
            if (nativeKey != null) {
                try {
                    return Native.sign(nativeKey, data);
                } catch (RuntimeException e) {
                    if (NATIVE_FAILURE_LOGGED.compareAndSet(false, true)) {
                        log.error("AWS-LC could not sign; BouncyCastle signs instead (logged once)", e);
                    }
                }
            }
            return signWithBouncyCastle(key, data);
        }

        /** The engine that signs with this key: {@link Engine#AWS_LC} or {@link Engine#BOUNCY_CASTLE}. */
        Engine engine() {
            return nativeKey != null ? Engine.AWS_LC : Engine.BOUNCY_CASTLE;
        }
    }

    /**
     * The signing key for a PKCS #8 encoded private key (as {@link PrivateKey#getEncoded()} gives),
     * signing with the engine {@link #engine(Engine)} picks for {@code setting}.
     */
    static SigningKey signingKey(byte[] pkcs8, Engine setting) {
        Ed25519PrivateKeyParameters key = parse(pkcs8);
        return new SigningKey(key, engine(setting) == Engine.AWS_LC ? jdkKey(pkcs8) : null);
    }

    static Ed25519PrivateKeyParameters parse(byte[] pkcs8) {
        try {
            if (PrivateKeyFactory.createKey(pkcs8) instanceof Ed25519PrivateKeyParameters key) {
                return key;
            }
        } catch (IOException | RuntimeException e) {
            throw new IllegalStateException("not an Ed25519 private key", e);
        }
        throw new IllegalStateException("not an Ed25519 private key");
    }

    private static PrivateKey jdkKey(byte[] pkcs8) {
        try {
            return KeyFactory.getInstance("Ed25519").generatePrivate(new PKCS8EncodedKeySpec(pkcs8));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("not an Ed25519 private key", e);
        }
    }

    private static byte[] signWithBouncyCastle(Ed25519PrivateKeyParameters key, byte[] data) {
        byte[] signature = new byte[Ed25519PrivateKeyParameters.SIGNATURE_SIZE];
        key.sign(org.bouncycastle.math.ec.rfc8032.Ed25519.Algorithm.Ed25519, null, data, 0, data.length, signature, 0);
        return signature;
    }

    /**
     * AWS-LC's Ed25519 through the Amazon Corretto Crypto Provider, used only through this class:
     * the provider is not installed in the JVM, so nothing else changes its algorithms. Its {@link
     * Signature} objects are not thread-safe, so each thread keeps one (request threads are pooled);
     * after {@code sign()} a {@link Signature} is ready for the next message with the same key.
     */
    private static final class Native {
        static final @Nullable Provider PROVIDER;
        static final @Nullable String PROBLEM;

        static {
            Provider provider = null;
            String problem;
            try {
                AmazonCorrettoCryptoProvider accp = AmazonCorrettoCryptoProvider.INSTANCE;
                Throwable loading = accp.getLoadingError();
                problem = loading != null ? "its native library did not load: " + loading : selfTest(accp);
                provider = problem == null ? accp : null;
            } catch (LinkageError | RuntimeException e) {
                problem = e.toString();
            }
            PROVIDER = provider;
            PROBLEM = problem;
        }

        private static final ThreadLocal<Current> CURRENT = new ThreadLocal<>();

        private record Current(PrivateKey key, Signature signature) {}

        static byte[] sign(PrivateKey key, byte[] data) {
            try {
                Current current = CURRENT.get();
                if (current == null || current.key() != key) {
                    Signature signature = Signature.getInstance("Ed25519", PROVIDER);
                    signature.initSign(key);
                    current = new Current(key, signature);
                    CURRENT.set(current);
                }
                current.signature().update(data);
                return current.signature().sign();
            } catch (GeneralSecurityException e) {
                CURRENT.remove();
                throw new IllegalStateException("the native Ed25519 signature failed", e);
            }
        }

        /** Null if the provider signs a fixed message with a fixed key exactly as BouncyCastle does, else why not. */
        private static @Nullable String selfTest(Provider provider) {
            try {
                Ed25519PrivateKeyParameters key = new Ed25519PrivateKeyParameters(new byte[32], 0);
                byte[] data = "licensor ed25519 self-test".getBytes(StandardCharsets.US_ASCII);
                PrivateKey jdk =
                        jdkKey(PrivateKeyInfoFactory.createPrivateKeyInfo(key).getEncoded());
                Signature signature = Signature.getInstance("Ed25519", provider);
                signature.initSign(jdk);
                signature.update(data);
                return Arrays.equals(signature.sign(), signWithBouncyCastle(key, data))
                        ? null
                        : "its signature of a test message differs from BouncyCastle's";
            } catch (GeneralSecurityException | IOException | RuntimeException e) {
                return "its self-test failed: " + e;
            }
        }
    }
}
