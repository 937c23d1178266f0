package dev.licensor.client;

import java.time.Instant;
import org.jspecify.annotations.Nullable;

/**
 * The answer of {@code GET /api/version/latest}.
 *
 * @param version the current version
 * @param downloadUrl where to download it, or null
 * @param whatsNew release notes, or null
 * @param releasedAt the release time, or null
 */
public record LatestVersion(
        String version, @Nullable String downloadUrl, @Nullable String whatsNew, @Nullable Instant releasedAt) {

    static LatestVersion fromJson(JsonObject o) {
        return new LatestVersion(
                o.string("version"),
                o.optString("download_url"),
                o.optString("whats_new"),
                o.optInstant("released_at"));
    }
}
