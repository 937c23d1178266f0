package dev.licensor.client;

import dev.licensor.protocol.ErrorCode;
import java.net.http.HttpHeaders;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import org.jspecify.annotations.Nullable;

/** Turns an error answer into the matching {@link LicensorException}, in one place. */
final class Problems {
    private Problems() {}

    static LicensorException fromResponse(int status, HttpHeaders headers, byte[] body, Instant now) {
        Map<String, @Nullable Object> fields = Map.of();
        try {
            fields = Json.parseObject(new String(body, StandardCharsets.UTF_8));
        } catch (Json.JsonException e) {
            // Not a problem document (e.g. an HTML page from a proxy): keep only the status.
        }
        JsonObject o = new JsonObject(fields);
        String rawCode = stringOrNull(fields.get("code"));
        ErrorCode code = parseCode(rawCode);
        String detail = stringOrNull(fields.get("detail"));
        if (detail == null) {
            detail = stringOrNull(fields.get("title"));
        }
        if (detail == null) {
            detail = "The server answered with HTTP status " + status + ".";
        }
        Problem problem = new Problem(
                status,
                code,
                rawCode,
                detail,
                o.fields(),
                retryAfter(headers, now),
                longHeader(headers, "X-RateLimit-Limit"),
                longHeader(headers, "X-RateLimit-Remaining"),
                longHeader(headers, "X-RateLimit-Reset"));
        return toException(problem);
    }

    static LicensorException toException(Problem problem) {
        ErrorCode code = problem.code();
        if (code == null) {
            return problem.status() >= 500
                    ? new ServiceUnavailableException(problem, null)
                    : new LicensorException(problem, null);
        }
        return switch (code) {
            case LICENSE_NOT_FOUND,
                    LICENSE_SUSPENDED,
                    LICENSE_REVOKED,
                    LICENSE_EXPIRED,
                    LICENSE_NOT_YET_VALID,
                    DEVICE_NOT_ACTIVATED,
                    DEVICE_BLOCKED,
                    LICENSE_ALREADY_USED -> new LicenseStateException(problem, null);
            case DEVICE_LIMIT_REACHED -> new DeviceLimitException(problem, null);
            case SESSION_LIMIT_REACHED -> new SessionLimitException(problem, null);
            case SESSION_ENDED, SESSION_NOT_FOUND -> new SessionEndedException(problem, null);
            case UPDATE_REQUIRED -> new UpdateRequiredException(problem, null);
            case RATE_LIMITED, DEACTIVATION_LIMIT_REACHED -> new RateLimitedException(problem, null);
            case QUOTA_EXCEEDED -> new QuotaExceededException(problem, null);
            case INVALID_API_KEY,
                    SIGNATURE_REQUIRED,
                    SIGNATURE_INVALID,
                    TIMESTAMP_OUT_OF_WINDOW,
                    NONCE_REPLAYED,
                    IP_BLOCKED,
                    UNAUTHORIZED,
                    FORBIDDEN -> new AccessDeniedException(problem, null);
            case SERVICE_UNAVAILABLE, INTERNAL_ERROR -> new ServiceUnavailableException(problem, null);
            default ->
                problem.status() >= 500
                        ? new ServiceUnavailableException(problem, null)
                        : new LicensorException(problem, null);
        };
    }

    private static @Nullable ErrorCode parseCode(@Nullable String rawCode) {
        if (rawCode == null) {
            return null;
        }
        try {
            return ErrorCode.valueOf(rawCode);
        } catch (IllegalArgumentException e) {
            return null;
        }
    }

    private static @Nullable String stringOrNull(@Nullable Object value) {
        return value instanceof String s && !s.isBlank() ? s : null;
    }

    /** {@code Retry-After} is either delay-seconds or an HTTP date (RFC 9110 §10.2.3). */
    static @Nullable Duration retryAfter(HttpHeaders headers, Instant now) {
        Optional<String> value = headers.firstValue("Retry-After").map(String::strip);
        if (value.isEmpty()) {
            return null;
        }
        try {
            long seconds = Long.parseLong(value.get());
            return seconds < 0 ? null : Duration.ofSeconds(seconds);
        } catch (NumberFormatException e) {
            try {
                Instant at = ZonedDateTime.parse(value.get(), DateTimeFormatter.RFC_1123_DATE_TIME)
                        .toInstant();
                Duration d = Duration.between(now, at);
                return d.isNegative() ? Duration.ZERO : d;
            } catch (DateTimeParseException ignored) {
                return null;
            }
        }
    }

    private static OptionalLong longHeader(HttpHeaders headers, String name) {
        return headers.firstValue(name)
                .map(String::strip)
                .map(v -> {
                    try {
                        return OptionalLong.of(Long.parseLong(v));
                    } catch (NumberFormatException e) {
                        return OptionalLong.empty();
                    }
                })
                .orElse(OptionalLong.empty());
    }
}
