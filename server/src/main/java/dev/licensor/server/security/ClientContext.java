package dev.licensor.server.security;

import jakarta.servlet.http.HttpServletRequest;

/** The product a client-API call acts for, resolved from its {@code X-API-Key}. */
public record ClientContext(long productId, long apiKeyId, String signingSecret) {
    /** The request attribute holding it. */
    public static final String ATTRIBUTE = "licensor.client";

    public static ClientContext of(HttpServletRequest request) {
        return (ClientContext) request.getAttribute(ATTRIBUTE);
    }
}
