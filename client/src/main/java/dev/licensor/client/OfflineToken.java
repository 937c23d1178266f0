package dev.licensor.client;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * The claims of an offline token (SPEC §5.4): a compact JWS, header {@code alg: EdDSA} with the
 * {@code kid} of the server key that signed it. Decoding does not verify anything; use {@link
 * OfflineVerifier}.
 *
 * @param compact the token as issued
 * @param keyId the header's {@code kid}
 * @param issuer {@code iss}, or null
 * @param licenseKey {@code sub}
 * @param product {@code product}, or null
 * @param hardwareHash {@code hw}
 * @param features {@code features}
 * @param licenseExpiresAt {@code lic_exp}, or null for a perpetual license
 * @param issuedAt {@code iat}
 * @param expiresAt {@code exp}: the program may run offline until then
 */
public record OfflineToken(
        String compact,
        String keyId,
        @Nullable String issuer,
        String licenseKey,
        @Nullable String product,
        String hardwareHash,
        List<String> features,
        @Nullable Instant licenseExpiresAt,
        Instant issuedAt,
        Instant expiresAt) {

    /** The only JWS algorithm accepted. */
    public static final String ALGORITHM = "EdDSA";

    /** Copies the feature list. */
    public OfflineToken {
        features = List.copyOf(features);
    }

    /**
     * Decodes a token without verifying it.
     *
     * @param compact the compact JWS
     * @return the claims
     * @throws IllegalArgumentException when it is not a well-formed EdDSA token with the claims
     */
    public static OfflineToken decode(String compact) {
        String[] parts = compact.strip().split("\\.", -1);
        if (parts.length != 3) {
            throw new IllegalArgumentException("a compact JWS has three parts");
        }
        try {
            JsonObject header = new JsonObject(Json.parseObject(base64url(parts[0])));
            if (!ALGORITHM.equals(header.optString("alg"))) {
                throw new IllegalArgumentException("the token's alg is not " + ALGORITHM);
            }
            if (header.has("crit")) {
                throw new IllegalArgumentException("the token has critical header parameters");
            }
            JsonObject claims = new JsonObject(Json.parseObject(base64url(parts[1])));
            return new OfflineToken(
                    compact.strip(),
                    header.string("kid"),
                    claims.optString("iss"),
                    claims.string("sub"),
                    claims.optString("product"),
                    claims.string("hw"),
                    claims.stringList("features"),
                    numericDateOrNull(claims, "lic_exp"),
                    numericDate(claims, "iat"),
                    numericDate(claims, "exp"));
        } catch (Json.JsonException | InvalidResponseException e) {
            throw new IllegalArgumentException("malformed token: " + e.getMessage(), e);
        }
    }

    /**
     * The signing input: the first two parts of the compact form, as signed.
     *
     * @return {@code header.payload}
     */
    String signingInput() {
        return compact.substring(0, compact.lastIndexOf('.'));
    }

    /**
     * The signature bytes.
     *
     * @return the decoded third part
     */
    byte[] signature() {
        return Base64.getUrlDecoder().decode(compact.substring(compact.lastIndexOf('.') + 1));
    }

    private static String base64url(String part) {
        try {
            return new String(Base64.getUrlDecoder().decode(part), StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("a token part is not base64url", e);
        }
    }

    private static Instant numericDate(JsonObject claims, String name) {
        Instant value = numericDateOrNull(claims, name);
        if (value == null) {
            throw new IllegalArgumentException("the token lacks the claim " + name);
        }
        return value;
    }

    private static @Nullable Instant numericDateOrNull(JsonObject claims, String name) {
        Object value = claims.raw(name);
        return switch (value) {
            case null -> null;
            case Number n -> Instant.ofEpochSecond(n.longValue());
            // Tolerate an ISO-8601 lic_exp, should a server write one.
            case String s -> claims.optInstant(name);
            default -> throw new IllegalArgumentException("the claim " + name + " is not a date");
        };
    }
}
