package dev.licensor.server.session.api;

import dev.licensor.server.security.ClientContext;
import dev.licensor.server.session.SessionRequests;
import dev.licensor.server.session.Sessions;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import jakarta.validation.Validator;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.function.Supplier;
import org.jspecify.annotations.Nullable;
import org.springframework.http.InvalidMediaTypeException;
import org.springframework.http.MediaType;
import org.springframework.web.filter.ServerHttpObservationFilter;
import org.springframework.web.servlet.DispatcherServlet;
import org.springframework.web.servlet.HandlerExceptionResolver;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.json.JsonMapper;

/**
 * {@code POST /api/license/session/heartbeat} without Spring MVC: the call every running copy of
 * a client program makes every {@code heartbeat_interval} seconds, where MVC's handler look-up,
 * content negotiation and argument binding cost about a fifth of the server's CPU per heartbeat
 * (docs/PERFORMANCE.md). It is mapped to the exact path, so every filter still runs in front of
 * it as for any client call: response signing, the body limit, the trust layer, request metrics.
 *
 * <p>It serves only the plain case: a POST with a JSON body that binds and validates, from a
 * client that accepts JSON. Everything else (another method, another content type, a body that
 * does not parse or validate) is handed to the dispatcher, where {@link
 * ClientSessionController#heartbeat} answers it exactly as before, errors included. Failures of
 * the heartbeat itself go to the same exception handlers MVC uses.
 */
class HeartbeatServlet extends HttpServlet {
    static final String PATH = "/api/license/session/heartbeat";
    private final transient Sessions sessions;
    private final transient JsonMapper json;
    private final transient Validator validator;
    private final transient HandlerExceptionResolver exceptions;
    private final transient Supplier<DispatcherServlet> dispatcher;

    HeartbeatServlet(
            Sessions sessions,
            JsonMapper json,
            Validator validator,
            HandlerExceptionResolver exceptions,
            Supplier<DispatcherServlet> dispatcher) {
        this.sessions = sessions;
        this.json = json;
        this.validator = validator;
        this.exceptions = exceptions;
        this.dispatcher = dispatcher;
    }

    @Override
    protected void service(HttpServletRequest request, HttpServletResponse response)
            throws ServletException, IOException {
        ClientContext client = ClientContext.of(request);
        SessionRequests.Heartbeat body =
                client != null && "POST".equals(request.getMethod()) && acceptsJson(request.getHeader("Accept"))
                        ? read(request)
                        : null;
        if (body == null) {
            // Called, not forwarded: a forward would close the response under the signing filter,
            // which still holds the body back.
            dispatcher.get().service(request, response);
            return;
        }
        ServerHttpObservationFilter.findObservationContext(request).ifPresent(c -> c.setPathPattern(PATH));
        Sessions.Beat beat;
        try {
            beat = sessions.heartbeat(client.productId(), body);
        } catch (RuntimeException e) {
            if (exceptions.resolveException(request, response, null, e) == null) {
                throw e;
            }
            return;
        }
        byte[] out = json.writeValueAsBytes(beat);
        response.setStatus(HttpServletResponse.SC_OK);
        response.setContentType(MediaType.APPLICATION_JSON_VALUE);
        response.setContentLength(out.length);
        response.getOutputStream().write(out);
    }

    /** The request body if it is JSON that binds and validates; {@code null} for MVC to explain why not. */
    private SessionRequests.@Nullable Heartbeat read(HttpServletRequest request) throws IOException {
        if (!isJson(request.getContentType())) {
            return null;
        }
        SessionRequests.Heartbeat body;
        try {
            body = json.readValue(request.getInputStream(), SessionRequests.Heartbeat.class);
        } catch (JacksonException e) {
            return null;
        }
        return body != null && validator.validate(body).isEmpty() ? body : null;
    }

    /** What MVC's JSON converter reads, {@code application/json} and {@code application/*+json}, in UTF-8. */
    static boolean isJson(@Nullable String contentType) {
        if (contentType == null) {
            return false;
        }
        if (contentType.equalsIgnoreCase(MediaType.APPLICATION_JSON_VALUE)) {
            return true; // what clients send: no parsing on every heartbeat
        }
        try {
            MediaType type = MediaType.parseMediaType(contentType);
            boolean json = !type.isWildcardSubtype() && type.isCompatibleWith(MediaType.APPLICATION_JSON)
                    || "application".equals(type.getType()) && type.getSubtype().endsWith("+json");
            // Another declared charset: MVC decodes it, this servlet reads UTF-8 only.
            return json && (type.getCharset() == null || type.getCharset().equals(StandardCharsets.UTF_8));
        } catch (InvalidMediaTypeException e) {
            return false;
        }
    }

    /** Whether a JSON answer is acceptable: no {@code Accept}, or one a JSON type matches. */
    static boolean acceptsJson(@Nullable String accept) {
        if (accept == null || accept.isBlank() || accept.equals("*/*") || accept.equals("application/json")) {
            return true;
        }
        try {
            return MediaType.parseMediaTypes(accept).stream()
                    .anyMatch(type -> type.getQualityValue() > 0 && type.isCompatibleWith(MediaType.APPLICATION_JSON));
        } catch (InvalidMediaTypeException e) {
            return false;
        }
    }
}
