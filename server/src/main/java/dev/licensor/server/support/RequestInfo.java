package dev.licensor.server.support;

import jakarta.servlet.http.HttpServletRequest;
import org.jspecify.annotations.Nullable;
import org.springframework.web.context.request.RequestContextHolder;
import org.springframework.web.context.request.ServletRequestAttributes;

/**
 * The caller's address and user agent. The address is the socket peer unless the server runs
 * behind a proxy with {@code server.forward-headers-strategy=native}, where Tomcat applies
 * {@code X-Forwarded-For} from trusted proxies before this is read.
 */
public record RequestInfo(@Nullable String ip, @Nullable String userAgent) {
    public static final RequestInfo NONE = new RequestInfo(null, null);

    public static RequestInfo of(HttpServletRequest request) {
        return new RequestInfo(request.getRemoteAddr(), clean(request.getHeader("User-Agent"), 256));
    }

    /** The current request's info, or {@link #NONE} outside a request (jobs, start-up). */
    public static RequestInfo current() {
        if (RequestContextHolder.getRequestAttributes() instanceof ServletRequestAttributes attributes) {
            return of(attributes.getRequest());
        }
        return NONE;
    }

    public static @Nullable String truncate(@Nullable String value, int max) {
        return value == null || value.length() <= max ? value : value.substring(0, max);
    }

    /**
     * A value safe to log: truncated, without control characters or unpaired surrogates (which
     * PostgreSQL would refuse, poisoning a whole batch of log rows).
     */
    public static @Nullable String clean(@Nullable String value, int max) {
        if (value == null) {
            return null;
        }
        StringBuilder out = new StringBuilder(Math.min(value.length(), max));
        for (int i = 0; i < value.length() && out.length() < max; i++) {
            char c = value.charAt(i);
            if (Character.isISOControl(c) || Character.isSurrogate(c)) {
                out.append('?');
            } else {
                out.append(c);
            }
        }
        return out.toString();
    }
}
