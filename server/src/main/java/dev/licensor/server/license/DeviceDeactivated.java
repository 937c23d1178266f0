package dev.licensor.server.license;

/**
 * Published inside the transaction that took a device out of service (deactivated by the client
 * or an admin, or blocked), so its live session ends in the same transaction.
 */
public record DeviceDeactivated(long licenseId, long deviceId, DeviceStatus newStatus) {}
