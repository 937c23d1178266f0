package dev.licensor.server.session;

import java.time.Instant;
import java.util.UUID;
import org.jspecify.annotations.Nullable;

/** A row of the sessions table: a live session, or an ended one (the history). */
record SessionRow(
        long id,
        UUID token,
        long productId,
        long licenseId,
        long deviceId,
        @Nullable String ip,
        @Nullable String version,
        Instant startedAt,
        Instant lastHeartbeat,
        Instant liveUntil,
        @Nullable Instant endedAt,
        @Nullable EndReason endReason) {

    /** Live: not ended and a heartbeat within the timeout ({@code now < last_heartbeat + timeout}). */
    boolean live(Instant now) {
        return endedAt == null && liveUntil.isAfter(now);
    }

    boolean ended() {
        return endedAt != null;
    }
}
