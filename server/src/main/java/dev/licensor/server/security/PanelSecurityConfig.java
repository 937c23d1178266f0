package dev.licensor.server.security;

import dev.licensor.server.abuse.LoginRateLimiter;
import dev.licensor.server.support.ServerSecret;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.HexFormat;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.annotation.Order;
import org.springframework.http.HttpMethod;
import org.springframework.security.authentication.LockedException;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.web.SecurityFilterChain;
import org.springframework.security.web.authentication.SavedRequestAwareAuthenticationSuccessHandler;
import org.springframework.security.web.authentication.UsernamePasswordAuthenticationFilter;
import org.springframework.security.web.csrf.CookieCsrfTokenRepository;
import org.springframework.security.web.savedrequest.CookieRequestCache;
import org.springframework.security.web.servlet.util.matcher.PathPatternRequestMatcher;
import org.springframework.security.web.util.matcher.AndRequestMatcher;
import org.springframework.security.web.util.matcher.NegatedRequestMatcher;
import org.springframework.security.web.util.matcher.RequestHeaderRequestMatcher;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * The admin web panel ({@code /admin/**}): form login with a second TOTP step, "remember me",
 * CSRF on every form, and the role rules of SPEC §4 — every role reads; SUPPORT changes customers,
 * licenses and devices; everything else (products, API keys, sessions, users, settings) is ADMIN
 * work; users and backups are ADMIN-only to read too. {@code PanelRoutesIT} checks every route against these rules.
 */
@Configuration(proxyBeanMethods = false)
class PanelSecurityConfig {
    static final String LOGIN = "/admin/login";
    static final String TOTP = "/admin/login/totp";
    static final String CSRF_COOKIE = "licensor-csrf";

    private static final String ADMIN = Role.ADMIN.name();
    private static final String SUPPORT = Role.SUPPORT.name();
    private static final String VIEWER = Role.VIEWER.name();

    @Bean
    PanelLogin.RememberMe panelRememberMe(ServerSecret secret, AdminUsers users, AdminProperties properties) {
        return new PanelLogin.RememberMe(
                HexFormat.of().formatHex(secret.derive("panel-remember-me")), users, properties.rememberMeDays());
    }

    @Bean
    @Order(3)
    SecurityFilterChain panel(
            HttpSecurity http, AdminUsers users, LoginRateLimiter logins, PanelLogin.RememberMe rememberMe)
            throws Exception {
        // Nothing about a visitor who has not logged in is kept on the server: the CSRF token of
        // the log-in form and the page to return to after it live in cookies. Kept in the session,
        // every anonymous request for a panel page wrote a row to the shared session table.
        var csrfTokens = new CookieCsrfTokenRepository();
        csrfTokens.setCookieName(CSRF_COOKIE);
        csrfTokens.setCookieCustomizer(cookie -> cookie.sameSite("Lax"));
        var returnTo = new CookieRequestCache();
        returnTo.setRequestMatcher(new AndRequestMatcher(
                PathPatternRequestMatcher.withDefaults().matcher(HttpMethod.GET, "/admin/**"),
                // The dashboard's htmx refreshes are fragments, not pages to come back to.
                new NegatedRequestMatcher(new RequestHeaderRequestMatcher("HX-Request"))));
        returnTo.setCookieCustomizer(cookie -> cookie.setAttribute("SameSite", "Lax"));
        var success = new SavedRequestAwareAuthenticationSuccessHandler();
        success.setDefaultTargetUrl("/admin");
        success.setRequestCache(returnTo);
        http.securityMatcher("/admin/**")
                .csrf(csrf -> csrf.csrfTokenRepository(csrfTokens))
                .requestCache(cache -> cache.requestCache(returnTo))
                .authenticationProvider(new PanelAuthentication(users))
                .addFilterBefore(new Throttle(logins), UsernamePasswordAuthenticationFilter.class)
                .formLogin(form -> form.loginPage(LOGIN)
                        .loginProcessingUrl(LOGIN)
                        .successHandler((request, response, auth) -> {
                            boolean pending = auth.getAuthorities().stream()
                                    .anyMatch(a -> PanelUser.TOTP_PENDING.equals(a.getAuthority()));
                            if (pending) {
                                response.sendRedirect(request.getContextPath() + TOTP);
                            } else {
                                success.onAuthenticationSuccess(request, response, auth);
                            }
                        })
                        .failureHandler((request, response, ex) -> {
                            logins.failed(request.getRemoteAddr());
                            String reason = ex instanceof LockedException ? "locked" : "error";
                            response.sendRedirect(request.getContextPath() + LOGIN + "?" + reason);
                        })
                        .permitAll())
                .rememberMe(r -> r.rememberMeServices(rememberMe))
                .logout(l -> l.logoutUrl("/admin/logout")
                        .logoutSuccessUrl(LOGIN + "?logout")
                        .deleteCookies("SESSION", "licensor-remember-me"))
                .headers(h -> h.contentSecurityPolicy(csp -> csp.policyDirectives(
                        "default-src 'self'; img-src 'self' data:; style-src 'self' 'unsafe-inline';"
                                + " script-src 'self'; frame-ancestors 'none'; form-action 'self'")))
                .authorizeHttpRequests(auth -> auth.requestMatchers(LOGIN)
                        .permitAll()
                        .requestMatchers(TOTP)
                        .hasAuthority(PanelUser.TOTP_PENDING)
                        // Users: administrators only, reading included.
                        .requestMatchers("/admin/users", "/admin/users/**")
                        .hasRole(ADMIN)
                        // Backups (SPEC §4): administrators only, reading included.
                        .requestMatchers("/admin/backups", "/admin/backups/**")
                        .hasRole(ADMIN)
                        // Reads: every role.
                        .requestMatchers(HttpMethod.GET, "/admin", "/admin/**")
                        .hasAnyRole(ADMIN, SUPPORT, VIEWER)
                        // One's own account (password, TOTP): every role.
                        .requestMatchers("/admin/account/**")
                        .hasAnyRole(ADMIN, SUPPORT, VIEWER)
                        // Support work: customers, licenses and their devices.
                        .requestMatchers("/admin/customers/**", "/admin/licenses/**")
                        .hasAnyRole(ADMIN, SUPPORT)
                        // Everything else changes configuration or security, or is not support work
                        // (leads, resources).
                        .requestMatchers("/admin/**")
                        .hasRole(ADMIN)
                        .anyRequest()
                        .denyAll());
        return http.build();
    }

    /** Refuses login attempts beyond the per-IP rate, and from blocked IPs (the trust layer's limiter). */
    static final class Throttle extends OncePerRequestFilter {
        private final LoginRateLimiter logins;

        Throttle(LoginRateLimiter logins) {
            this.logins = logins;
        }

        @Override
        protected boolean shouldNotFilter(HttpServletRequest request) {
            String path =
                    request.getRequestURI().substring(request.getContextPath().length());
            return !("POST".equals(request.getMethod()) && LOGIN.equals(path));
        }

        @Override
        protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
                throws ServletException, IOException {
            switch (logins.attempt(request.getRemoteAddr())) {
                case ALLOWED -> chain.doFilter(request, response);
                case RATE_LIMITED -> response.sendRedirect(request.getContextPath() + LOGIN + "?throttled");
                case IP_BLOCKED -> response.sendRedirect(request.getContextPath() + LOGIN + "?blocked");
            }
        }
    }
}
