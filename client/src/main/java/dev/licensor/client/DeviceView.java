package dev.licensor.client;

import java.time.Instant;
import org.jspecify.annotations.Nullable;

/**
 * A device (an activation of a license on one machine) as the activation answer shows it.
 *
 * @param id the server's opaque id, or null
 * @param hardwareHash the fingerprint the license is bound to on this device
 * @param machineId the program's machine identifier, or null
 * @param name the display name, or null
 * @param type the device type ({@code device_type}), or null
 * @param os the operating system, or null
 * @param status {@code ACTIVE}, {@code DEACTIVATED} or {@code BLOCKED}, or null
 * @param firstActivatedAt the first activation, or null
 * @param lastSeenAt the last contact, or null
 */
public record DeviceView(
        @Nullable String id,
        @Nullable String hardwareHash,
        @Nullable String machineId,
        @Nullable String name,
        @Nullable String type,
        @Nullable String os,
        @Nullable String status,
        @Nullable Instant firstActivatedAt,
        @Nullable Instant lastSeenAt) {

    static DeviceView fromJson(JsonObject o) {
        return new DeviceView(
                o.optString("id"),
                o.optString("hardware_hash"),
                o.optString("machine_id"),
                o.optString("name"),
                o.optString("device_type"),
                o.optString("os"),
                o.optString("status"),
                o.optInstant("first_activated_at"),
                o.optInstant("last_seen_at"));
    }
}
