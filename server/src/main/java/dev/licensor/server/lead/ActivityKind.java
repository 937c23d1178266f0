package dev.licensor.server.lead;

import java.util.Locale;
import java.util.Optional;

/** What kind of contact with a lead an activity records. */
public enum ActivityKind {
    CALL,
    EMAIL,
    MEETING,
    OTHER;

    /** The kind named by {@code text} (any case), if it names one. */
    public static Optional<ActivityKind> parse(String text) {
        try {
            return Optional.of(valueOf(text.strip().toUpperCase(Locale.ROOT)));
        } catch (IllegalArgumentException e) {
            return Optional.empty();
        }
    }
}
