package dev.licensor.server.security;

import dev.licensor.protocol.ErrorCode;
import dev.licensor.server.abuse.ClientRefusals;
import dev.licensor.server.product.ApiKeys;
import dev.licensor.server.web.ApiException;
import dev.licensor.server.web.Problems;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.Optional;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * Requires a valid {@code X-API-Key} on every client-API call and records which product it
 * speaks for. {@code GET /api/keys} (public signing keys) needs no key.
 */
class ApiKeyFilter extends OncePerRequestFilter {
    private final ApiKeys apiKeys;
    private final Problems problems;
    private final ClientRefusals refusals;

    ApiKeyFilter(ApiKeys apiKeys, Problems problems, ClientRefusals refusals) {
        this.apiKeys = apiKeys;
        this.problems = problems;
        this.refusals = refusals;
    }

    @Override
    protected boolean shouldNotFilter(HttpServletRequest request) {
        return SecurityConfig.isPublicClientPath(request.getRequestURI());
    }

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        Optional<ApiKeys.Credential> credential = apiKeys.authenticate(request.getHeader("X-API-Key"));
        if (credential.isEmpty()) {
            ApiException refusal = ApiException.of(ErrorCode.INVALID_API_KEY);
            refusals.refused(request, refusal);
            problems.write(request, response, refusal);
            return;
        }
        ApiKeys.Credential c = credential.get();
        request.setAttribute(
                ClientContext.ATTRIBUTE, new ClientContext(c.productId(), c.apiKeyId(), c.signingSecret()));
        chain.doFilter(request, response);
    }
}
