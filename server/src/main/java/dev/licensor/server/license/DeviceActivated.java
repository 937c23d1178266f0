package dev.licensor.server.license;

/**
 * Published inside the transaction that gave a device a slot of its license (a new device, or a
 * deactivated one activated again), whether through {@code /api/license/activate} or a session
 * start that activated it. Re-activating an active device publishes nothing.
 */
public record DeviceActivated(long productId, long licenseId, Device device) {}
