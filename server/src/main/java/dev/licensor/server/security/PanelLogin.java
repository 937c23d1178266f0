package dev.licensor.server.security;

import dev.licensor.server.abuse.LoginRateLimiter;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import jakarta.servlet.http.HttpSession;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.context.SecurityContext;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.security.web.authentication.rememberme.TokenBasedRememberMeServices;
import org.springframework.security.web.context.HttpSessionSecurityContextRepository;
import org.springframework.security.web.context.SecurityContextRepository;
import org.springframework.stereotype.Component;

/**
 * The second login step: a user who gave the right password and has TOTP enrolled completes the
 * login with a code (or a recovery code). Wrong codes count towards the account lock and the IP's
 * failures like wrong passwords.
 */
@Component
public class PanelLogin {
    /** The session attribute remembering that "remember me" was ticked at the password step. */
    static final String REMEMBER_ATTRIBUTE = "licensor.panel.remember";

    private final AdminUsers users;
    private final LoginRateLimiter logins;
    private final SecurityContextRepository contexts = new HttpSessionSecurityContextRepository();
    private final RememberMe rememberMe;

    PanelLogin(AdminUsers users, LoginRateLimiter logins, RememberMe rememberMe) {
        this.users = users;
        this.logins = logins;
        this.rememberMe = rememberMe;
    }

    /** The outcome of a submitted code. */
    public enum Result {
        OK,
        WRONG,
        LOCKED,
        THROTTLED,
        NOT_PENDING
    }

    public Result completeSecondFactor(HttpServletRequest request, HttpServletResponse response, String code) {
        Authentication current = SecurityContextHolder.getContext().getAuthentication();
        if (current == null
                || !(current.getPrincipal() instanceof PanelUser user)
                || current.getAuthorities().stream().noneMatch(a -> PanelUser.TOTP_PENDING.equals(a.getAuthority()))) {
            return Result.NOT_PENDING;
        }
        String ip = request.getRemoteAddr();
        if (logins.attempt(ip) != LoginRateLimiter.Verdict.ALLOWED) {
            return Result.THROTTLED;
        }
        if (!users.checkSecondFactor(user.id(), code)) {
            logins.failed(ip);
            if (users.failure(user.id())) {
                logout(request, response);
                return Result.LOCKED;
            }
            return Result.WRONG;
        }
        users.loggedIn(user.id());
        Authentication full = PanelAuthentication.full(user);
        SecurityContext context = SecurityContextHolder.createEmptyContext();
        context.setAuthentication(full);
        SecurityContextHolder.setContext(context);
        request.changeSessionId();
        contexts.saveContext(context, request, response);
        rememberMe.loginSuccess(request, response, full);
        HttpSession session = request.getSession(false);
        if (session != null) {
            session.removeAttribute(REMEMBER_ATTRIBUTE);
        }
        return Result.OK;
    }

    private void logout(HttpServletRequest request, HttpServletResponse response) {
        SecurityContextHolder.clearContext();
        contexts.saveContext(SecurityContextHolder.createEmptyContext(), request, response);
    }

    /**
     * "Remember me" for 7 days: a cookie signed over the user name, expiry and password hash, so
     * a password change ends it. Issued only once the login is complete: at the password step for
     * users without TOTP, after the code otherwise.
     */
    static final class RememberMe extends TokenBasedRememberMeServices {
        RememberMe(String key, AdminUsers users, int days) {
            super(key, PanelAuthentication.userDetails(users));
            setTokenValiditySeconds(days * 24 * 3600);
            setCookieName("licensor-remember-me");
        }

        @Override
        public void onLoginSuccess(
                HttpServletRequest request, HttpServletResponse response, Authentication authentication) {
            boolean pending = authentication.getAuthorities().stream()
                    .anyMatch(a -> PanelUser.TOTP_PENDING.equals(a.getAuthority()));
            if (pending) {
                request.getSession().setAttribute(REMEMBER_ATTRIBUTE, Boolean.TRUE);
                return;
            }
            super.onLoginSuccess(request, response, authentication);
        }

        @Override
        protected boolean rememberMeRequested(HttpServletRequest request, String parameter) {
            HttpSession session = request.getSession(false);
            return super.rememberMeRequested(request, parameter)
                    || session != null && Boolean.TRUE.equals(session.getAttribute(REMEMBER_ATTRIBUTE));
        }
    }
}
