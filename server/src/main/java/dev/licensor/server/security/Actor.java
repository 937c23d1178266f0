package dev.licensor.server.security;

import org.springframework.security.core.Authentication;
import org.springframework.security.core.context.SecurityContextHolder;

/**
 * Who is acting: an admin token ({@code token:<name>}), a panel user ({@code user:<name>}) or the
 * system itself. Recorded in the audit log with every change.
 */
public record Actor(String kind, long id, String name, Role role) {
    public static final Actor SYSTEM = new Actor("system", 0, "system", Role.ADMIN);

    /** The label stored in the audit log. */
    public String label() {
        return kind.equals("system") ? "system" : kind + ":" + name;
    }

    /** A stable key for per-actor state such as idempotency keys. */
    public String key() {
        return kind + ":" + id;
    }

    /** The actor of the current request, or {@link #SYSTEM} outside one. */
    public static Actor current() {
        Authentication auth = SecurityContextHolder.getContext().getAuthentication();
        if (auth != null && auth.getPrincipal() instanceof Actor actor) {
            return actor;
        }
        if (auth != null && auth.getPrincipal() instanceof PanelUser user) {
            return user.actor();
        }
        return SYSTEM;
    }
}
