package dev.licensor.protocol;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.Signature;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Base64;
import java.util.HexFormat;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;

/**
 * The response signature of the client API (SPEC §5.3), in one place for the server that signs
 * and the clients that verify.
 *
 * <p>Every client-API response carries {@code Date} and
 * {@code X-Licensor-Signature: keyid="…", algorithm="ed25519", signature="<base64>"}, an Ed25519
 * signature over the UTF-8 bytes of
 *
 * <pre>
 * STATUS "\n" METHOD " " PATH "\n" DATE "\n" REQUEST_NONCE "\n" hex(SHA-256(body))
 * </pre>
 *
 * <ul>
 *   <li>{@code STATUS}: the decimal HTTP status, e.g. {@code 200}.
 *   <li>{@code METHOD}: the request method in upper case.
 *   <li>{@code PATH}: see {@link #pathAndQuery(String, String)}: the raw (still percent-encoded)
 *       request path as it appeared in the request line, followed by {@code ?} and the raw query
 *       when the request had a non-empty query. On a servlet container that is {@code
 *       getRequestURI()} plus {@code "?" + getQueryString()}.
 *   <li>{@code DATE}: the {@code Date} response header exactly as sent (RFC 9110 IMF-fixdate,
 *       e.g. {@code Sun, 23 Nov 2026 12:00:00 GMT}); verifiers use the received text verbatim and
 *       never re-format it, so the signer must sign the very string it puts in the header.
 *   <li>{@code REQUEST_NONCE}: see {@link #requestNonce(String, String)}.
 *   <li>the body hash: lower-case hex SHA-256 of the response body bytes as sent (the hash of
 *       the empty string when there is no body).
 * </ul>
 */
public final class ResponseSigning {
    /** The response header carrying the signature. */
    public static final String HEADER = "X-Licensor-Signature";
    /** The only signature algorithm, as named in the header. */
    public static final String ALGORITHM = "ed25519";
    /** The JDK algorithm name for Ed25519 signatures. */
    public static final String JCA_ALGORITHM = "Ed25519";

    /** The {@code Date} header's format (RFC 9110 IMF-fixdate), in which signers write {@code DATE}. */
    public static final DateTimeFormatter HTTP_DATE = DateTimeFormatter.ofPattern(
                    "EEE, dd MMM yyyy HH:mm:ss 'GMT'", Locale.US)
            .withZone(ZoneOffset.UTC);

    private static final Pattern PARAM = Pattern.compile("\\s*([A-Za-z]+)\\s*=\\s*\"([^\"]*)\"\\s*(,|$)");

    private ResponseSigning() {}

    /** A parsed {@code X-Licensor-Signature} header. */
    public record SignatureHeader(String keyId, String algorithm, byte[] signature) {
        /** Copies the signature bytes. */
        public SignatureHeader {
            signature = signature.clone();
        }

        /** The signature bytes (a copy). */
        @Override
        public byte[] signature() {
            return signature.clone();
        }
    }

    /**
     * The string that is signed for a response.
     *
     * @param status the HTTP status code
     * @param method the request method
     * @param pathAndQuery the request target as formed by {@link #pathAndQuery(String, String)}
     * @param date the {@code Date} response header exactly as sent
     * @param requestNonce the nonce as chosen by {@link #requestNonce(String, String)}
     * @param body the response body bytes
     * @return the canonical string
     */
    public static String canonical(
            int status, String method, String pathAndQuery, String date, String requestNonce, byte[] body) {
        return status + "\n" + method.toUpperCase(Locale.ROOT) + " " + pathAndQuery + "\n" + date + "\n" + requestNonce
                + "\n" + sha256Hex(body);
    }

    /**
     * The {@code PATH} part of the canonical string: the raw path, plus {@code ?} and the raw
     * query when the query is non-empty. Both parts are taken as they appeared on the wire
     * (percent-encoding kept).
     *
     * @param rawPath the raw request path, e.g. {@code /api/license/info/AF-12345}
     * @param rawQuery the raw query without {@code ?}, or null when the request had none
     * @return the path with its query
     */
    public static String pathAndQuery(String rawPath, @Nullable String rawQuery) {
        return rawQuery == null || rawQuery.isEmpty() ? rawPath : rawPath + "?" + rawQuery;
    }

    /**
     * The {@code REQUEST_NONCE} part: the request's {@code X-Nonce} header when present and
     * non-empty, else the {@code nonce} field of the request body, else the empty string.
     *
     * @param headerNonce the request's {@code X-Nonce} header, or null
     * @param bodyNonce the request body's {@code nonce} field, or null
     * @return the nonce the response is bound to
     */
    public static String requestNonce(@Nullable String headerNonce, @Nullable String bodyNonce) {
        if (headerNonce != null && !headerNonce.isEmpty()) {
            return headerNonce;
        }
        return bodyNonce == null ? "" : bodyNonce;
    }

    /**
     * Formats the header value.
     *
     * @param keyId the id of the signing key, as listed in {@code /api/keys}
     * @param signature the Ed25519 signature
     * @return {@code keyid="…", algorithm="ed25519", signature="<base64>"}
     */
    public static String header(String keyId, byte[] signature) {
        return "keyid=\"" + keyId + "\", algorithm=\"" + ALGORITHM + "\", signature=\""
                + Base64.getEncoder().encodeToString(signature) + "\"";
    }

    /**
     * Parses a header value; parameters may come in any order.
     *
     * @param value the header value
     * @return the parsed header, or empty when it is malformed or lacks a parameter
     */
    public static Optional<SignatureHeader> parseHeader(String value) {
        Matcher m = PARAM.matcher(value);
        String keyId = null;
        String algorithm = null;
        String signature = null;
        int at = 0;
        while (at < value.length()) {
            if (!m.find(at) || m.start() != at) {
                return Optional.empty();
            }
            switch (m.group(1).toLowerCase(Locale.ROOT)) {
                case "keyid" -> keyId = m.group(2);
                case "algorithm" -> algorithm = m.group(2);
                case "signature" -> signature = m.group(2);
                default -> {
                    // Unknown parameters are ignored so the header can grow.
                }
            }
            at = m.end();
        }
        if (keyId == null || algorithm == null || signature == null) {
            return Optional.empty();
        }
        try {
            return Optional.of(
                    new SignatureHeader(keyId, algorithm, Base64.getDecoder().decode(signature)));
        } catch (IllegalArgumentException e) {
            return Optional.empty();
        }
    }

    /**
     * Signs a canonical string.
     *
     * @param key an Ed25519 private key
     * @param canonical the canonical string
     * @return the 64-byte signature
     */
    public static byte[] sign(PrivateKey key, String canonical) {
        try {
            Signature signature = Signature.getInstance(JCA_ALGORITHM);
            signature.initSign(key);
            signature.update(canonical.getBytes(StandardCharsets.UTF_8));
            return signature.sign();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("cannot sign with Ed25519", e);
        }
    }

    /**
     * Verifies a signature over a canonical string.
     *
     * @param key an Ed25519 public key
     * @param canonical the canonical string
     * @param signature the signature
     * @return whether the signature is valid
     */
    public static boolean verify(PublicKey key, String canonical, byte[] signature) {
        try {
            Signature verifier = Signature.getInstance(JCA_ALGORITHM);
            verifier.initVerify(key);
            verifier.update(canonical.getBytes(StandardCharsets.UTF_8));
            return verifier.verify(signature);
        } catch (GeneralSecurityException | IllegalArgumentException e) {
            return false;
        }
    }

    /**
     * Lower-case hex SHA-256 of some bytes.
     *
     * @param bytes the bytes
     * @return 64 hex characters
     */
    public static String sha256Hex(byte[] bytes) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is not available", e);
        }
    }
}
