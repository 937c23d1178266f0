package dev.licensor.client;

/** The outcome of an offline check by {@link OfflineVerifier}. */
public sealed interface OfflineCheck {

    /**
     * Whether the program may run offline.
     *
     * @return true for {@link Valid}
     */
    default boolean isValid() {
        return this instanceof Valid;
    }

    /**
     * The token is genuine, for this machine, unexpired, and the clock looks honest.
     *
     * @param token the verified claims
     */
    record Valid(OfflineToken token) implements OfflineCheck {}

    /**
     * The program may not run offline.
     *
     * @param reason why
     * @param message a description for logs (not localized)
     */
    record Invalid(Reason reason, String message) implements OfflineCheck {}

    /** Why an offline check failed. */
    enum Reason {
        /** No token was saved. */
        NO_TOKEN,
        /** The token is not a well-formed EdDSA JWS with the expected claims. */
        MALFORMED,
        /** The token is signed by a key that is not pinned. */
        UNKNOWN_KEY,
        /** The signature does not match (tampered token). */
        BAD_SIGNATURE,
        /** The token was issued for another machine. */
        WRONG_HARDWARE,
        /** The clock is earlier than a time already seen, or than the token's issue time. */
        CLOCK_MOVED_BACKWARDS,
        /** The token's offline period is over: the program must reach the server. */
        EXPIRED
    }
}
