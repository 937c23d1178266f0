package dev.licensor.server.license;

import dev.licensor.protocol.LicenseKeyFormat;
import java.security.SecureRandom;
import java.util.Optional;
import org.springframework.stereotype.Component;

/**
 * Turns keys as typed into look-up keys, and issues new keys. A key of the standard shape is
 * checked against its check characters before the database is asked; any other shape can only be
 * an imported legacy key.
 */
@Component
public class LicenseKeys {
    /** The longest key accepted on input (legacy keys included). */
    public static final int MAX_LENGTH = 128;

    private final LicenseKeyFormat format;
    private final SecureRandom random;

    LicenseKeys(LicenseKeyFormat format, SecureRandom random) {
        this.format = format;
        this.random = random;
    }

    /** Where to look a typed key up: its compact form, and whether only legacy keys can match. */
    public record Lookup(String compact, boolean legacy) {}

    /** The look-up for a typed key of a product, or empty when it cannot be one of its keys. */
    public Optional<Lookup> lookup(String typed, String prefix) {
        if (typed.isBlank() || typed.length() > MAX_LENGTH) {
            return Optional.empty();
        }
        if (LicenseKeyFormat.hasStandardShape(typed, prefix)) {
            return format.parse(typed, prefix).map(canonical -> new Lookup(LicenseKeyFormat.compact(canonical), false));
        }
        String compact = LicenseKeyFormat.compact(typed);
        return compact.isEmpty() ? Optional.empty() : Optional.of(new Lookup(compact, true));
    }

    public String generate(String prefix) {
        return format.generate(prefix, random);
    }

    /** Whether a key of the standard shape carries this server's check characters. */
    boolean isGenuine(String typed, String prefix) {
        return format.parse(typed, prefix).isPresent();
    }
}
