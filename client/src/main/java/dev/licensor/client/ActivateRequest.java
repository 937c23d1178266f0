package dev.licensor.client;

import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * The body of {@code POST /api/license/activate}. Only the license key and the hardware hash are
 * required; {@link LicensorClient#activate(String)} fills the rest from the client's fingerprint
 * and settings.
 *
 * @param licenseKey the license key as typed by the user
 * @param hardwareHash the fingerprint the license is bound to ({@link Fingerprint#hardwareHash()})
 * @param machineId the program's own machine identifier, or null
 * @param deviceName a display name for the device, or null
 * @param deviceType e.g. {@code desktop} or {@code server}, or null
 * @param os the operating system, or null
 * @param version the program version, or null
 * @param components the hashed hardware components, or null
 */
public record ActivateRequest(
        String licenseKey,
        String hardwareHash,
        @Nullable String machineId,
        @Nullable String deviceName,
        @Nullable String deviceType,
        @Nullable String os,
        @Nullable String version,
        @Nullable Components components) {

    /**
     * A request with only the required fields.
     *
     * @param licenseKey the license key
     * @param hardwareHash the hardware hash
     * @return the request
     */
    public static ActivateRequest of(String licenseKey, String hardwareHash) {
        return new ActivateRequest(licenseKey, hardwareHash, null, null, null, null, null, null);
    }

    Map<String, Object> toJson() {
        return Json.object()
                .put("license_key", licenseKey)
                .put("hardware_hash", hardwareHash)
                .put("machine_id", machineId)
                .put("device_name", deviceName)
                .put("device_type", deviceType)
                .put("os", os)
                .put("version", version)
                .put("components", components == null ? null : components.toJson())
                .build();
    }
}
