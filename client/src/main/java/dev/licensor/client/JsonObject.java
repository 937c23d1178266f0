package dev.licensor.client;

import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * Typed, lenient access to a parsed JSON object, used to build the response records. Missing
 * optional fields read as null, false, 0 or an empty list; a missing required field or a field of
 * the wrong type is an {@link InvalidResponseException}.
 */
record JsonObject(Map<String, @Nullable Object> fields) {

    static JsonObject parse(String text) {
        try {
            return new JsonObject(Json.parseObject(text));
        } catch (Json.JsonException e) {
            throw new InvalidResponseException("the response is not a JSON object: " + e.getMessage(), e);
        }
    }

    boolean has(String name) {
        return fields.get(name) != null;
    }

    @Nullable
    Object raw(String name) {
        return fields.get(name);
    }

    String string(String name) {
        String value = optString(name);
        if (value == null) {
            throw missing(name);
        }
        return value;
    }

    @Nullable
    String optString(String name) {
        Object value = fields.get(name);
        return switch (value) {
            case null -> null;
            case String s -> s;
            // Ids are opaque JSON values: accept numbers where a string is expected.
            case Number n -> n.toString();
            default -> throw wrongType(name, "a string");
        };
    }

    boolean bool(String name) {
        Object value = fields.get(name);
        return switch (value) {
            case null -> false;
            case Boolean b -> b;
            default -> throw wrongType(name, "a boolean");
        };
    }

    @Nullable
    Boolean optBool(String name) {
        return has(name) ? bool(name) : null;
    }

    long longValue(String name, long fallback) {
        Long value = optLong(name);
        return value == null ? fallback : value;
    }

    int intValue(String name) {
        return Math.toIntExact(longValue(name, 0));
    }

    @Nullable
    Long optLong(String name) {
        Object value = fields.get(name);
        return switch (value) {
            case null -> null;
            case Long l -> l;
            case BigDecimal d -> {
                try {
                    yield d.longValueExact();
                } catch (ArithmeticException e) {
                    throw wrongType(name, "an integer");
                }
            }
            default -> throw wrongType(name, "an integer");
        };
    }

    /** A duration given in whole seconds. */
    @Nullable
    Duration optSeconds(String name) {
        Long seconds = optLong(name);
        return seconds == null ? null : Duration.ofSeconds(seconds);
    }

    @Nullable
    Instant optInstant(String name) {
        String value = optString(name);
        if (value == null) {
            return null;
        }
        try {
            return Instant.parse(value);
        } catch (DateTimeParseException e) {
            throw wrongType(name, "an ISO-8601 instant");
        }
    }

    @Nullable
    JsonObject optObject(String name) {
        Object value = fields.get(name);
        return switch (value) {
            case null -> null;
            case Map<?, ?> map -> new JsonObject(cast(map));
            default -> throw wrongType(name, "an object");
        };
    }

    JsonObject object(String name) {
        JsonObject value = optObject(name);
        if (value == null) {
            throw missing(name);
        }
        return value;
    }

    List<String> stringList(String name) {
        Object value = fields.get(name);
        if (value == null) {
            return List.of();
        }
        if (!(value instanceof List<?> list)) {
            throw wrongType(name, "a list");
        }
        List<String> out = new ArrayList<>(list.size());
        for (Object item : list) {
            if (!(item instanceof String s)) {
                throw wrongType(name, "a list of strings");
            }
            out.add(s);
        }
        return List.copyOf(out);
    }

    List<JsonObject> objectList(String name) {
        Object value = fields.get(name);
        if (value == null) {
            return List.of();
        }
        if (!(value instanceof List<?> list)) {
            throw wrongType(name, "a list");
        }
        List<JsonObject> out = new ArrayList<>(list.size());
        for (Object item : list) {
            if (!(item instanceof Map<?, ?> map)) {
                throw wrongType(name, "a list of objects");
            }
            out.add(new JsonObject(cast(map)));
        }
        return List.copyOf(out);
    }

    <E extends Enum<E>> Optional<E> optEnum(String name, Class<E> type) {
        String value = optString(name);
        if (value == null) {
            return Optional.empty();
        }
        for (E constant : type.getEnumConstants()) {
            if (constant.name().equalsIgnoreCase(value)) {
                return Optional.of(constant);
            }
        }
        return Optional.empty();
    }

    @SuppressWarnings("unchecked")
    private static Map<String, @Nullable Object> cast(Map<?, ?> map) {
        return (Map<String, @Nullable Object>) map;
    }

    private static InvalidResponseException missing(String name) {
        return new InvalidResponseException("the response lacks the field \"" + name + "\"", null);
    }

    private static InvalidResponseException wrongType(String name, String expected) {
        return new InvalidResponseException("the response field \"" + name + "\" is not " + expected, null);
    }
}
