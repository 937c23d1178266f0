package dev.licensor.server.security;

/** Admin roles, from most to least powerful. */
public enum Role {
    /** Everything, including users, products, API keys, settings and force-terminating sessions. */
    ADMIN,
    /** Customers, licenses and devices; reads the rest. */
    SUPPORT,
    /** Reads everything, changes nothing. */
    VIEWER;

    public String authority() {
        return "ROLE_" + name();
    }
}
