package dev.licensor.client;

import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * The body of {@code POST /api/license/verify}.
 *
 * @param licenseKey the license key
 * @param hardwareHash this device's hardware hash; needed for device checks and the offline token
 * @param version the program version, or null
 * @param feature an entitlement to check, or null
 * @param nonce a caller-chosen nonce, or null (the SDK binds every answer to its {@code X-Nonce}
 *     header anyway)
 */
public record VerifyRequest(
        String licenseKey,
        @Nullable String hardwareHash,
        @Nullable String version,
        @Nullable String feature,
        @Nullable String nonce) {

    /**
     * A request with only the license key.
     *
     * @param licenseKey the license key
     * @return the request
     */
    public static VerifyRequest of(String licenseKey) {
        return new VerifyRequest(licenseKey, null, null, null, null);
    }

    Map<String, Object> toJson() {
        return Json.object()
                .put("license_key", licenseKey)
                .put("hardware_hash", hardwareHash)
                .put("version", version)
                .put("feature", feature)
                .put("nonce", nonce)
                .build();
    }
}
