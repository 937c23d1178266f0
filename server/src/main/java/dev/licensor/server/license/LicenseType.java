package dev.licensor.server.license;

import java.time.Instant;
import java.util.List;
import org.jspecify.annotations.Nullable;

/** A per-product preset for new licenses. {@code durationDays} null means perpetual. */
public record LicenseType(
        long id,
        long productId,
        String name,
        @Nullable Integer durationDays,
        ExpirationBasis expirationBasis,
        int deviceLimit,
        int concurrentSessionsLimit,
        List<String> features,
        boolean singleUse,
        Instant createdAt,
        Instant updatedAt) {
    public LicenseType {
        features = List.copyOf(features);
    }
}
