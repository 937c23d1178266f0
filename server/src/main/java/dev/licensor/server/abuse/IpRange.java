package dev.licensor.server.abuse;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * An address or CIDR range, IPv4 or IPv6. Only literals are accepted (never a host name, so
 * parsing never asks DNS).
 */
record IpRange(byte[] network, int prefix, String text) {
    private static final Pattern IPV4 = Pattern.compile("\\d{1,3}(\\.\\d{1,3}){3}");
    private static final Pattern IPV6 = Pattern.compile("[0-9a-fA-F:.]*:[0-9a-fA-F:.]*");

    /** The range of {@code "203.0.113.7"}, {@code "203.0.113.0/24"}, {@code "2001:db8::/32"}; empty if malformed. */
    static Optional<IpRange> parse(String value) {
        String text = value.strip();
        int slash = text.indexOf('/');
        String address = slash < 0 ? text : text.substring(0, slash);
        Optional<byte[]> bytes = literal(address);
        if (bytes.isEmpty()) {
            return Optional.empty();
        }
        int bits = bytes.get().length * 8;
        int prefix = bits;
        if (slash >= 0) {
            String suffix = text.substring(slash + 1);
            if (!suffix.matches("\\d{1,3}")) {
                return Optional.empty();
            }
            prefix = Integer.parseInt(suffix);
            if (prefix > bits) {
                return Optional.empty();
            }
        }
        byte[] network = mask(bytes.get(), prefix);
        String canonical = canonical(network) + (prefix == bits ? "" : "/" + prefix);
        return Optional.of(new IpRange(network, prefix, canonical));
    }

    /** Whether an address (as the servlet container reports it) lies in this range. */
    boolean contains(String address) {
        Optional<byte[]> bytes = literal(address);
        return bytes.isPresent()
                && bytes.get().length == network.length
                && java.util.Arrays.equals(mask(bytes.get(), prefix), network);
    }

    /** The bytes of an IPv4 or IPv6 literal; empty for anything else. */
    static Optional<byte[]> literal(String address) {
        String text = address.strip();
        int scope = text.indexOf('%');
        if (scope >= 0) {
            text = text.substring(0, scope);
        }
        if (text.startsWith("[") && text.endsWith("]")) {
            text = text.substring(1, text.length() - 1);
        }
        boolean v4 = IPV4.matcher(text).matches();
        if (!v4 && !IPV6.matcher(text).matches()) {
            return Optional.empty();
        }
        if (v4) {
            for (String part : text.split("\\.")) {
                if (Integer.parseInt(part) > 255) {
                    return Optional.empty();
                }
            }
        }
        try {
            // Only literals reach this point, so no name service is asked.
            return Optional.of(InetAddress.getByName(text).getAddress());
        } catch (UnknownHostException | IllegalArgumentException e) {
            return Optional.empty();
        }
    }

    private static byte[] mask(byte[] address, int prefix) {
        byte[] out = address.clone();
        for (int i = 0; i < out.length; i++) {
            int keep = Math.max(0, Math.min(8, prefix - i * 8));
            out[i] = (byte) (out[i] & (0xFF << (8 - keep)));
        }
        return out;
    }

    private static String canonical(byte[] network) {
        try {
            return InetAddress.getByAddress(network).getHostAddress();
        } catch (UnknownHostException e) {
            throw new IllegalStateException(e);
        }
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof IpRange range && range.text.equals(text);
    }

    @Override
    public int hashCode() {
        return text.hashCode();
    }

    @Override
    public String toString() {
        return text;
    }
}
