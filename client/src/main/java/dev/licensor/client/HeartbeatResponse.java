package dev.licensor.client;

import java.time.Duration;
import java.time.Instant;
import org.jspecify.annotations.Nullable;

/**
 * The answer of {@code POST /api/license/session/heartbeat}.
 *
 * @param ok always true (failures are exceptions)
 * @param nextHeartbeatIn when the server expects the next heartbeat ({@code next_heartbeat_in},
 *     seconds on the wire), or null
 * @param serverTime the server's clock, or null
 */
public record HeartbeatResponse(boolean ok, @Nullable Duration nextHeartbeatIn, @Nullable Instant serverTime) {

    static HeartbeatResponse fromJson(JsonObject o) {
        return new HeartbeatResponse(o.bool("ok"), o.optSeconds("next_heartbeat_in"), o.optInstant("server_time"));
    }
}
