package dev.licensor.server.license;

/** A device consumes a slot of its license only while {@code ACTIVE}. */
public enum DeviceStatus {
    ACTIVE,
    DEACTIVATED,
    BLOCKED
}
