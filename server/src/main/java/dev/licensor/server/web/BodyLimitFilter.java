package dev.licensor.server.web;

import dev.licensor.protocol.ErrorCode;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ReadListener;
import jakarta.servlet.ServletException;
import jakarta.servlet.ServletInputStream;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletRequestWrapper;
import jakarta.servlet.http.HttpServletResponse;
import java.io.BufferedReader;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.stereotype.Component;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * Refuses API bodies over 64 KiB with {@code 413 PAYLOAD_TOO_LARGE} (by declared length, and by
 * counting for chunked bodies) and keeps the body in memory, so later filters (idempotency,
 * request signatures) can hash it and the controller can still read it.
 */
@Component
@Order(Ordered.HIGHEST_PRECEDENCE + 10)
public class BodyLimitFilter extends OncePerRequestFilter {
    /** The largest body the API accepts. */
    public static final int MAX_BODY = 64 * 1024;

    private final Problems problems;

    BodyLimitFilter(Problems problems) {
        this.problems = problems;
    }

    /** The one API upload larger than the limit: a backup to restore (ADMIN only, multipart, spooled to disk). */
    public static final String BACKUP_RESTORE = "/api/admin/backups/restore";

    @Override
    protected boolean shouldNotFilter(HttpServletRequest request) {
        return !request.getRequestURI().startsWith("/api/")
                || request.getRequestURI().equals(BACKUP_RESTORE);
    }

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        if (request.getContentLengthLong() > MAX_BODY) {
            tooLarge(request, response);
            return;
        }
        byte[] body = read(request.getInputStream(), request.getContentLengthLong());
        if (body.length > MAX_BODY) {
            tooLarge(request, response);
            return;
        }
        chain.doFilter(new CachedBodyRequest(request, body), response);
    }

    /**
     * The body: exactly the declared length (the container delivers no more), else, for a chunked
     * body, up to one byte over the limit. Reading a declared length into an array of that size
     * spares a heartbeat the 16 KiB that {@code readNBytes(MAX_BODY + 1)} allocates to start with.
     */
    static byte[] read(InputStream in, long declaredLength) throws IOException {
        if (declaredLength < 0) {
            return in.readNBytes(MAX_BODY + 1);
        }
        byte[] body = new byte[(int) declaredLength];
        int read = in.readNBytes(body, 0, body.length);
        return read == body.length ? body : Arrays.copyOf(body, read);
    }

    private void tooLarge(HttpServletRequest request, HttpServletResponse response) throws IOException {
        response.setHeader("Connection", "close");
        problems.write(request, response, ApiException.of(ErrorCode.PAYLOAD_TOO_LARGE));
    }

    /** The body of a request that went through this filter, or an empty array. */
    public static byte[] body(HttpServletRequest request) {
        HttpServletRequest current = request;
        while (current instanceof HttpServletRequestWrapper wrapper) {
            if (current instanceof CachedBodyRequest cached) {
                return cached.body.clone();
            }
            current = (HttpServletRequest) wrapper.getRequest();
        }
        return new byte[0];
    }

    static final class CachedBodyRequest extends HttpServletRequestWrapper {
        private final byte[] body;

        CachedBodyRequest(HttpServletRequest request, byte[] body) {
            super(request);
            this.body = body;
        }

        @Override
        public ServletInputStream getInputStream() {
            ByteArrayInputStream in = new ByteArrayInputStream(body);
            return new ServletInputStream() {
                @Override
                public int read() throws IOException {
                    return in.read();
                }

                @Override
                public int read(byte[] b, int off, int len) throws IOException {
                    return in.read(b, off, len);
                }

                @Override
                public boolean isFinished() {
                    return in.available() == 0;
                }

                @Override
                public boolean isReady() {
                    return true;
                }

                /** The body is already in memory: all of it is available at once. */
                @Override
                public void setReadListener(ReadListener listener) {
                    try {
                        if (!isFinished()) {
                            listener.onDataAvailable();
                        }
                        listener.onAllDataRead();
                    } catch (IOException e) {
                        listener.onError(e);
                    }
                }
            };
        }

        @Override
        public BufferedReader getReader() {
            String encoding = getCharacterEncoding();
            return new BufferedReader(new InputStreamReader(
                    getInputStream(),
                    encoding == null ? StandardCharsets.UTF_8 : java.nio.charset.Charset.forName(encoding)));
        }

        @Override
        public int getContentLength() {
            return body.length;
        }

        @Override
        public long getContentLengthLong() {
            return body.length;
        }
    }
}
