package dev.licensor.client;

import org.jspecify.annotations.Nullable;

/**
 * The answer of {@code POST /api/license/session/end}.
 *
 * @param ended always true (failures are exceptions)
 * @param endReason how the session ended ({@link EndReason#NORMAL} unless it had already ended
 *     otherwise), or null when not sent
 */
public record SessionEndResponse(boolean ended, @Nullable EndReason endReason) {

    static SessionEndResponse fromJson(JsonObject o) {
        String reason = o.optString("end_reason");
        return new SessionEndResponse(o.bool("ended"), reason == null ? null : EndReason.fromWire(reason));
    }
}
