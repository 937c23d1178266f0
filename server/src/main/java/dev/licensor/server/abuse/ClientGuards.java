package dev.licensor.server.abuse;

import dev.licensor.protocol.ErrorCode;
import dev.licensor.protocol.LicenseKeyFormat;
import dev.licensor.server.security.ClientContext;
import dev.licensor.server.web.ApiException;
import dev.licensor.server.web.Problems;
import jakarta.servlet.Filter;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import org.jspecify.annotations.Nullable;
import org.springframework.stereotype.Service;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * The client-API filters of this feature, placed by the security configuration: {@link
 * #addressFilter} before the API-key check (blocked addresses, then the per-address bucket), and
 * {@link #rateLimitFilter} after request signatures (per API key, then per license key).
 */
@Service
public class ClientGuards {
    private final BlockedIps blockedIps;
    private final RateLimiter limiter;
    private final ClientRefusals refusals;
    private final Problems problems;

    ClientGuards(BlockedIps blockedIps, RateLimiter limiter, ClientRefusals refusals, Problems problems) {
        this.blockedIps = blockedIps;
        this.limiter = limiter;
        this.refusals = refusals;
        this.problems = problems;
    }

    /** Refuses blocked callers ({@code 403 IP_BLOCKED}) and callers over the per-address limit. */
    public Filter addressFilter() {
        return new GuardFilter() {
            @Override
            void check(HttpServletRequest request) {
                checkAddress(request.getRemoteAddr());
            }
        };
    }

    /** Refuses callers over the per-API-key or per-license limit. */
    public Filter rateLimitFilter() {
        return new GuardFilter() {
            @Override
            void check(HttpServletRequest request) {
                ClientContext client = (ClientContext) request.getAttribute(ClientContext.ATTRIBUTE);
                if (client != null) {
                    checkRateLimits(client, ClientRefusals.licenseKey(request.getRequestURI(), refusals.body(request)));
                }
            }
        };
    }

    /** What {@link #addressFilter} checks, before the API key: the address's block and its limit. */
    public void checkAddress(String ip) {
        if (blockedIps.isBlocked(ip)) {
            throw ApiException.of(ErrorCode.IP_BLOCKED);
        }
        require(limiter.consume(RateLimiter.Scope.IP, ip));
    }

    /**
     * Whether {@link #checkAddress} and {@link #checkRateLimits} may wait: while the buckets are
     * kept in Redis, each takes round trips to it. Otherwise they decide in memory.
     */
    public boolean mayWait() {
        return limiter.shared();
    }

    /** What {@link #rateLimitFilter} checks, after the signature: the API key's and the named license's limits. */
    public void checkRateLimits(ClientContext client, @Nullable String licenseKey) {
        require(limiter.consume(RateLimiter.Scope.API_KEY, Long.toString(client.apiKeyId())));
        if (licenseKey != null) {
            String compact = LicenseKeyFormat.compact(licenseKey);
            if (!compact.isEmpty() && compact.length() <= 128) {
                require(limiter.consume(RateLimiter.Scope.LICENSE, compact));
            }
        }
    }

    private static void require(RateLimiter.Decision decision) {
        if (!decision.allowed()) {
            throw decision.refusal();
        }
    }

    private abstract class GuardFilter extends OncePerRequestFilter {
        abstract void check(HttpServletRequest request);

        @Override
        protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
                throws ServletException, IOException {
            try {
                check(request);
            } catch (ApiException e) {
                refusals.refused(request, e);
                problems.write(request, response, e);
                return;
            }
            chain.doFilter(request, response);
        }
    }
}
