package dev.licensor.protocol;

/**
 * The stable error codes of the Licensor API, with the HTTP status each is answered with.
 * Clients switch on the code, never on the human-readable detail.
 */
public enum ErrorCode {
    INVALID_REQUEST(400),
    INVALID_API_KEY(401),
    SIGNATURE_REQUIRED(401),
    SIGNATURE_INVALID(401),
    TIMESTAMP_OUT_OF_WINDOW(401),
    NONCE_REPLAYED(401),
    IP_BLOCKED(403),
    LICENSE_NOT_FOUND(404),
    LICENSE_SUSPENDED(403),
    LICENSE_REVOKED(403),
    LICENSE_EXPIRED(403),
    LICENSE_NOT_YET_VALID(403),
    DEVICE_NOT_ACTIVATED(403),
    DEVICE_BLOCKED(403),
    DEVICE_LIMIT_REACHED(409),
    LICENSE_ALREADY_USED(409),
    SESSION_LIMIT_REACHED(409),
    SESSION_NOT_FOUND(404),
    SESSION_ENDED(410),
    UPDATE_REQUIRED(426),
    RATE_LIMITED(429),
    DEACTIVATION_LIMIT_REACHED(429),
    QUOTA_EXCEEDED(409),
    PAYLOAD_TOO_LARGE(413),
    SERVICE_UNAVAILABLE(503),

    // Admin API and generic HTTP outcomes.
    UNAUTHORIZED(401),
    FORBIDDEN(403),
    NOT_FOUND(404),
    METHOD_NOT_ALLOWED(405),
    NOT_ACCEPTABLE(406),
    CONFLICT(409),
    UNSUPPORTED_MEDIA_TYPE(415),
    IDEMPOTENCY_KEY_REUSED(422),
    INTERNAL_ERROR(500);

    private final int status;

    ErrorCode(int status) {
        this.status = status;
    }

    /** The HTTP status this code is answered with. */
    public int status() {
        return status;
    }
}
