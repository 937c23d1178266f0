package dev.licensor.server.testing;

import com.nimbusds.jose.JWSVerifier;
import com.nimbusds.jose.crypto.Ed25519Verifier;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.OctetKeyPair;
import com.nimbusds.jwt.SignedJWT;
import java.nio.charset.StandardCharsets;
import java.security.KeyFactory;
import java.security.MessageDigest;
import java.security.PublicKey;
import java.security.Signature;
import java.security.spec.X509EncodedKeySpec;
import java.util.Base64;
import java.util.HexFormat;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Verifies the server's signatures the way a client would, with code independent of the server:
 * the JWKS parsed by Nimbus, response signatures checked with the JDK's Ed25519 over a canonical
 * string built here from the documented format, offline tokens with Nimbus's Tink-based verifier.
 */
public final class IndependentVerifier {
    private static final Pattern SIGNATURE_HEADER =
            Pattern.compile("keyid=\"([^\"]+)\", algorithm=\"ed25519\", signature=\"([^\"]+)\"");
    private static final byte[] X509_ED25519 = HexFormat.of().parseHex("302a300506032b6570032100");

    private final JWKSet keys;

    public IndependentVerifier(String jwksJson) {
        try {
            this.keys = JWKSet.parse(jwksJson);
        } catch (java.text.ParseException e) {
            throw new IllegalArgumentException(e);
        }
    }

    /** The keys published at {@code /api/keys} right now. */
    public static IndependentVerifier fetch(Http http) {
        return new IndependentVerifier(http.get("/api/keys").body());
    }

    public boolean publishes(String kid) {
        return keys.getKeyByKeyId(kid) != null;
    }

    /** The key id named by a response's {@code X-Licensor-Signature}. */
    public static String keyId(Http.Response response) {
        Matcher m = parse(response);
        return m.group(1);
    }

    /** Whether the response's signature holds for the given method, path and request nonce. */
    public boolean verifies(Http.Response response, String method, String path, String nonce) {
        return verifies(response, method, path, nonce, response.body().getBytes(StandardCharsets.UTF_8));
    }

    /** The same, for a body other than the one received (to show that tampering is detected). */
    public boolean verifies(Http.Response response, String method, String path, String nonce, byte[] body) {
        Matcher m = parse(response);
        OctetKeyPair jwk = (OctetKeyPair) keys.getKeyByKeyId(m.group(1));
        if (jwk == null) {
            return false;
        }
        String canonical = response.status() + "\n" + method + " " + path + "\n" + response.header("Date") + "\n"
                + nonce + "\n" + sha256Hex(body);
        try {
            Signature verifier = Signature.getInstance("Ed25519");
            verifier.initVerify(publicKey(jwk.getX().decode()));
            verifier.update(canonical.getBytes(StandardCharsets.UTF_8));
            return verifier.verify(Base64.getDecoder().decode(m.group(2)));
        } catch (java.security.GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    /** A verified offline token's claims (signature checked with the kid's published key). */
    public Map<String, Object> verifyToken(String compact) {
        try {
            SignedJWT jwt = SignedJWT.parse(compact);
            OctetKeyPair jwk = (OctetKeyPair) keys.getKeyByKeyId(jwt.getHeader().getKeyID());
            if (jwk == null) {
                throw new IllegalStateException("token key " + jwt.getHeader().getKeyID() + " is not published");
            }
            JWSVerifier verifier = new Ed25519Verifier(jwk.toPublicJWK());
            if (!jwt.verify(verifier)) {
                throw new IllegalStateException("bad token signature");
            }
            return jwt.getJWTClaimsSet().toJSONObject(true);
        } catch (java.text.ParseException | com.nimbusds.jose.JOSEException e) {
            throw new IllegalStateException(e);
        }
    }

    public static String sha256Hex(byte[] body) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(body));
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private static Matcher parse(Http.Response response) {
        String header = response.header("X-Licensor-Signature");
        if (header == null) {
            throw new AssertionError("response is not signed: " + response);
        }
        Matcher m = SIGNATURE_HEADER.matcher(header);
        if (!m.matches()) {
            throw new AssertionError("malformed signature header: " + header);
        }
        return m;
    }

    private static PublicKey publicKey(byte[] raw) throws java.security.GeneralSecurityException {
        byte[] encoded = new byte[X509_ED25519.length + raw.length];
        System.arraycopy(X509_ED25519, 0, encoded, 0, X509_ED25519.length);
        System.arraycopy(raw, 0, encoded, X509_ED25519.length, raw.length);
        return KeyFactory.getInstance("Ed25519").generatePublic(new X509EncodedKeySpec(encoded));
    }
}
