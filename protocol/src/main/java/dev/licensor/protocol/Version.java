package dev.licensor.protocol;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * A program version such as {@code 1.10.0} or {@code 1.2.0-beta.1}. Versions compare numerically
 * by dot-separated parts (missing parts count as 0, so {@code 1.2} equals {@code 1.2.0}); a
 * pre-release sorts before its release, and pre-release identifiers compare as in Semantic
 * Versioning (numeric ones numerically, others lexically, numeric before alphanumeric).
 */
public record Version(List<Long> parts, List<String> preRelease, String text) implements Comparable<Version> {
    private static final Pattern SHAPE =
            Pattern.compile("v?(\\d{1,9})(\\.\\d{1,9}){0,5}(-[0-9A-Za-z-]+(\\.[0-9A-Za-z-]+)*)?(\\+[0-9A-Za-z.-]+)?");

    public Version {
        parts = List.copyOf(parts);
        preRelease = List.copyOf(preRelease);
        if (parts.isEmpty()) {
            throw new IllegalArgumentException("a version has at least one number");
        }
    }

    /** Parses a version, or returns empty when the text is not one. */
    public static Optional<Version> parse(String text) {
        String trimmed = text.strip();
        if (trimmed.length() > 64 || !SHAPE.matcher(trimmed).matches()) {
            return Optional.empty();
        }
        String core = trimmed.startsWith("v") ? trimmed.substring(1) : trimmed;
        int plus = core.indexOf('+');
        if (plus >= 0) {
            core = core.substring(0, plus);
        }
        List<String> pre = List.of();
        int dash = core.indexOf('-');
        if (dash >= 0) {
            pre = List.of(core.substring(dash + 1).split("\\."));
            core = core.substring(0, dash);
        }
        List<Long> numbers = new ArrayList<>();
        for (String part : core.split("\\.")) {
            numbers.add(Long.parseLong(part));
        }
        return Optional.of(new Version(numbers, pre, trimmed));
    }

    /** Parses a version or throws {@link IllegalArgumentException}. */
    public static Version of(String text) {
        return parse(text).orElseThrow(() -> new IllegalArgumentException("not a version: " + text));
    }

    /** Whether this version is strictly older than the other. */
    public boolean isBefore(Version other) {
        return compareTo(other) < 0;
    }

    @Override
    public int compareTo(Version other) {
        int n = Math.max(parts.size(), other.parts.size());
        for (int i = 0; i < n; i++) {
            long a = i < parts.size() ? parts.get(i) : 0;
            long b = i < other.parts.size() ? other.parts.get(i) : 0;
            if (a != b) {
                return Long.compare(a, b);
            }
        }
        if (preRelease.isEmpty() || other.preRelease.isEmpty()) {
            return Boolean.compare(preRelease.isEmpty(), other.preRelease.isEmpty());
        }
        int m = Math.min(preRelease.size(), other.preRelease.size());
        for (int i = 0; i < m; i++) {
            int c = compareIdentifier(preRelease.get(i), other.preRelease.get(i));
            if (c != 0) {
                return c;
            }
        }
        return Integer.compare(preRelease.size(), other.preRelease.size());
    }

    private static int compareIdentifier(String a, String b) {
        boolean numericA = a.chars().allMatch(Character::isDigit);
        boolean numericB = b.chars().allMatch(Character::isDigit);
        if (numericA && numericB) {
            return a.length() != b.length() ? Integer.compare(a.length(), b.length()) : a.compareTo(b);
        }
        if (numericA != numericB) {
            return numericA ? -1 : 1;
        }
        return a.compareTo(b);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Version v && compareTo(v) == 0;
    }

    @Override
    public int hashCode() {
        List<Long> trimmed = new ArrayList<>(parts);
        while (trimmed.size() > 1 && trimmed.getLast() == 0) {
            trimmed.removeLast();
        }
        return 31 * trimmed.hashCode() + preRelease.hashCode();
    }

    @Override
    public String toString() {
        return text;
    }
}
