package dev.licensor.server.license;

/** Counts live sessions, for the license views and statistics. Implemented by the session feature. */
public interface LiveSessions {
    /** Live sessions of one license. */
    int count(long licenseId);

    /** Live sessions of all licenses. */
    long total();
}
