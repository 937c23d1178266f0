package dev.licensor.server.security;

import dev.licensor.protocol.ErrorCode;
import dev.licensor.server.abuse.ClientGuards;
import dev.licensor.server.abuse.ClientRefusals;
import dev.licensor.server.product.ApiKeys;
import dev.licensor.server.signing.RequestSignatures;
import dev.licensor.server.web.ApiException;
import dev.licensor.server.web.Problems;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.annotation.Order;
import org.springframework.http.HttpMethod;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.config.http.SessionCreationPolicy;
import org.springframework.security.config.observation.SecurityObservationSettings;
import org.springframework.security.crypto.bcrypt.BCryptPasswordEncoder;
import org.springframework.security.crypto.password.PasswordEncoder;
import org.springframework.security.web.SecurityFilterChain;
import org.springframework.security.web.access.intercept.AuthorizationFilter;

/**
 * Three filter chains: the admin API (bearer tokens, roles), the client API (API keys), and
 * everything else. Every admin route is covered by a rule here; the route test enumerates them.
 */
@Configuration(proxyBeanMethods = false)
class SecurityConfig {
    private static final String ADMIN = Role.ADMIN.name();
    private static final String SUPPORT = Role.SUPPORT.name();
    private static final String VIEWER = Role.VIEWER.name();

    /** Client-API paths served without an API key. */
    static boolean isPublicClientPath(String path) {
        return path.equals("/api/keys");
    }

    /**
     * No Spring Security observations: they only serve tracing, and even switched off by a
     * predicate they wrap every filter of every chain, a measurable share of a heartbeat
     * (docs/PERFORMANCE.md). Request metrics ({@code http.server.requests}) are not affected.
     */
    @Bean
    SecurityObservationSettings securityObservationSettings() {
        return SecurityObservationSettings.noObservations();
    }

    @Bean
    PasswordEncoder passwordEncoder() {
        return new BCryptPasswordEncoder(12);
    }

    @Bean
    @Order(1)
    SecurityFilterChain adminApi(
            HttpSecurity http, AdminTokens tokens, IdempotencyKeys idempotencyKeys, Problems problems)
            throws Exception {
        http.securityMatcher("/api/admin/**", "/api/stats")
                .csrf(csrf -> csrf.disable())
                .sessionManagement(s -> s.sessionCreationPolicy(SessionCreationPolicy.STATELESS))
                .requestCache(cache -> cache.disable())
                .anonymous(a -> {})
                .addFilterBefore(new AdminTokenFilter(tokens), AuthorizationFilter.class)
                // After authorization: the actor is known, and refused requests never claim a key.
                .addFilterAfter(new IdempotencyFilter(idempotencyKeys, problems), AuthorizationFilter.class)
                .exceptionHandling(e -> e.authenticationEntryPoint((request, response, ex) -> {
                            response.setHeader("WWW-Authenticate", "Bearer");
                            problems.write(request, response, ApiException.of(ErrorCode.UNAUTHORIZED));
                        })
                        .accessDeniedHandler((request, response, ex) ->
                                problems.write(request, response, ApiException.of(ErrorCode.FORBIDDEN))))
                .authorizeHttpRequests(auth -> auth
                        // Backups hold every hash and encrypted secret: administrators only, reading included.
                        .requestMatchers("/api/admin/backups", "/api/admin/backups/**")
                        .hasRole(ADMIN)
                        // Reads: every role.
                        .requestMatchers(HttpMethod.GET, "/api/admin/**", "/api/stats")
                        .hasAnyRole(ADMIN, SUPPORT, VIEWER)
                        // Support work: customers, licenses and their devices, allocating resources.
                        .requestMatchers(
                                HttpMethod.POST, "/api/admin/resources/*/allocate", "/api/admin/resources/*/release")
                        .hasAnyRole(ADMIN, SUPPORT)
                        .requestMatchers("/api/admin/customers/**", "/api/admin/licenses/**")
                        .hasAnyRole(ADMIN, SUPPORT)
                        // Everything else changes configuration or security, or is not support work
                        // (leads, the resource pool): administrators only.
                        .requestMatchers("/api/admin/**")
                        .hasRole(ADMIN)
                        .anyRequest()
                        .denyAll());
        return http.build();
    }

    @Bean
    @Order(2)
    SecurityFilterChain clientApi(
            HttpSecurity http,
            ApiKeys apiKeys,
            Problems problems,
            ClientGuards guards,
            RequestSignatures signatures,
            ClientRefusals refusals)
            throws Exception {
        // The client API is stateless and authenticated by our own filters: none of the log-out,
        // anonymous, servlet-API or session machinery applies, and each filter costs every call.
        http.securityMatcher("/api/**")
                .csrf(csrf -> csrf.disable())
                .sessionManagement(s -> s.disable())
                .requestCache(cache -> cache.disable())
                .logout(logout -> logout.disable())
                .anonymous(anonymous -> anonymous.disable())
                .servletApi(servletApi -> servletApi.disable())
                .addFilterBefore(new ApiKeyFilter(apiKeys, problems, refusals), AuthorizationFilter.class)
                // Trust layer: blocked addresses and the per-address limit before the API key is
                // looked at; request signatures, then per-API-key and per-license limits after it.
                .addFilterBefore(guards.addressFilter(), ApiKeyFilter.class)
                .addFilterAfter(signatures.filter(refusals::refused), ApiKeyFilter.class)
                .addFilterAfter(guards.rateLimitFilter(), ApiKeyFilter.class)
                .authorizeHttpRequests(auth -> auth.anyRequest().permitAll());
        return http.build();
    }

    @Bean
    @Order(100)
    SecurityFilterChain rest(HttpSecurity http) throws Exception {
        http.csrf(csrf -> csrf.ignoringRequestMatchers("/actuator/**"))
                .authorizeHttpRequests(auth ->
                        auth.requestMatchers("/admin/**").denyAll().anyRequest().permitAll());
        return http.build();
    }
}
