package dev.licensor.protocol;

import java.nio.charset.StandardCharsets;
import java.security.InvalidKeyException;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.Optional;
import java.util.regex.Pattern;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * The license key format {@code <PREFIX>-XXXXX-XXXXX-XXXXX-XXXXX-XXXXX}: 23 random Crockford
 * base32 symbols (115 bits) followed by 2 check symbols taken from an HMAC-SHA256 of the prefix and
 * the random part under the server secret. A key whose check symbols do not match was not issued
 * by this server and is rejected without a database look-up.
 */
public final class LicenseKeyFormat {
    /** Random symbols per key. */
    public static final int RANDOM_LENGTH = 23;
    /** Check symbols per key. */
    public static final int CHECK_LENGTH = 2;

    private static final int BODY_LENGTH = RANDOM_LENGTH + CHECK_LENGTH;
    private static final Pattern PREFIX = Pattern.compile("[A-Z]{2,4}");

    private final SecretKeySpec secret;

    /** A format checking and generating keys with the given server secret. */
    public LicenseKeyFormat(byte[] secret) {
        if (secret.length < 16) {
            throw new IllegalArgumentException("the license key secret must be at least 16 bytes");
        }
        this.secret = new SecretKeySpec(secret.clone(), "HmacSHA256");
    }

    /** Whether the string is a valid key prefix: 2 to 4 upper-case letters. */
    public static boolean isValidPrefix(String prefix) {
        return PREFIX.matcher(prefix).matches();
    }

    /**
     * The compact look-up form of any key as typed: upper case, without dashes and whitespace.
     * Used for both standard and legacy keys, so look-ups are insensitive to case and dashes.
     */
    public static String compact(String typed) {
        StringBuilder out = new StringBuilder(typed.length());
        for (int i = 0; i < typed.length(); i++) {
            char c = typed.charAt(i);
            if (c == '-' || Character.isWhitespace(c)) {
                continue;
            }
            out.append(Character.toUpperCase(c));
        }
        return out.toString();
    }

    /** A new key for the prefix, drawn from the given random source. */
    public String generate(String prefix, SecureRandom random) {
        requirePrefix(prefix);
        char[] body = new char[BODY_LENGTH];
        for (int i = 0; i < RANDOM_LENGTH; i++) {
            body[i] = Crockford.symbol(random.nextInt(32));
        }
        String check = check(prefix, new String(body, 0, RANDOM_LENGTH));
        body[RANDOM_LENGTH] = check.charAt(0);
        body[RANDOM_LENGTH + 1] = check.charAt(1);
        return display(prefix, new String(body));
    }

    /**
     * Parses a key as typed by a user, for the expected prefix. Returns the canonical key (upper
     * case, confusable letters read as digits, dashes in place) when the shape and the check
     * symbols are right, and empty otherwise.
     */
    public Optional<String> parse(String typed, String prefix) {
        String compact = compact(typed);
        if (!compact.startsWith(prefix) || compact.length() != prefix.length() + BODY_LENGTH) {
            return Optional.empty();
        }
        char[] body = new char[BODY_LENGTH];
        for (int i = 0; i < BODY_LENGTH; i++) {
            int value = Crockford.value(compact.charAt(prefix.length() + i));
            if (value < 0) {
                return Optional.empty();
            }
            body[i] = Crockford.symbol(value);
        }
        String random = new String(body, 0, RANDOM_LENGTH);
        String expected = check(prefix, random);
        if (expected.charAt(0) != body[RANDOM_LENGTH] || expected.charAt(1) != body[RANDOM_LENGTH + 1]) {
            return Optional.empty();
        }
        return Optional.of(display(prefix, new String(body)));
    }

    /**
     * Whether a typed key has the standard shape for the prefix (right length, only base32
     * symbols), regardless of its check symbols. Keys of another shape may be imported legacy keys.
     */
    public static boolean hasStandardShape(String typed, String prefix) {
        String compact = compact(typed);
        if (!compact.startsWith(prefix) || compact.length() != prefix.length() + BODY_LENGTH) {
            return false;
        }
        for (int i = prefix.length(); i < compact.length(); i++) {
            if (Crockford.value(compact.charAt(i)) < 0) {
                return false;
            }
        }
        return true;
    }

    private String check(String prefix, String random) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(secret);
            mac.update(prefix.getBytes(StandardCharsets.US_ASCII));
            byte[] digest = mac.doFinal(random.getBytes(StandardCharsets.US_ASCII));
            int bits = ((digest[0] & 0xff) << 2) | ((digest[1] & 0xff) >>> 6);
            return new String(new char[] {Crockford.symbol(bits >>> 5), Crockford.symbol(bits)});
        } catch (NoSuchAlgorithmException | InvalidKeyException e) {
            throw new IllegalStateException("HmacSHA256 is not available", e);
        }
    }

    private static String display(String prefix, String body) {
        StringBuilder out = new StringBuilder(prefix.length() + BODY_LENGTH + 5);
        out.append(prefix);
        for (int i = 0; i < BODY_LENGTH; i += 5) {
            out.append('-').append(body, i, i + 5);
        }
        return out.toString();
    }

    private static void requirePrefix(String prefix) {
        if (!isValidPrefix(prefix)) {
            throw new IllegalArgumentException("a key prefix is 2 to 4 upper-case letters");
        }
    }
}
