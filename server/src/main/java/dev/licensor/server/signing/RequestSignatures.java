package dev.licensor.server.signing;

import dev.licensor.protocol.ErrorCode;
import dev.licensor.protocol.RequestSigning;
import dev.licensor.protocol.ResponseSigning;
import dev.licensor.server.product.Product;
import dev.licensor.server.product.Products;
import dev.licensor.server.security.ClientContext;
import dev.licensor.server.web.ApiException;
import dev.licensor.server.web.BodyLimitFilter;
import dev.licensor.server.web.Problems;
import jakarta.servlet.Filter;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.time.Clock;
import java.util.function.Function;
import org.jspecify.annotations.Nullable;
import org.springframework.stereotype.Service;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * Request signing (SPEC §5.2) for products with {@code require_signed_requests}: {@code X-Timestamp}
 * (Unix seconds), {@code X-Nonce} (16–128 characters) and {@code X-Signature} = hex
 * HMAC-SHA256, keyed with the UTF-8 bytes of the API key's signing secret, over
 * {@code METHOD\nPATH?QUERY\nTIMESTAMP\nNONCE\nhex(SHA-256(body))}.
 */
@Service
public class RequestSignatures {
    static final int MIN_NONCE = 16;
    static final int MAX_NONCE = 128;

    private final Products products;
    private final NonceStore nonces;
    private final Problems problems;
    private final Clock clock;
    private final long windowSeconds;

    RequestSignatures(
            Products products, NonceStore nonces, Problems problems, Clock clock, SigningProperties properties) {
        this.products = products;
        this.nonces = nonces;
        this.problems = problems;
        this.clock = clock;
        this.windowSeconds = properties.requestWindowSeconds();
    }

    /**
     * The filter checking signatures; it belongs in the client-API chain right after the API-key
     * filter. {@code onRefusal} is told of every refusal (for the validation log).
     */
    public Filter filter(RefusalListener onRefusal) {
        return new OncePerRequestFilter() {
            @Override
            protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
                    throws ServletException, IOException {
                ClientContext client = ClientContext.of(request);
                if (client != null) {
                    try {
                        check(
                                request.getMethod(),
                                ResponseSigning.pathAndQuery(request.getRequestURI(), request.getQueryString()),
                                request::getHeader,
                                BodyLimitFilter.body(request),
                                client);
                    } catch (ApiException e) {
                        onRefusal.refused(request, e);
                        problems.write(request, response, e);
                        return;
                    }
                }
                chain.doFilter(request, response);
            }
        };
    }

    /** Told when a client request is refused before it reaches a controller. */
    @FunctionalInterface
    public interface RefusalListener {
        void refused(HttpServletRequest request, ApiException refusal);
    }

    /**
     * Whether {@link #check} may wait for the database: a request that carries a signature has its
     * nonce remembered (an insert, which waits while another transaction holds the same nonce). One
     * without is decided in memory.
     */
    public static boolean mayWait(Function<String, @Nullable String> headers) {
        return header(headers, RequestSigning.SIGNATURE_HEADER) != null;
    }

    /**
     * Checks a client call's signature if its product requires signed requests; {@code headers}
     * gives a request header by name (or null), {@code body} is the request body as received.
     */
    public void check(
            String method,
            String pathAndQuery,
            Function<String, @Nullable String> headers,
            byte[] body,
            ClientContext client) {
        Product product = products.cached(client.productId());
        if (!product.requireSignedRequests()) {
            return;
        }
        String timestamp = header(headers, RequestSigning.TIMESTAMP_HEADER);
        String nonce = header(headers, RequestSigning.NONCE_HEADER);
        String signature = header(headers, RequestSigning.SIGNATURE_HEADER);
        if (timestamp == null || nonce == null || signature == null) {
            throw ApiException.of(ErrorCode.SIGNATURE_REQUIRED);
        }
        long seconds;
        try {
            seconds = Long.parseLong(timestamp);
        } catch (NumberFormatException e) {
            throw ApiException.of(ErrorCode.SIGNATURE_INVALID);
        }
        if (nonce.length() < MIN_NONCE || nonce.length() > MAX_NONCE) {
            throw ApiException.of(ErrorCode.SIGNATURE_INVALID);
        }
        String canonical = RequestSigning.canonical(method, pathAndQuery, seconds, nonce, body);
        if (!RequestSigning.verify(client.signingSecret(), canonical, signature)) {
            throw ApiException.of(ErrorCode.SIGNATURE_INVALID);
        }
        long now = clock.instant().getEpochSecond();
        if (Math.abs(now - seconds) > windowSeconds) {
            throw ApiException.of(ErrorCode.TIMESTAMP_OUT_OF_WINDOW).with("server_time", now);
        }
        if (!nonces.remember(client.apiKeyId(), nonce)) {
            throw ApiException.of(ErrorCode.NONCE_REPLAYED);
        }
    }

    private static @Nullable String header(Function<String, @Nullable String> headers, String name) {
        String value = headers.apply(name);
        return value == null || value.isBlank() ? null : value.strip();
    }
}
