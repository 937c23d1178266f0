package dev.licensor.client;

import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * The hardware components sent with an activation ({@code components}), each already hashed by
 * {@link Fingerprint} so raw identifiers never leave the machine. The server treats a new hash of
 * a device that still has two of the three components as the same device.
 *
 * @param mac hash of the sorted physical MAC addresses, or null
 * @param cpuId hash of the CPU identification, or null
 * @param systemUuid hash of the system/board UUID, or null
 */
public record Components(@Nullable String mac, @Nullable String cpuId, @Nullable String systemUuid) {

    Map<String, Object> toJson() {
        return Json.object()
                .put("mac", mac)
                .put("cpu_id", cpuId)
                .put("system_uuid", systemUuid)
                .build();
    }
}
