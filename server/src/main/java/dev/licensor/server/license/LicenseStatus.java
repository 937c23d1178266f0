package dev.licensor.server.license;

/** The stored status of a license. Expiry is derived from {@code expires_at}, not stored. */
public enum LicenseStatus {
    ACTIVE,
    SUSPENDED,
    REVOKED
}
