package dev.licensor.client;

/**
 * The answer of {@code POST /api/license/deactivate}.
 *
 * @param deactivated always true (failures are exceptions)
 * @param devicesUsed active devices after the deactivation
 * @param deviceLimit the license's device limit
 */
public record DeactivateResponse(boolean deactivated, int devicesUsed, int deviceLimit) {

    static DeactivateResponse fromJson(JsonObject o) {
        return new DeactivateResponse(o.bool("deactivated"), o.intValue("devices_used"), o.intValue("device_limit"));
    }
}
