package dev.licensor.server.license;

/**
 * Published inside the transaction that deletes a license, before the row goes, so features that
 * refer to it (the resource pool) can let go of it first.
 */
public record LicenseDeleting(long licenseId) {}
