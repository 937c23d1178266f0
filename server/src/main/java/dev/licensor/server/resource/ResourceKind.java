package dev.licensor.server.resource;

import java.net.IDN;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * The kinds of pooled resources and the one normalized form each value is stored in, so that
 * {@code Example.COM}, {@code example.com.} and {@code example.com} are one domain.
 */
public enum ResourceKind {
    /** A host or domain name, lower case, internationalized names in their ASCII (punycode) form. */
    DOMAIN,
    /** An IPv4 address as a dotted quad in decimal without leading zeros. */
    IPV4,
    /** A phone number in E.164: {@code +} and 7 to 15 digits, the first not 0. */
    PHONE;

    /** The longest value of any kind (a domain name). */
    public static final int MAX_LENGTH = 253;

    private static final Pattern LABEL = Pattern.compile("[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?");
    private static final Pattern QUAD = Pattern.compile("\\d{1,3}(?:\\.\\d{1,3}){3}");
    private static final Pattern PHONE_DIGITS = Pattern.compile("\\+[1-9]\\d{6,14}");
    private static final Pattern PHONE_SEPARATORS = Pattern.compile("[\\s\\-().]");

    /** The kind named (case-insensitive), if any. */
    public static Optional<ResourceKind> parse(String name) {
        try {
            return Optional.of(valueOf(name.strip().toUpperCase(Locale.ROOT)));
        } catch (IllegalArgumentException e) {
            return Optional.empty();
        }
    }

    /**
     * The stored form of a value of this kind.
     *
     * @throws IllegalArgumentException with a message for the user when the value is not one
     */
    public String normalize(String raw) {
        String value = raw.strip();
        if (value.isEmpty()) {
            throw new IllegalArgumentException("must not be blank");
        }
        return switch (this) {
            case DOMAIN -> domain(value);
            case IPV4 -> ipv4(value);
            case PHONE -> phone(value);
        };
    }

    private static String domain(String value) {
        if (value.contains("://") || value.contains("/") || value.contains(":") || value.contains("@")) {
            throw new IllegalArgumentException("must be a domain name alone, without scheme, port, path or user");
        }
        String name = value.endsWith(".") ? value.substring(0, value.length() - 1) : value;
        String ascii;
        try {
            ascii = IDN.toASCII(name, IDN.USE_STD3_ASCII_RULES).toLowerCase(Locale.ROOT);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("is not a valid domain name");
        }
        if (ascii.length() > MAX_LENGTH) {
            throw new IllegalArgumentException("is longer than " + MAX_LENGTH + " characters");
        }
        String[] labels = ascii.split("\\.", -1);
        if (labels.length < 2) {
            throw new IllegalArgumentException("must have at least two labels, such as example.com");
        }
        for (String label : labels) {
            if (!LABEL.matcher(label).matches()) {
                throw new IllegalArgumentException("is not a valid domain name");
            }
        }
        if (labels[labels.length - 1].chars().allMatch(Character::isDigit)) {
            throw new IllegalArgumentException("is not a valid domain name (an IP address is an IPV4 resource)");
        }
        return ascii;
    }

    private static String ipv4(String value) {
        if (!QUAD.matcher(value).matches()) {
            throw new IllegalArgumentException("must be an IPv4 address such as 192.0.2.10");
        }
        StringBuilder canonical = new StringBuilder(15);
        for (String part : value.split("\\.")) {
            int octet = Integer.parseInt(part);
            if (octet > 255) {
                throw new IllegalArgumentException("must be an IPv4 address: each part 0 to 255");
            }
            if (!canonical.isEmpty()) {
                canonical.append('.');
            }
            // Read as decimal, as a spreadsheet pads it: 010 is ten, not an octal eight.
            canonical.append(octet);
        }
        return canonical.toString();
    }

    private static String phone(String value) {
        String compact = PHONE_SEPARATORS.matcher(value).replaceAll("");
        if (!PHONE_DIGITS.matcher(compact).matches()) {
            throw new IllegalArgumentException(
                    "must be a phone number in international form: + and 7 to 15 digits, such as +49 30 1234567");
        }
        return compact;
    }
}
