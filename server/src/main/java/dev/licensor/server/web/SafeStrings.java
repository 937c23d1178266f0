package dev.licensor.server.web;

import java.io.Serial;
import tools.jackson.core.JsonParser;
import tools.jackson.databind.DeserializationContext;
import tools.jackson.databind.deser.jdk.StringDeserializer;
import tools.jackson.databind.deser.std.StdScalarDeserializer;

/**
 * Strings the database can store and people can read: no NUL or other control characters (tab,
 * line breaks allowed), no unpaired surrogates. PostgreSQL refuses NUL in text, so letting one
 * through would turn bad input into a server error.
 */
public final class SafeStrings {
    private SafeStrings() {}

    public static boolean isSafe(String value) {
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if (Character.isISOControl(c) && c != '\n' && c != '\r' && c != '\t') {
                return false;
            }
            if (Character.isHighSurrogate(c)) {
                if (i + 1 >= value.length() || !Character.isLowSurrogate(value.charAt(i + 1))) {
                    return false;
                }
                i++;
            } else if (Character.isLowSurrogate(c)) {
                return false;
            }
        }
        return true;
    }

    /** Jackson deserializer applying {@link #isSafe} to every string of every JSON body. */
    public static final class Deserializer extends StdScalarDeserializer<String> {
        @Serial
        private static final long serialVersionUID = 1L;

        public Deserializer() {
            super(String.class);
        }

        @Override
        public String deserialize(JsonParser p, DeserializationContext ctxt) {
            String value = StringDeserializer.instance.deserialize(p, ctxt);
            if (value != null && !isSafe(value)) {
                return (String)
                        ctxt.handleWeirdStringValue(String.class, value, "contains characters that are not allowed");
            }
            return value;
        }
    }
}
