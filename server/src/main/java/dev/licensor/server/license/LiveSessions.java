package dev.licensor.server.license;

/** Counts the live sessions of a license, for the license views. Implemented by the session feature. */
public interface LiveSessions {
    int count(long licenseId);
}
