package dev.licensor.client;

import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * The answer of {@code POST /api/license/activate}.
 *
 * @param activated always true (failures are exceptions)
 * @param newDevice false when this device was already active (no slot consumed)
 * @param license the license
 * @param device the device
 * @param offlineToken the signed offline token, or null
 */
public record ActivateResponse(
        boolean activated,
        boolean newDevice,
        LicenseView license,
        @Nullable DeviceView device,
        @Nullable String offlineToken) {

    /**
     * The offline token.
     *
     * @return the token, when the server sent one
     */
    public Optional<String> offlineTokenIfAny() {
        return Optional.ofNullable(offlineToken);
    }

    static ActivateResponse fromJson(JsonObject o) {
        JsonObject device = o.optObject("device");
        return new ActivateResponse(
                o.bool("activated"),
                o.bool("new_device"),
                LicenseView.fromJson(o.object("license")),
                device == null ? null : DeviceView.fromJson(device),
                o.optString("offline_token"));
    }
}
