package dev.licensor.server.security;

import java.io.Serializable;
import java.util.Collection;
import java.util.List;
import org.springframework.security.core.GrantedAuthority;
import org.springframework.security.core.authority.SimpleGrantedAuthority;
import org.springframework.security.core.userdetails.UserDetails;

/**
 * A panel user as Spring Security holds it. {@code passwordHash} is kept only because "remember
 * me" cookies are signed over it, so changing the password invalidates them.
 */
public record PanelUser(long id, String username, Role role, String passwordHash, boolean enabled, boolean locked)
        implements UserDetails, Serializable {
    /** The authority of a user who gave the right password but not yet the TOTP code. */
    public static final String TOTP_PENDING = "TOTP_PENDING";

    public Actor actor() {
        return new Actor("user", id, username, role);
    }

    @Override
    public Collection<? extends GrantedAuthority> getAuthorities() {
        return List.of(new SimpleGrantedAuthority(role.authority()));
    }

    @Override
    public String getPassword() {
        return passwordHash;
    }

    @Override
    public String getUsername() {
        return username;
    }

    @Override
    public boolean isAccountNonLocked() {
        return !locked;
    }

    @Override
    public boolean isEnabled() {
        return enabled;
    }

    @Override
    public String toString() {
        return "PanelUser[" + username + ", " + role + "]";
    }
}
