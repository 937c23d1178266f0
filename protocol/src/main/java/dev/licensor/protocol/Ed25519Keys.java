package dev.licensor.protocol;

import java.math.BigInteger;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.PublicKey;
import java.security.interfaces.EdECPublicKey;
import java.security.spec.EdECPoint;
import java.security.spec.EdECPublicKeySpec;
import java.security.spec.NamedParameterSpec;
import java.util.Base64;

/**
 * Conversions between Ed25519 public keys and their raw 32-byte form, which is what a JWK
 * ({@code kty: OKP, crv: Ed25519}) carries base64url-encoded in {@code x} (RFC 8037).
 *
 * <p>The raw form (RFC 8032 §5.1.2) is the y coordinate in little-endian order with the
 * lowest bit of x ("x is odd") stored in the top bit of the last byte.
 */
public final class Ed25519Keys {
    /** Length of a raw public key. */
    public static final int RAW_LENGTH = 32;

    private Ed25519Keys() {}

    /**
     * The public key for a raw 32-byte encoding.
     *
     * @param raw the encoded point
     * @return the key
     * @throws IllegalArgumentException when the bytes are not a valid key
     */
    public static PublicKey fromRaw(byte[] raw) {
        if (raw.length != RAW_LENGTH) {
            throw new IllegalArgumentException("an Ed25519 public key is 32 bytes, not " + raw.length);
        }
        byte[] bigEndian = new byte[RAW_LENGTH];
        for (int i = 0; i < RAW_LENGTH; i++) {
            bigEndian[i] = raw[RAW_LENGTH - 1 - i];
        }
        boolean xOdd = (bigEndian[0] & 0x80) != 0;
        bigEndian[0] &= 0x7f;
        EdECPoint point = new EdECPoint(xOdd, new BigInteger(1, bigEndian));
        try {
            return KeyFactory.getInstance("Ed25519")
                    .generatePublic(new EdECPublicKeySpec(NamedParameterSpec.ED25519, point));
        } catch (GeneralSecurityException e) {
            throw new IllegalArgumentException("not an Ed25519 public key", e);
        }
    }

    /**
     * The raw 32-byte encoding of an Ed25519 public key.
     *
     * @param key an Ed25519 public key
     * @return the encoded point
     */
    public static byte[] toRaw(PublicKey key) {
        if (!(key instanceof EdECPublicKey ed)) {
            throw new IllegalArgumentException("not an Ed25519 public key: " + key.getAlgorithm());
        }
        byte[] y = ed.getPoint().getY().toByteArray();
        byte[] raw = new byte[RAW_LENGTH];
        // toByteArray is big-endian and may carry a leading sign byte; copy from the low end.
        for (int i = 0; i < RAW_LENGTH && i < y.length; i++) {
            raw[i] = y[y.length - 1 - i];
        }
        if (ed.getPoint().isXOdd()) {
            raw[RAW_LENGTH - 1] |= (byte) 0x80;
        }
        return raw;
    }

    /**
     * The public key for a JWK's {@code x} member.
     *
     * @param x base64url (without padding) of the raw key
     * @return the key
     */
    public static PublicKey fromJwkX(String x) {
        return fromRaw(Base64.getUrlDecoder().decode(x));
    }

    /**
     * The JWK {@code x} member for a public key.
     *
     * @param key an Ed25519 public key
     * @return base64url without padding
     */
    public static String toJwkX(PublicKey key) {
        return Base64.getUrlEncoder().withoutPadding().encodeToString(toRaw(key));
    }
}
