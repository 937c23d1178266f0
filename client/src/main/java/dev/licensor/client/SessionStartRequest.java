package dev.licensor.client;

import java.util.Map;

/**
 * The body of {@code POST /api/license/session/start}.
 *
 * @param licenseKey the license key
 * @param machineId the program's machine identifier
 * @param hardwareHash this device's hardware hash
 * @param version the program version
 */
public record SessionStartRequest(String licenseKey, String machineId, String hardwareHash, String version) {

    Map<String, Object> toJson() {
        return Json.object()
                .put("license_key", licenseKey)
                .put("machine_id", machineId)
                .put("hardware_hash", hardwareHash)
                .put("version", version)
                .build();
    }
}
