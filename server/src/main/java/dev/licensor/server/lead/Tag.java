package dev.licensor.server.lead;

import dev.licensor.server.web.SafeStrings;
import java.util.Locale;

/** A lead's tag, normalized: trimmed, lower case, 1 to {@value #MAX_LENGTH} characters. */
public record Tag(String value) {
    public static final int MAX_LENGTH = 40;

    public Tag {
        if (value.isEmpty() || value.length() > MAX_LENGTH || !value.equals(normalize(value))) {
            throw new IllegalArgumentException("not a normalized tag: " + value);
        }
    }

    /**
     * The tag a user typed, normalized.
     *
     * @throws IllegalArgumentException (with a message for the user) when it is blank, longer than
     *     {@value #MAX_LENGTH} characters once trimmed, or holds control characters (line breaks
     *     and tabs included) or broken Unicode
     */
    public static Tag of(String typed) {
        String value = normalize(typed);
        if (value.isEmpty()) {
            throw new IllegalArgumentException("must not be blank");
        }
        if (value.length() > MAX_LENGTH) {
            throw new IllegalArgumentException("at most " + MAX_LENGTH + " characters");
        }
        // No control characters at all, line breaks and tabs included: a tag is one short word or phrase.
        if (!SafeStrings.isSafe(value) || value.chars().anyMatch(Character::isISOControl)) {
            throw new IllegalArgumentException("contains characters that are not allowed");
        }
        return new Tag(value);
    }

    private static String normalize(String text) {
        return text.strip().toLowerCase(Locale.ROOT);
    }

    @Override
    public String toString() {
        return value;
    }
}
