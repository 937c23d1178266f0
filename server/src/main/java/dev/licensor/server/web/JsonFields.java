package dev.licensor.server.web;

import dev.licensor.protocol.ErrorCode;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;
import tools.jackson.databind.JsonNode;

/**
 * Reads a JSON object field by field, for PATCH bodies where "absent" (leave as is) and
 * {@code null} (clear) mean different things. Collects every field error and throws one
 * {@code INVALID_REQUEST} listing them all.
 */
public final class JsonFields {
    private static final Pattern EMAIL = Pattern.compile("[^@\\s]+@[^@\\s]+\\.[^@\\s]+");
    private static final Pattern PHONE = Pattern.compile("[0-9+()./ -]{3,50}");

    // Both databases store these; beyond them PostgreSQL refuses the value (a 500 otherwise).
    private static final Instant EARLIEST = Instant.parse("1970-01-01T00:00:00Z");

    /** The latest instant accepted or computed (e.g. an expiry): both databases store it. */
    public static final Instant LATEST = Instant.parse("9999-12-31T23:59:59Z");

    private final JsonNode body;
    private final List<Problems.FieldError> errors = new ArrayList<>();

    public JsonFields(@Nullable JsonNode body, Set<String> allowed) {
        if (body == null || !body.isObject()) {
            throw invalid(List.of(new Problems.FieldError("", "a JSON object is required")));
        }
        this.body = body;
        for (String name : body.propertyNames()) {
            if (!allowed.contains(name)) {
                errors.add(new Problems.FieldError(name, "unknown field"));
            }
        }
    }

    public boolean has(String field) {
        return body.has(field);
    }

    public @Nullable String string(String field, int maxLength, boolean nullable) {
        JsonNode node = body.get(field);
        if (node == null || node.isNull()) {
            if (!nullable) {
                errors.add(new Problems.FieldError(field, "must not be null"));
            }
            return null;
        }
        if (!node.isString()) {
            errors.add(new Problems.FieldError(field, "must be a string"));
            return null;
        }
        String value = node.stringValue();
        if (value.length() > maxLength) {
            errors.add(new Problems.FieldError(field, "at most " + maxLength + " characters"));
        } else if (!nullable && value.isBlank()) {
            errors.add(new Problems.FieldError(field, "must not be blank"));
        } else if (!SafeStrings.isSafe(value)) {
            errors.add(new Problems.FieldError(field, "contains characters that are not allowed"));
        }
        return value;
    }

    /** An optional text field: stripped, and blank is absent ({@code null}). */
    public @Nullable String optionalString(String field, int maxLength) {
        String value = string(field, maxLength, true);
        return value == null || value.isBlank() ? null : value.strip();
    }

    /** An optional email address (at most 320 characters), as customers and contact persons have. */
    public @Nullable String email(String field) {
        String email = optionalString(field, 320);
        if (email != null && !EMAIL.matcher(email).matches()) {
            errors.add(new Problems.FieldError(field, "must be an email address such as name@example.com"));
        }
        return email;
    }

    /** An optional phone number (at most 50 characters of digits, spaces and {@code + ( ) . / -}). */
    public @Nullable String phone(String field) {
        String phone = optionalString(field, 50);
        if (phone != null && !PHONE.matcher(phone).matches()) {
            errors.add(new Problems.FieldError(field, "may contain digits, spaces and + ( ) . / - only"));
        }
        return phone;
    }

    public @Nullable Integer integer(String field, int min, int max, boolean nullable) {
        JsonNode node = body.get(field);
        if (node == null || node.isNull()) {
            if (!nullable) {
                errors.add(new Problems.FieldError(field, "must not be null"));
            }
            return null;
        }
        if (!node.isIntegralNumber()) {
            errors.add(new Problems.FieldError(field, "must be a whole number"));
            return null;
        }
        // A whole number past the int range is out of range too, not "not a whole number".
        if (!node.canConvertToInt()) {
            errors.add(new Problems.FieldError(field, "must be between " + min + " and " + max));
            return null;
        }
        int value = node.intValue();
        if (value < min || value > max) {
            errors.add(new Problems.FieldError(field, "must be between " + min + " and " + max));
        }
        return value;
    }

    public boolean bool(String field) {
        JsonNode node = body.get(field);
        if (node == null || !node.isBoolean()) {
            errors.add(new Problems.FieldError(field, "must be true or false"));
            return false;
        }
        return node.booleanValue();
    }

    public @Nullable Instant instant(String field, boolean nullable) {
        String text = string(field, 64, nullable);
        if (text == null) {
            return null;
        }
        try {
            Instant value = Instant.parse(text);
            if (value.isBefore(EARLIEST) || value.isAfter(LATEST)) {
                errors.add(new Problems.FieldError(field, "must be between 1970 and 9999"));
                return null;
            }
            return value;
        } catch (DateTimeParseException e) {
            errors.add(new Problems.FieldError(field, "must be an ISO 8601 instant such as 2026-11-23T12:00:00Z"));
            return null;
        }
    }

    /**
     * An instant, or a plain ISO 8601 date ({@code 2031-01-01}) standing for the last second of that
     * day in UTC ({@code 2031-01-01T23:59:59Z}): an expiry given as a date keeps a license valid
     * through that day, and reads as that day.
     */
    public @Nullable Instant instantOrEndOfDay(String field, boolean nullable) {
        return instantOrDate(field, nullable, LocalTime.of(23, 59, 59));
    }

    /**
     * An instant, or a plain ISO 8601 date ({@code 2031-01-01}) standing for the start of that day in
     * UTC ({@code 2031-01-01T00:00:00Z}): a license valid from a date is valid all that day.
     */
    public @Nullable Instant instantOrStartOfDay(String field, boolean nullable) {
        return instantOrDate(field, nullable, LocalTime.MIDNIGHT);
    }

    private @Nullable Instant instantOrDate(String field, boolean nullable, LocalTime timeOfDate) {
        String text = string(field, 64, nullable);
        if (text == null) {
            return null;
        }
        Instant value;
        try {
            value = Instant.parse(text);
        } catch (DateTimeParseException notAnInstant) {
            try {
                value = LocalDate.parse(text).atTime(timeOfDate).toInstant(ZoneOffset.UTC);
            } catch (DateTimeParseException notADate) {
                errors.add(new Problems.FieldError(
                        field,
                        "must be an ISO 8601 instant such as 2026-11-23T12:00:00Z or a date such as 2026-11-23"));
                return null;
            }
        }
        if (value.isBefore(EARLIEST) || value.isAfter(LATEST)) {
            errors.add(new Problems.FieldError(field, "must be between 1970 and 9999"));
            return null;
        }
        return value;
    }

    public List<String> strings(String field, int maxItems, int maxLength) {
        JsonNode node = body.get(field);
        if (node == null || node.isNull()) {
            return List.of();
        }
        if (!node.isArray() || node.size() > maxItems) {
            errors.add(new Problems.FieldError(field, "must be an array of at most " + maxItems + " strings"));
            return List.of();
        }
        List<String> values = new ArrayList<>();
        for (JsonNode item : node) {
            if (!item.isString()
                    || item.stringValue().isBlank()
                    || item.stringValue().length() > maxLength
                    || !SafeStrings.isSafe(item.stringValue())) {
                errors.add(new Problems.FieldError(
                        field, "items must be non-blank strings of at most " + maxLength + " characters"));
                return List.of();
            }
            values.add(item.stringValue().strip());
        }
        return values;
    }

    /** Records an error found by the caller's own checks. */
    public void error(String field, String message) {
        errors.add(new Problems.FieldError(field, message));
    }

    /** Throws when any field was wrong. */
    public void validate() {
        if (!errors.isEmpty()) {
            throw invalid(errors);
        }
    }

    /**
     * The optional body of an admin action (suspend, block, terminate, resolve, …): none, or an
     * object whose only field is an optional {@code reason} of at most 1 000 characters for the
     * audit log. Unknown fields are refused as in every other body. The reason stripped, or
     * {@code null} when none was given.
     */
    public static @Nullable String actionReason(@Nullable JsonNode body) {
        if (body == null) {
            return null;
        }
        JsonFields f = new JsonFields(body, Set.of("reason"));
        String reason = f.has("reason") ? f.string("reason", 1000, true) : null;
        f.validate();
        return reason == null || reason.isBlank() ? null : reason.strip();
    }

    public static ApiException invalid(List<Problems.FieldError> errors) {
        return ApiException.of(ErrorCode.INVALID_REQUEST).with("errors", List.copyOf(errors));
    }

    public static ApiException invalid(String field, String message) {
        return invalid(List.of(new Problems.FieldError(field, message)));
    }
}
