package dev.licensor.server.abuse;

import dev.licensor.server.audit.ValidationLog;
import dev.licensor.server.security.ClientContext;
import dev.licensor.server.web.ApiException;
import dev.licensor.server.web.BodyLimitFilter;
import jakarta.servlet.http.HttpServletRequest;
import org.jspecify.annotations.Nullable;
import org.springframework.stereotype.Component;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Writes the client-API refusals made before a controller (blocked address, rate limit, request
 * signature) to the validation log, like every other client decision: action from the path, key,
 * hardware hash and version from the body.
 */
@Component
public class ClientRefusals {
    private final ValidationLog validationLog;
    private final JsonMapper json;

    ClientRefusals(ValidationLog validationLog, JsonMapper json) {
        this.validationLog = validationLog;
        this.json = json;
    }

    public void refused(HttpServletRequest request, ApiException refusal) {
        ClientContext client = (ClientContext) request.getAttribute(ClientContext.ATTRIBUTE);
        refused(client == null ? null : client.productId(), request.getRequestURI(), body(request), refusal);
    }

    /** A refusal of a call to {@code path} with the JSON object {@code body} (or none), for a product if known. */
    public void refused(@Nullable Long productId, String path, @Nullable JsonNode body, ApiException refusal) {
        validationLog.record(
                productId,
                null,
                licenseKey(path, body),
                action(path),
                refusal.code().name(),
                text(body, "hardware_hash"),
                text(body, "version"));
    }

    /** {@code /api/license/session/start} → {@code session_start}; {@code /api/version/check} → {@code version_check}. */
    static String action(String path) {
        String rest = path.startsWith("/api/license/") ? path.substring("/api/license/".length()) : path.substring(5);
        if (rest.startsWith("info/")) {
            return "info";
        }
        String action = rest.replace('/', '_');
        return action.length() > 32 ? action.substring(0, 32) : action;
    }

    /** The license key a client call names: the body's {@code license_key}, or the info path's key. */
    public static @Nullable String licenseKey(String path, @Nullable JsonNode body) {
        if (path.startsWith("/api/license/info/")) {
            String key = path.substring("/api/license/info/".length());
            return key.isEmpty() ? null : key;
        }
        return text(body, "license_key");
    }

    @Nullable
    JsonNode body(HttpServletRequest request) {
        return body(BodyLimitFilter.body(request));
    }

    /** A request body as a JSON object; null when it is empty or not one. */
    public @Nullable JsonNode body(byte[] bytes) {
        if (bytes.length == 0) {
            return null;
        }
        try {
            JsonNode node = json.readTree(bytes);
            return node != null && node.isObject() ? node : null;
        } catch (RuntimeException e) {
            return null;
        }
    }

    static @Nullable String text(@Nullable JsonNode body, String field) {
        JsonNode node = body == null ? null : body.get(field);
        return node != null && node.isString() ? node.stringValue() : null;
    }
}
