package dev.licensor.server.abuse;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Anomaly rules ({@code licensor.anomaly.*}), evaluated over the validation log.
 * {@code licensor.anomaly.auto-suspend} (also suspend a flagged license) is only the default of the
 * panel setting {@code Toggle.ANOMALY_AUTO_SUSPEND}, read through {@code Settings}.
 *
 * @param scanEnabled whether the periodic scan runs ({@code scan-interval-ms}, default every minute)
 * @param windowHours the window of the license rules
 * @param maxDistinctIps more distinct caller addresses than this on one license raise {@code too_many_ips}
 * @param extraHardwareHashes more distinct hardware hashes than {@code device_limit} + this raise {@code too_many_devices}
 * @param maxFailedRatio a larger share of failed verifications raises {@code failed_verifications}…
 * @param minVerifications …once the license has at least this many verifications in the window
 * @param maxUnknownKeys more unknown keys than this from one address…
 * @param unknownKeysWindowMinutes …within this many minutes block the address…
 * @param enumerationBlockMinutes …for this long ({@code created_by = rule:key-enumeration})
 */
@ConfigurationProperties("licensor.anomaly")
public record AnomalyProperties(
        @DefaultValue("true") boolean scanEnabled,
        @DefaultValue("24") int windowHours,
        @DefaultValue("5") int maxDistinctIps,
        @DefaultValue("3") int extraHardwareHashes,
        @DefaultValue("0.10") double maxFailedRatio,
        @DefaultValue("20") int minVerifications,
        @DefaultValue("20") int maxUnknownKeys,
        @DefaultValue("10") int unknownKeysWindowMinutes,
        @DefaultValue("60") int enumerationBlockMinutes) {}
