package dev.licensor.client;

import java.time.Duration;
import org.jspecify.annotations.Nullable;

/**
 * The answer of {@code POST /api/license/session/start}.
 *
 * @param sessionToken the session's token, sent with every heartbeat
 * @param resumed true when a live session of this device was replaced by this one
 * @param heartbeatInterval how often to heartbeat ({@code heartbeat_interval}, seconds on the wire)
 * @param sessionTimeout how long the server waits for a heartbeat before ending the session
 * @param license the license
 * @param version version information, or null
 * @param offlineToken a fresh offline token, or null
 */
public record SessionStartResponse(
        String sessionToken,
        boolean resumed,
        Duration heartbeatInterval,
        Duration sessionTimeout,
        @Nullable LicenseView license,
        @Nullable VersionInfo version,
        @Nullable String offlineToken) {

    static final Duration DEFAULT_INTERVAL = Duration.ofSeconds(30);

    static SessionStartResponse fromJson(JsonObject o) {
        Duration interval = o.optSeconds("heartbeat_interval");
        if (interval == null || interval.isNegative() || interval.isZero()) {
            interval = DEFAULT_INTERVAL;
        }
        Duration timeout = o.optSeconds("session_timeout");
        if (timeout == null || timeout.compareTo(interval) < 0) {
            timeout = interval.multipliedBy(2);
        }
        JsonObject license = o.optObject("license");
        JsonObject version = o.optObject("version");
        return new SessionStartResponse(
                o.string("session_token"),
                o.bool("resumed"),
                interval,
                timeout,
                license == null ? null : LicenseView.fromJson(license),
                version == null ? null : VersionInfo.fromJson(version),
                o.optString("offline_token"));
    }
}
