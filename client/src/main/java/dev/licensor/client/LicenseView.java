package dev.licensor.client;

import java.time.Instant;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * A license as the client API shows it ({@code GET /api/license/info/{key}} and inside other
 * answers).
 *
 * @param licenseKey the canonical key
 * @param product the product name
 * @param type the license type name, or null
 * @param status {@code ACTIVE}, {@code SUSPENDED} or {@code REVOKED}
 * @param licensedTo the customer's display name, or null
 * @param createdAt when the license was created, or null
 * @param activatedAt the first activation, or null
 * @param expiresAt the expiry, or null for a perpetual license
 * @param deviceLimit how many devices may be activated
 * @param devicesUsed how many devices are active
 * @param concurrentSessionsLimit how many sessions may run at once
 * @param liveSessions how many sessions run now
 * @param features the entitlements
 * @param singleUse whether the license binds to its first device forever
 */
public record LicenseView(
        String licenseKey,
        @Nullable String product,
        @Nullable String type,
        @Nullable String status,
        @Nullable String licensedTo,
        @Nullable Instant createdAt,
        @Nullable Instant activatedAt,
        @Nullable Instant expiresAt,
        int deviceLimit,
        int devicesUsed,
        int concurrentSessionsLimit,
        int liveSessions,
        List<String> features,
        boolean singleUse) {

    /** Copies the feature list. */
    public LicenseView {
        features = List.copyOf(features);
    }

    static LicenseView fromJson(JsonObject o) {
        return new LicenseView(
                o.string("license_key"),
                o.optString("product"),
                o.optString("type"),
                o.optString("status"),
                o.optString("licensed_to"),
                o.optInstant("created_at"),
                o.optInstant("activated_at"),
                o.optInstant("expires_at"),
                o.intValue("device_limit"),
                o.intValue("devices_used"),
                o.intValue("concurrent_sessions_limit"),
                o.intValue("live_sessions"),
                o.stringList("features"),
                o.bool("single_use"));
    }
}
