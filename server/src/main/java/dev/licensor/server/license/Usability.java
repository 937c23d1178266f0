package dev.licensor.server.license;

import dev.licensor.protocol.ErrorCode;
import org.jspecify.annotations.Nullable;

/** Whether a license may be used now, and if not, why. */
public enum Usability {
    USABLE(null),
    /** Expired, but inside the product's {@code expiry_grace_days}: still usable. */
    GRACE(null),
    REVOKED(ErrorCode.LICENSE_REVOKED),
    SUSPENDED(ErrorCode.LICENSE_SUSPENDED),
    NOT_YET_VALID(ErrorCode.LICENSE_NOT_YET_VALID),
    EXPIRED(ErrorCode.LICENSE_EXPIRED);

    private final @Nullable ErrorCode error;

    Usability(@Nullable ErrorCode error) {
        this.error = error;
    }

    public boolean usable() {
        return error == null;
    }

    /** The client-API error for an unusable license. */
    public @Nullable ErrorCode error() {
        return error;
    }
}
