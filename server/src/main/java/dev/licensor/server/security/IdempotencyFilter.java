package dev.licensor.server.security;

import dev.licensor.protocol.ErrorCode;
import dev.licensor.server.support.Hashes;
import dev.licensor.server.web.ApiException;
import dev.licensor.server.web.BodyLimitFilter;
import dev.licensor.server.web.JsonFields;
import dev.licensor.server.web.Problems;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.web.filter.OncePerRequestFilter;
import org.springframework.web.util.ContentCachingResponseWrapper;

/**
 * {@code Idempotency-Key} on admin writes: the same key with the same request (method, path,
 * query and body) by the same actor within 24 hours gets the first answer again, marked
 * {@code Idempotent-Replayed: true}, without acting again; the same key with another request is
 * {@code 422 IDEMPOTENCY_KEY_REUSED}; a duplicate arriving while the first is still being
 * processed is {@code 409 CONFLICT}. Server errors (5xx) are not remembered, so a retry acts.
 * Runs after authorization, so the actor is known and refused requests never claim a key.
 */
class IdempotencyFilter extends OncePerRequestFilter {
    static final String HEADER = "Idempotency-Key";
    private static final Logger log = LoggerFactory.getLogger(IdempotencyFilter.class);
    private static final Set<String> WRITES = Set.of("POST", "PUT", "PATCH", "DELETE");

    private final IdempotencyKeys keys;
    private final Problems problems;

    IdempotencyFilter(IdempotencyKeys keys, Problems problems) {
        this.keys = keys;
        this.problems = problems;
    }

    /**
     * Not for a backup restore: its upload is not held in memory (see {@link BodyLimitFilter}), so
     * "the same request" could not be told from another file under the same key.
     */
    @Override
    protected boolean shouldNotFilter(HttpServletRequest request) {
        return !WRITES.contains(request.getMethod())
                || !request.getRequestURI().startsWith("/api/admin/")
                || request.getRequestURI().equals(BodyLimitFilter.BACKUP_RESTORE);
    }

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        String key = request.getHeader(HEADER);
        if (key == null) {
            chain.doFilter(request, response);
            return;
        }
        if (!wellFormed(key)) {
            problems.write(
                    request,
                    response,
                    JsonFields.invalid(HEADER, "must be 1 to 200 visible ASCII characters, e.g. a UUID"));
            return;
        }
        String actor = Actor.current().key();
        IdempotencyKeys.Claim claim = keys.claim(actor, key, hash(request));
        switch (claim) {
            case IdempotencyKeys.Claim.Reused reused ->
                problems.write(request, response, ApiException.of(ErrorCode.IDEMPOTENCY_KEY_REUSED));
            case IdempotencyKeys.Claim.InProgress inProgress ->
                problems.write(
                        request,
                        response,
                        ApiException.of(ErrorCode.CONFLICT)
                                .header("Retry-After", "1")
                                .detail("idempotency.in-progress"));
            case IdempotencyKeys.Claim.Replay replay -> {
                response.setStatus(replay.status());
                if (replay.contentType() != null) {
                    response.setContentType(replay.contentType());
                }
                response.setHeader("Idempotent-Replayed", "true");
                response.setContentLength(replay.body().length);
                response.getOutputStream().write(replay.body());
                response.flushBuffer();
            }
            case IdempotencyKeys.Claim.Claimed claimed -> act(request, response, chain, actor, key);
        }
    }

    private void act(
            HttpServletRequest request, HttpServletResponse response, FilterChain chain, String actor, String key)
            throws ServletException, IOException {
        ContentCachingResponseWrapper wrapper = new ContentCachingResponseWrapper(response);
        boolean remembered = false;
        try {
            chain.doFilter(request, wrapper);
            int status = wrapper.getStatus();
            if (status < 500) {
                keys.complete(actor, key, status, wrapper.getContentType(), wrapper.getContentAsByteArray());
                remembered = true;
            }
        } finally {
            if (!remembered) {
                try {
                    keys.release(actor, key);
                } catch (RuntimeException e) {
                    log.warn("could not release idempotency key after a failed request: {}", e.toString());
                }
            }
            wrapper.copyBodyToResponse();
        }
    }

    private static boolean wellFormed(String key) {
        if (key.isEmpty() || key.length() > 200) {
            return false;
        }
        for (int i = 0; i < key.length(); i++) {
            char c = key.charAt(i);
            if (c < 0x21 || c > 0x7e) {
                return false;
            }
        }
        return true;
    }

    /** What "the same request" means: method, path with query, and body. */
    private static String hash(HttpServletRequest request) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        String target = request.getMethod() + " " + request.getRequestURI()
                + (request.getQueryString() == null ? "" : "?" + request.getQueryString()) + "\n";
        out.writeBytes(target.getBytes(StandardCharsets.UTF_8));
        out.writeBytes(BodyLimitFilter.body(request));
        return Hashes.sha256Hex(out.toByteArray());
    }
}
