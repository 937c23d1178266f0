package dev.licensor.client;

import org.jspecify.annotations.Nullable;

/**
 * The answer of {@code POST /api/license/usage}.
 *
 * @param metric the metric
 * @param used the amount used in the current period
 * @param limit the quota, or null when unlimited
 * @param remaining what is left, or null when unlimited
 */
public record UsageResponse(String metric, long used, @Nullable Long limit, @Nullable Long remaining) {

    static UsageResponse fromJson(JsonObject o) {
        return new UsageResponse(
                o.string("metric"), o.longValue("used", 0), o.optLong("limit"), o.optLong("remaining"));
    }
}
