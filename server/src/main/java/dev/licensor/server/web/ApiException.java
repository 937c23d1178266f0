package dev.licensor.server.web;

import dev.licensor.protocol.ErrorCode;
import java.util.LinkedHashMap;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * A failure the API answers with a problem document: its {@link ErrorCode}, the extra fields the
 * code names (e.g. {@code device_limit}), arguments for the localized detail, and headers.
 */
public class ApiException extends RuntimeException {
    private final ErrorCode code;
    private final Map<String, @Nullable Object> properties;
    private final Map<String, String> headers;
    private final Object[] detailArgs;
    private final @Nullable String detailKey;

    private ApiException(
            ErrorCode code,
            Map<String, @Nullable Object> properties,
            Map<String, String> headers,
            @Nullable String detailKey,
            Object[] detailArgs) {
        super(code.name(), null, false, false);
        this.code = code;
        this.properties = properties;
        this.headers = headers;
        this.detailKey = detailKey;
        this.detailArgs = detailArgs;
    }

    public static ApiException of(ErrorCode code) {
        return new ApiException(code, new LinkedHashMap<>(), new LinkedHashMap<>(), null, new Object[0]);
    }

    /** Adds a field to the problem document; it is also passed to the detail message by name. */
    public ApiException with(String name, @Nullable Object value) {
        properties.put(name, value);
        return this;
    }

    public ApiException header(String name, String value) {
        headers.put(name, value);
        return this;
    }

    /** Uses another message key for the detail (a variant of the code's sentence). */
    public ApiException detail(String key, Object... args) {
        return new ApiException(code, properties, headers, key, args);
    }

    /** Arguments for the code's standard detail sentence. */
    public ApiException args(Object... args) {
        return new ApiException(code, properties, headers, detailKey, args);
    }

    public ErrorCode code() {
        return code;
    }

    public Map<String, @Nullable Object> properties() {
        return properties;
    }

    public Map<String, String> headers() {
        return headers;
    }

    public @Nullable String detailKey() {
        return detailKey;
    }

    public Object[] detailArgs() {
        return detailArgs.clone();
    }
}
