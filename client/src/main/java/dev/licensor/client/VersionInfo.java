package dev.licensor.client;

import org.jspecify.annotations.Nullable;

/**
 * How the program's version relates to the product's versions ({@code VersionInfo} of the API).
 *
 * @param currentVersion the newest version
 * @param minimumVersion the oldest version still accepted, or null
 * @param updateAvailable whether a newer version exists
 * @param updateRequired whether this version is below the minimum
 * @param whatsNew release notes, only when a newer version exists
 * @param downloadUrl where to download the current version, or null
 */
public record VersionInfo(
        @Nullable String currentVersion,
        @Nullable String minimumVersion,
        boolean updateAvailable,
        boolean updateRequired,
        @Nullable String whatsNew,
        @Nullable String downloadUrl) {

    static VersionInfo fromJson(JsonObject o) {
        return new VersionInfo(
                o.optString("current_version"),
                o.optString("minimum_version"),
                o.bool("update_available"),
                o.bool("update_required"),
                o.optString("whats_new"),
                o.optString("download_url"));
    }
}
