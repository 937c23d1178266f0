package dev.licensor.client;

/** The outcome of a verification ({@code code} of the verify answer). */
public enum VerifyCode {
    /** The license is valid. */
    VALID,
    /** Expired but inside the grace period; still valid. */
    GRACE_PERIOD,
    /** Unknown key, or a key of another product. */
    NOT_FOUND,
    /** Suspended by the vendor. */
    SUSPENDED,
    /** Revoked by the vendor. */
    REVOKED,
    /** Expired. */
    EXPIRED,
    /** Not valid yet. */
    NOT_YET_VALID,
    /** This device is not activated. */
    DEVICE_NOT_ACTIVATED,
    /** This device is blocked. */
    DEVICE_BLOCKED,
    /** The asked feature is not part of the license. */
    FEATURE_NOT_ENTITLED,
    /** The program version is below the minimum. */
    UPDATE_REQUIRED,
    /** A code this SDK version does not know. */
    UNKNOWN
}
