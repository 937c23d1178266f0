package dev.licensor.server.signing;

import dev.licensor.server.testing.IndependentVerifier;
import java.nio.charset.StandardCharsets;
import java.util.HexFormat;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/** Signs requests as a client would (SPEC §5.2), written from the documented format. */
final class SignedRequests {
    private SignedRequests() {}

    /** The header pairs for a request: X-Timestamp, X-Nonce, X-Signature, plus the API key. */
    static String[] headers(
            String apiKey,
            String secret,
            String method,
            String pathAndQuery,
            String body,
            long timestamp,
            String nonce) {
        String canonical = method + "\n" + pathAndQuery + "\n" + timestamp + "\n" + nonce + "\n"
                + IndependentVerifier.sha256Hex(body.getBytes(StandardCharsets.UTF_8));
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
            String signature = HexFormat.of().formatHex(mac.doFinal(canonical.getBytes(StandardCharsets.UTF_8)));
            return new String[] {
                "X-API-Key", apiKey, "X-Timestamp", Long.toString(timestamp), "X-Nonce", nonce, "X-Signature", signature
            };
        } catch (java.security.GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }
}
