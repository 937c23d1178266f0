package dev.licensor.server.web.admin;

import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.LinkedHashMap;
import java.util.Map;
import org.jspecify.annotations.Nullable;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Turns panel forms into the JSON bodies the services validate, so the panel and the admin API
 * share one set of rules. Blank fields are left out (or sent as null where the caller says so).
 */
public final class Forms {
    private static final JsonMapper JSON = JsonMapper.builder().build();

    private final Map<String, @Nullable Object> fields = new LinkedHashMap<>();

    public static Forms body() {
        return new Forms();
    }

    /** Adds a text field unless blank. */
    public Forms text(String name, @Nullable String value) {
        if (value != null && !value.isBlank()) {
            fields.put(name, value.strip());
        }
        return this;
    }

    /** Adds a text field; blank becomes null (clears the value). */
    public Forms textOrNull(String name, @Nullable String value) {
        fields.put(name, value == null || value.isBlank() ? null : value.strip());
        return this;
    }

    public Forms value(String name, @Nullable Object value) {
        if (value != null) {
            fields.put(name, value);
        }
        return this;
    }

    public Forms valueOrNull(String name, @Nullable Object value) {
        fields.put(name, value);
        return this;
    }

    public JsonNode json() {
        return JSON.valueToTree(fields);
    }

    /** A date typed in a form (yyyy-MM-dd) as the end of that day in UTC, or the text as typed when it is not a date. */
    public static @Nullable String endOfDay(@Nullable String date) {
        if (date == null || date.isBlank()) {
            return null;
        }
        try {
            return LocalDate.parse(date.strip())
                    .plusDays(1)
                    .atStartOfDay(ZoneOffset.UTC)
                    .minusSeconds(1)
                    .toInstant()
                    .toString();
        } catch (DateTimeParseException e) {
            return date.strip();
        }
    }

    /** A date typed in a form as the start of that day in UTC, or null when blank or not a date. */
    public static @Nullable Instant startOfDay(@Nullable String date) {
        if (date == null || date.isBlank()) {
            return null;
        }
        try {
            return LocalDate.parse(date.strip()).atStartOfDay(ZoneOffset.UTC).toInstant();
        } catch (DateTimeParseException e) {
            return null;
        }
    }

    /** The date part (yyyy-MM-dd, UTC) of an instant, for date inputs. */
    public static String date(@Nullable Instant instant) {
        return instant == null
                ? ""
                : instant.atOffset(ZoneOffset.UTC).toLocalDate().toString();
    }

    /** Parses a long, or null when blank or not a number. */
    public static @Nullable Long id(@Nullable String value) {
        if (value == null || value.isBlank()) {
            return null;
        }
        try {
            return Long.parseLong(value.strip());
        } catch (NumberFormatException e) {
            return null;
        }
    }
}
