package dev.licensor.server.signing;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Settings of the signing feature ({@code licensor.signing.*}).
 *
 * @param issuer the {@code iss} claim of offline tokens
 * @param keyRefreshSeconds how often an instance re-reads the signing keys, so a rotation made on
 *     another instance is picked up (old keys stay published, so nothing fails meanwhile)
 * @param requestWindowSeconds how far a signed request's {@code X-Timestamp} may be from the server time
 * @param engine the code that computes Ed25519 signatures
 */
@ConfigurationProperties("licensor.signing")
public record SigningProperties(
        @DefaultValue("licensor") String issuer,
        @DefaultValue("30") int keyRefreshSeconds,
        @DefaultValue("300") int requestWindowSeconds,
        @DefaultValue("auto") Engine engine) {

    /** The code that computes Ed25519 signatures; both give the same bytes (the scheme is deterministic). */
    public enum Engine {
        /** AWS-LC where its native library works in this JVM, else BouncyCastle. */
        AUTO,
        /** AWS-LC's native code (Amazon Corretto Crypto Provider); the server does not start without it. */
        AWS_LC,
        /** BouncyCastle's pure-Java code. */
        BOUNCY_CASTLE
    }
}
