package dev.licensor.server.license;

/**
 * Published inside the transaction that changed a license's status, expiry or limits, so
 * features that hold state about it (live sessions) can act in the same transaction.
 */
public record LicenseStatusChanged(long licenseId, LicenseStatus status) {}
