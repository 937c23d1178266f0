package dev.licensor.server.security;

import java.util.List;
import org.springframework.security.authentication.AuthenticationProvider;
import org.springframework.security.authentication.BadCredentialsException;
import org.springframework.security.authentication.DisabledException;
import org.springframework.security.authentication.LockedException;
import org.springframework.security.authentication.UsernamePasswordAuthenticationToken;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.AuthenticationException;
import org.springframework.security.core.authority.SimpleGrantedAuthority;
import org.springframework.security.core.userdetails.UserDetailsService;
import org.springframework.security.core.userdetails.UsernameNotFoundException;

/**
 * The panel's password step. A user with TOTP enrolled gets only the {@link PanelUser#TOTP_PENDING}
 * authority here and the roles after the code ({@code /admin/login/totp}).
 */
final class PanelAuthentication implements AuthenticationProvider {
    private final AdminUsers users;

    PanelAuthentication(AdminUsers users) {
        this.users = users;
    }

    @Override
    public Authentication authenticate(Authentication authentication) throws AuthenticationException {
        String username = String.valueOf(authentication.getName()).strip();
        String password = String.valueOf(authentication.getCredentials());
        switch (users.checkPassword(username, password)) {
            case WRONG -> throw new BadCredentialsException("bad credentials");
            case LOCKED -> throw new LockedException("locked");
            case DISABLED -> throw new DisabledException("disabled");
            case OK -> {}
        }
        AdminUsers.Row row = users.row(username).orElseThrow(() -> new BadCredentialsException("bad credentials"));
        PanelUser user = users.principal(row);
        if (row.totpSecretEnc() != null) {
            return UsernamePasswordAuthenticationToken.authenticated(
                    user, null, List.of(new SimpleGrantedAuthority(PanelUser.TOTP_PENDING)));
        }
        users.loggedIn(user.id());
        return full(user);
    }

    static Authentication full(PanelUser user) {
        return UsernamePasswordAuthenticationToken.authenticated(user, null, user.getAuthorities());
    }

    @Override
    public boolean supports(Class<?> authentication) {
        return UsernamePasswordAuthenticationToken.class.isAssignableFrom(authentication);
    }

    /** Loads users for "remember me" cookies. */
    static UserDetailsService userDetails(AdminUsers users) {
        return username -> users.row(username)
                .map(users::principal)
                .orElseThrow(() -> new UsernameNotFoundException("no such user"));
    }
}
