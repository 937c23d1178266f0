package dev.licensor.client;

import dev.licensor.protocol.ErrorCode;
import java.time.Duration;
import java.util.Map;
import java.util.OptionalLong;
import org.jspecify.annotations.Nullable;

/**
 * What the SDK knows about a failed call, handed to the exception constructors.
 *
 * @param status the HTTP status, or 0 when no response was received
 * @param code the error code, or null when there is none or it is not known to this SDK
 * @param rawCode the {@code code} member as sent, or null
 * @param detail the localized sentence from the server, or a description of the failure
 * @param properties every member of the problem document
 * @param retryAfter the {@code Retry-After} header, when sent
 * @param rateLimitLimit {@code X-RateLimit-Limit}, when sent
 * @param rateLimitRemaining {@code X-RateLimit-Remaining}, when sent
 * @param rateLimitReset {@code X-RateLimit-Reset}, when sent
 */
record Problem(
        int status,
        @Nullable ErrorCode code,
        @Nullable String rawCode,
        String detail,
        Map<String, @Nullable Object> properties,
        @Nullable Duration retryAfter,
        OptionalLong rateLimitLimit,
        OptionalLong rateLimitRemaining,
        OptionalLong rateLimitReset) {

    Problem {
        properties = java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(properties));
    }

    /** A failure without an HTTP answer (network, signature, malformed response). */
    static Problem local(int status, String detail) {
        return new Problem(
                status,
                null,
                null,
                detail,
                Map.of(),
                null,
                OptionalLong.empty(),
                OptionalLong.empty(),
                OptionalLong.empty());
    }
}
