package dev.licensor.server.session;

import java.security.SecureRandom;
import java.util.Optional;
import java.util.UUID;
import java.util.regex.Pattern;

/** Session tokens: random UUIDs (version 4) drawn from the injected {@link SecureRandom}. */
final class SessionTokens {
    private static final Pattern CANONICAL =
            Pattern.compile("[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}");

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
        return CANONICAL.matcher(t).matches() ? Optional.of(UUID.fromString(t)) : Optional.empty();
    }
}
