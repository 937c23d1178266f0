package dev.licensor.client;

import org.jspecify.annotations.Nullable;

/**
 * The license or this device cannot be used: {@code LICENSE_NOT_FOUND}, {@code
 * LICENSE_SUSPENDED}, {@code LICENSE_REVOKED}, {@code LICENSE_EXPIRED}, {@code
 * LICENSE_NOT_YET_VALID}, {@code DEVICE_NOT_ACTIVATED}, {@code DEVICE_BLOCKED} or {@code
 * LICENSE_ALREADY_USED}. Retrying does not help; the end user or the vendor has to act.
 */
public class LicenseStateException extends LicensorException {
    private static final long serialVersionUID = 1L;

    LicenseStateException(Problem problem, @Nullable Throwable cause) {
        super(problem, cause);
    }
}
