package dev.licensor.protocol;

/** Crockford base32: digits and letters without I, L, O and U. */
public final class Crockford {
    /** The 32 symbols, in value order. */
    public static final String ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ";

    private Crockford() {}

    /** The symbol for a value in 0..31. */
    public static char symbol(int value) {
        return ALPHABET.charAt(value & 31);
    }

    /**
     * The value of a symbol read from user input, or -1. Lower case is accepted, and the letters
     * Crockford declares confusable are read as the digits they resemble (I and L as 1, O as 0).
     */
    public static int value(char c) {
        char upper = Character.toUpperCase(c);
        return switch (upper) {
            case 'I', 'L' -> 1;
            case 'O' -> 0;
            default -> ALPHABET.indexOf(upper);
        };
    }
}
