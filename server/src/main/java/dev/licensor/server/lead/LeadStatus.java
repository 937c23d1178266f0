package dev.licensor.server.lead;

import java.util.Locale;
import java.util.Optional;

/** Where a lead stands in the sales funnel. */
public enum LeadStatus {
    NEW,
    CONTACTED,
    QUALIFIED,
    WON,
    LOST;

    /** The status named by {@code text} (any case), if it names one. */
    public static Optional<LeadStatus> parse(String text) {
        try {
            return Optional.of(valueOf(text.strip().toUpperCase(Locale.ROOT)));
        } catch (IllegalArgumentException e) {
            return Optional.empty();
        }
    }
}
