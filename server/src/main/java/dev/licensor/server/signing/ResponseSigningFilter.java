package dev.licensor.server.signing;

import dev.licensor.protocol.ResponseSigning;
import dev.licensor.server.web.BodyLimitFilter;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.stereotype.Component;
import org.springframework.web.filter.OncePerRequestFilter;
import org.springframework.web.util.ContentCachingRequestWrapper;
import org.springframework.web.util.ContentCachingResponseWrapper;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Signs every client-API response (SPEC §5.3), errors included: it runs before every other filter
 * that may answer (body limit, API key, signatures, rate limits), holds the body back, then adds
 * {@code Date} and {@code X-Licensor-Signature: keyid="…", algorithm="ed25519", signature="…"}
 * over {@code STATUS\nMETHOD PATH\nDATE\nREQUEST_NONCE\nhex(SHA-256(body))}. The request's nonce
 * binds the answer to the question, so a captured response cannot answer another request.
 */
@Component
@Order(Ordered.HIGHEST_PRECEDENCE + 5)
class ResponseSigningFilter extends OncePerRequestFilter {
    private static final Logger log = LoggerFactory.getLogger(ResponseSigningFilter.class);

    private final SigningKeys keys;
    private final Clock clock;
    private final JsonMapper json;
    /** The last {@code Date} value: every answer within the same second has the same one. */
    private volatile HttpDate lastDate = new HttpDate(Long.MIN_VALUE, "");

    private record HttpDate(long epochSecond, String text) {}

    ResponseSigningFilter(SigningKeys keys, Clock clock, JsonMapper json) {
        this.keys = keys;
        this.clock = clock;
        this.json = json;
    }

    /** Client-API paths: everything under {@code /api/} but the admin API and statistics. */
    static boolean isClientApi(String path) {
        return path.startsWith("/api/")
                && !path.startsWith("/api/admin/")
                && !path.equals("/api/admin")
                && !path.equals("/api/stats");
    }

    @Override
    protected boolean shouldNotFilter(HttpServletRequest request) {
        return !isClientApi(request.getRequestURI());
    }

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        ContentCachingRequestWrapper cachedRequest =
                new ContentCachingRequestWrapper(request, BodyLimitFilter.MAX_BODY + 1);
        ContentCachingResponseWrapper cachedResponse = new ContentCachingResponseWrapper(response);
        chain.doFilter(cachedRequest, cachedResponse);
        try {
            sign(cachedRequest, cachedResponse);
        } catch (RuntimeException e) {
            log.warn(
                    "could not sign the response to {} {}: {}",
                    request.getMethod(),
                    request.getRequestURI(),
                    e.toString());
        }
        cachedResponse.copyBodyToResponse();
    }

    private void sign(ContentCachingRequestWrapper request, ContentCachingResponseWrapper response) {
        String date = httpDate(clock.instant());
        response.setHeader("Date", date);
        // The canonical string comes from the protocol module, which the client SDK verifies with.
        String canonical = ResponseSigning.canonical(
                response.getStatus(),
                request.getMethod(),
                ResponseSigning.pathAndQuery(request.getRequestURI(), request.getQueryString()),
                date,
                nonce(request),
                response.getContentAsByteArray());
        response.setHeader(ResponseSigning.HEADER, keys.signatureHeader(canonical));
    }

    /** {@code now} as an HTTP date, formatted once per second. */
    String httpDate(Instant now) {
        HttpDate last = lastDate;
        if (last.epochSecond() != now.getEpochSecond()) {
            last = new HttpDate(now.getEpochSecond(), ResponseSigning.HTTP_DATE.format(now));
            lastDate = last;
        }
        return last.text();
    }

    /** The request's {@code X-Nonce} header, else the JSON body's {@code nonce} string, else empty. */
    private String nonce(ContentCachingRequestWrapper request) {
        String header = request.getHeader("X-Nonce");
        if (header != null) {
            return header;
        }
        byte[] body = request.getContentAsByteArray();
        if (body.length == 0 || body.length > BodyLimitFilter.MAX_BODY || !mayHoldNonce(body)) {
            return "";
        }
        try {
            JsonNode node = json.readTree(body);
            JsonNode nonce = node == null ? null : node.get("nonce");
            return nonce != null && nonce.isString() ? nonce.stringValue() : "";
        } catch (RuntimeException e) {
            return ""; // not JSON: there is no body nonce
        }
    }

    private static final byte[] NONCE = "nonce".getBytes(StandardCharsets.US_ASCII);

    /**
     * Whether a JSON body can have a {@code nonce} member: only if it spells the name out or holds a
     * backslash escape (which could spell it). Most calls carry none, and parsing the body a second
     * time for nothing would cost every call.
     */
    static boolean mayHoldNonce(byte[] body) {
        for (int i = 0; i < body.length; i++) {
            if (body[i] == '\\') {
                return true;
            }
            if (body[i] == 'n' && i + NONCE.length <= body.length) {
                int j = 1;
                while (j < NONCE.length && body[i + j] == NONCE[j]) {
                    j++;
                }
                if (j == NONCE.length) {
                    return true;
                }
            }
        }
        return false;
    }
}
