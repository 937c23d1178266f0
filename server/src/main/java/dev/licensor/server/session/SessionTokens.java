package dev.licensor.server.session;

import java.security.SecureRandom;
import java.util.Optional;
import java.util.UUID;

/** Session tokens: random UUIDs (version 4) drawn from the injected {@link SecureRandom}. */
final class SessionTokens {
    private SessionTokens() {}

    static UUID next(SecureRandom random) {
        byte[] b = new byte[16];
        random.nextBytes(b);
        b[6] = (byte) ((b[6] & 0x0f) | 0x40); // version 4
        b[8] = (byte) ((b[8] & 0x3f) | 0x80); // IETF variant
        long msb = 0;
        long lsb = 0;
        for (int i = 0; i < 8; i++) {
            msb = (msb << 8) | (b[i] & 0xff);
            lsb = (lsb << 8) | (b[i + 8] & 0xff);
        }
        return new UUID(msb, lsb);
    }

    /** A token as sent by a client, if it has the canonical UUID shape (anything else is unknown). */
    static Optional<UUID> parse(String token) {
        String t = token.strip();
        return canonical(t) ? Optional.of(UUID.fromString(t)) : Optional.empty();
    }

    /** 8-4-4-4-12 hex digits (checked by hand: this runs on every heartbeat). */
    private static boolean canonical(String t) {
        if (t.length() != 36) {
            return false;
        }
        for (int i = 0; i < 36; i++) {
            char c = t.charAt(i);
            boolean dash = i == 8 || i == 13 || i == 18 || i == 23;
            if (dash ? c != '-' : Character.digit(c, 16) < 0) {
                return false;
            }
        }
        return true;
    }
}
