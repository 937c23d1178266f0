package dev.licensor.client;

import java.time.Instant;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * The answer of {@code POST /api/license/verify}. License outcomes are answers, not exceptions:
 * check {@link #valid()} and {@link #code()}.
 *
 * @param valid whether the program may run
 * @param code the outcome
 * @param detail a localized sentence for the end user, or null
 * @param license the license, when found
 * @param features the entitlements
 * @param expiresAt the license expiry, or null
 * @param graceUntil the end of the grace period, or null
 * @param update version information, or null
 * @param featureEnabled whether the asked feature is entitled, or null when none was asked
 * @param offlineToken a fresh offline token, when valid and the device is active
 */
public record VerifyResponse(
        boolean valid,
        VerifyCode code,
        @Nullable String detail,
        @Nullable LicenseView license,
        List<String> features,
        @Nullable Instant expiresAt,
        @Nullable Instant graceUntil,
        @Nullable VersionInfo update,
        @Nullable Boolean featureEnabled,
        @Nullable String offlineToken) {

    /** Copies the feature list. */
    public VerifyResponse {
        features = List.copyOf(features);
    }

    static VerifyResponse fromJson(JsonObject o) {
        JsonObject license = o.optObject("license");
        JsonObject update = o.optObject("update");
        return new VerifyResponse(
                o.bool("valid"),
                o.optEnum("code", VerifyCode.class).orElse(VerifyCode.UNKNOWN),
                o.optString("detail"),
                license == null ? null : LicenseView.fromJson(license),
                o.stringList("features"),
                o.optInstant("expires_at"),
                o.optInstant("grace_until"),
                update == null ? null : VersionInfo.fromJson(update),
                o.optBool("feature_enabled"),
                o.optString("offline_token"));
    }
}
