package dev.licensor.client;

import org.jspecify.annotations.Nullable;

/**
 * The call itself was refused, whatever the license: {@code INVALID_API_KEY}, {@code
 * SIGNATURE_REQUIRED}, {@code SIGNATURE_INVALID}, {@code TIMESTAMP_OUT_OF_WINDOW} (the computer's
 * clock is wrong), {@code NONCE_REPLAYED} or {@code IP_BLOCKED}. Usually a configuration problem of
 * the program (API key revoked, signing secret missing) rather than of the end user.
 */
public class AccessDeniedException extends LicensorException {
    private static final long serialVersionUID = 1L;

    AccessDeniedException(Problem problem, @Nullable Throwable cause) {
        super(problem, cause);
    }
}
