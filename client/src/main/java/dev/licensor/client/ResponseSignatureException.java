package dev.licensor.client;

import org.jspecify.annotations.Nullable;

/**
 * An answer arrived but its signature could not be verified against the pinned keys: it is
 * unsigned, signed by an unknown key, or its signature does not match (tampered body, or an answer
 * captured for another request). The answer is discarded unread. Treated as transient, since a
 * captive portal or a misbehaving proxy causes the same.
 */
public class ResponseSignatureException extends LicensorException {
    private static final long serialVersionUID = 1L;

    ResponseSignatureException(Problem problem, @Nullable Throwable cause) {
        super(problem, cause);
    }

    @Override
    public boolean isTransient() {
        return true;
    }
}
