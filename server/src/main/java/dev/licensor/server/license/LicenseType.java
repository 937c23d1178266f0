package dev.licensor.server.license;

import java.time.Instant;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * A per-product preset for new licenses. {@code durationDays} null means perpetual. {@code domains},
 * {@code ipv4Addresses} and {@code phoneNumbers} are how many resources of each kind the resource
 * pool allocates to every license created with the type (0: none).
 */
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
        int domains,
        int ipv4Addresses,
        int phoneNumbers,
        Instant createdAt,
        Instant updatedAt) {
    public LicenseType {
        features = List.copyOf(features);
    }

    /** Whether licenses of this type get resources from the pool. */
    public boolean needsResources() {
        return domains > 0 || ipv4Addresses > 0 || phoneNumbers > 0;
    }
}
