package dev.licensor.server.signing;

import dev.licensor.protocol.ResponseSigning;
import dev.licensor.server.web.BodyLimitFilter;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.stereotype.Component;
import org.springframework.web.filter.OncePerRequestFilter;
import org.springframework.web.util.ContentCachingRequestWrapper;
import org.springframework.web.util.ContentCachingResponseWrapper;

/**
 * Signs every client-API response (SPEC §5.3, {@link ResponseSignatures}), errors included: it runs
 * before every other filter that may answer (body limit, API key, signatures, rate limits), holds
 * the body back, then adds {@code Date} and {@code X-Licensor-Signature}.
 */
@Component
@Order(Ordered.HIGHEST_PRECEDENCE + 5)
class ResponseSigningFilter extends OncePerRequestFilter {
    private static final Logger log = LoggerFactory.getLogger(ResponseSigningFilter.class);

    private final ResponseSignatures signatures;

    ResponseSigningFilter(ResponseSignatures signatures) {
        this.signatures = signatures;
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
            ResponseSignatures.Signed signed = signatures.sign(
                    cachedResponse.getStatus(),
                    request.getMethod(),
                    ResponseSigning.pathAndQuery(request.getRequestURI(), request.getQueryString()),
                    request.getHeader("X-Nonce"),
                    cachedRequest.getContentAsByteArray(),
                    cachedResponse.getContentAsByteArray());
            cachedResponse.setHeader("Date", signed.date());
            cachedResponse.setHeader(ResponseSigning.HEADER, signed.signature());
        } catch (RuntimeException e) {
            log.warn(
                    "could not sign the response to {} {}: {}",
                    request.getMethod(),
                    request.getRequestURI(),
                    e.toString());
        }
        cachedResponse.copyBodyToResponse();
    }
}
