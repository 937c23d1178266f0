package dev.licensor.server.license;

import java.time.Instant;
import org.jspecify.annotations.Nullable;

/** A license's activation on one machine. */
public record Device(
        long id,
        long licenseId,
        String hardwareHash,
        @Nullable String machineId,
        @Nullable String name,
        @Nullable String deviceType,
        @Nullable String os,
        @Nullable String mac,
        @Nullable String cpuId,
        @Nullable String systemUuid,
        DeviceStatus status,
        Instant firstActivatedAt,
        Instant lastSeenAt,
        @Nullable String lastIp,
        @Nullable Instant deactivatedAt) {

    /**
     * Whether the components sent with a new hardware hash say this is the same machine: at least
     * two of MAC, CPU id and system UUID equal (so a new network card does not cost a slot).
     */
    public boolean sameMachine(
            @Nullable String otherMac, @Nullable String otherCpuId, @Nullable String otherSystemUuid) {
        int equal = 0;
        if (mac != null && mac.equalsIgnoreCase(otherMac == null ? "" : otherMac)) {
            equal++;
        }
        if (cpuId != null && cpuId.equalsIgnoreCase(otherCpuId == null ? "" : otherCpuId)) {
            equal++;
        }
        if (systemUuid != null && systemUuid.equalsIgnoreCase(otherSystemUuid == null ? "" : otherSystemUuid)) {
            equal++;
        }
        return equal >= 2;
    }
}
