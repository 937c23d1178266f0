package dev.licensor.protocol;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.HexFormat;
import java.util.Locale;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Request signing of the client API (SPEC §5.2), in one place for the clients that sign and the
 * server that checks.
 *
 * <p>{@code X-Signature} is the lower-case hex HMAC-SHA256, keyed with the UTF-8 bytes of the
 * signing secret issued with the API key, over the UTF-8 bytes of
 *
 * <pre>
 * METHOD "\n" PATH[?QUERY] "\n" TIMESTAMP "\n" NONCE "\n" hex(SHA-256(body))
 * </pre>
 *
 * where {@code PATH[?QUERY]} is formed exactly as for responses by {@link
 * ResponseSigning#pathAndQuery(String, String)}, {@code TIMESTAMP} is the {@code X-Timestamp}
 * header (Unix seconds, decimal) and {@code NONCE} the {@code X-Nonce} header.
 */
public final class RequestSigning {
    /** Header with the Unix time in seconds. */
    public static final String TIMESTAMP_HEADER = "X-Timestamp";
    /** Header with the random request nonce. */
    public static final String NONCE_HEADER = "X-Nonce";
    /** Header with the hex HMAC. */
    public static final String SIGNATURE_HEADER = "X-Signature";
    /** The shortest nonce the server accepts. */
    public static final int MIN_NONCE_LENGTH = 16;
    /** How far the timestamp may be from the server's clock. */
    public static final Duration MAX_SKEW = Duration.ofSeconds(300);

    private RequestSigning() {}

    /**
     * The string that is signed for a request.
     *
     * @param method the request method
     * @param pathAndQuery the raw path, with {@code ?} and the raw query when there is one
     * @param timestamp the {@code X-Timestamp} value
     * @param nonce the {@code X-Nonce} value
     * @param body the request body bytes (empty for none)
     * @return the canonical string
     */
    public static String canonical(String method, String pathAndQuery, long timestamp, String nonce, byte[] body) {
        return method.toUpperCase(Locale.ROOT) + "\n" + pathAndQuery + "\n" + timestamp + "\n" + nonce + "\n"
                + ResponseSigning.sha256Hex(body);
    }

    /**
     * The {@code X-Signature} value for a canonical string.
     *
     * @param secret the signing secret issued with the API key
     * @param canonical the canonical string
     * @return lower-case hex HMAC-SHA256
     */
    public static String sign(String secret, String canonical) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
            return HexFormat.of().formatHex(mac.doFinal(canonical.getBytes(StandardCharsets.UTF_8)));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 is not available", e);
        }
    }

    /**
     * Checks a signature in constant time.
     *
     * @param secret the signing secret
     * @param canonical the canonical string
     * @param signatureHex the {@code X-Signature} value as received
     * @return whether it matches
     */
    public static boolean verify(String secret, String canonical, String signatureHex) {
        byte[] expected = sign(secret, canonical).getBytes(StandardCharsets.US_ASCII);
        byte[] actual = signatureHex.toLowerCase(Locale.ROOT).getBytes(StandardCharsets.US_ASCII);
        return MessageDigest.isEqual(expected, actual);
    }
}
