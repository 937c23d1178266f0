package dev.licensor.server.license;

import java.time.Instant;
import org.jspecify.annotations.Nullable;

/** A device as the APIs show it. */
public record DeviceView(
        long id,
        String hardwareHash,
        @Nullable String machineId,
        @Nullable String name,
        @Nullable String deviceType,
        @Nullable String os,
        DeviceStatus status,
        Instant firstActivatedAt,
        Instant lastSeenAt,
        @Nullable String lastIp,
        @Nullable Instant deactivatedAt,
        Components components) {

    /** The hardware components the client reported. */
    public record Components(@Nullable String mac, @Nullable String cpuId, @Nullable String systemUuid) {}

    static DeviceView of(Device d) {
        return new DeviceView(
                d.id(),
                d.hardwareHash(),
                d.machineId(),
                d.name(),
                d.deviceType(),
                d.os(),
                d.status(),
                d.firstActivatedAt(),
                d.lastSeenAt(),
                d.lastIp(),
                d.deactivatedAt(),
                new Components(d.mac(), d.cpuId(), d.systemUuid()));
    }
}
