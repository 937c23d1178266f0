package dev.licensor.server.license;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.jspecify.annotations.Nullable;

/** A license row. Behaviour that decides on it lives here, so every endpoint decides alike. */
public record License(
        long id,
        String licenseKey,
        String keyLookup,
        long productId,
        @Nullable Long customerId,
        @Nullable Long licenseTypeId,
        LicenseStatus status,
        @Nullable Instant validFrom,
        @Nullable Instant expiresAt,
        @Nullable Integer durationDays,
        ExpirationBasis expirationBasis,
        int deviceLimit,
        int concurrentSessionsLimit,
        List<String> features,
        boolean singleUse,
        boolean legacy,
        @Nullable String batchId,
        @Nullable String notes,
        boolean suspicious,
        @Nullable String suspiciousReason,
        @Nullable Instant activatedAt,
        Instant createdAt,
        Instant updatedAt) {

    public License {
        features = List.copyOf(features);
    }

    /** Whether the license may be used at {@code now}, honouring the product's expiry grace. */
    public Usability usability(Instant now, int expiryGraceDays) {
        if (status == LicenseStatus.REVOKED) {
            return Usability.REVOKED;
        }
        if (status == LicenseStatus.SUSPENDED) {
            return Usability.SUSPENDED;
        }
        if (validFrom != null && now.isBefore(validFrom)) {
            return Usability.NOT_YET_VALID;
        }
        if (expiresAt != null && !now.isBefore(expiresAt)) {
            return now.isBefore(graceUntil(expiryGraceDays)) ? Usability.GRACE : Usability.EXPIRED;
        }
        return Usability.USABLE;
    }

    /** The end of the grace period after expiry (the expiry itself when there is no grace). */
    public Instant graceUntil(int expiryGraceDays) {
        if (expiresAt == null) {
            return Instant.MAX;
        }
        return expiresAt.plus(Duration.ofDays(expiryGraceDays));
    }

    /** The expiry to set at first activation for {@code FROM_FIRST_ACTIVATION} licenses. */
    public @Nullable Instant expiryOnFirstActivation(Instant now) {
        if (expirationBasis == ExpirationBasis.FROM_FIRST_ACTIVATION && expiresAt == null && durationDays != null) {
            return now.plus(Duration.ofDays(durationDays));
        }
        return expiresAt;
    }

    /** The status shown to people and clients: {@code EXPIRED} is derived from the expiry. */
    public String displayStatus(Instant now, int expiryGraceDays) {
        if (status == LicenseStatus.ACTIVE && usability(now, expiryGraceDays) == Usability.EXPIRED) {
            return "EXPIRED";
        }
        return status.name();
    }
}
