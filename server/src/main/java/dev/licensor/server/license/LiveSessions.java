package dev.licensor.server.license;

/** Counts live sessions, for the license views and statistics. Implemented by the session feature. */
public interface LiveSessions {
    /** Live sessions of one license. */
    int count(long licenseId);

    /**
     * A scalar SQL sub-query counting the live sessions of the license whose id is the column
     * {@code licenseId} of the enclosing query, at the instant bound to its one {@code ?}: lets a
     * query read a license and its live-session count in one statement.
     */
    String countSubquery(String licenseId);

    /** Live sessions of all licenses. */
    long total();
}
