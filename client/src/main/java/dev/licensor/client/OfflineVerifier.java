package dev.licensor.client;

import dev.licensor.protocol.ResponseSigning;
import java.io.UncheckedIOException;
import java.lang.System.Logger.Level;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.PublicKey;
import java.security.Signature;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;

/**
 * Decides whether the program may run without reaching the server, from the token in an {@link
 * OfflineTokenStore}: the signature must verify against a pinned key, {@code hw} must equal this
 * machine's hardware hash, {@code exp} must not have passed, and the clock must not have moved
 * backwards — neither before the latest time a successful check saw (persisted beside the token)
 * nor before the token's issue time, each by more than the tolerance.
 */
public final class OfflineVerifier {
    /** The default allowance for clock adjustments and skew between client and server. */
    public static final Duration DEFAULT_TOLERANCE = Duration.ofMinutes(5);

    private static final System.Logger LOG = System.getLogger(OfflineVerifier.class.getName());

    private final Map<String, PublicKey> keys;
    private final OfflineTokenStore store;
    private final Clock clock;
    private final Duration tolerance;

    /**
     * A verifier.
     *
     * @param keys the pinned Ed25519 keys by key id (the same as for response signatures)
     * @param store where the token and the last-seen time are kept
     * @param clock the clock to check against
     * @param tolerance how far the clock may go back before it counts as moved backwards
     */
    public OfflineVerifier(Map<String, PublicKey> keys, OfflineTokenStore store, Clock clock, Duration tolerance) {
        this.keys = Map.copyOf(keys);
        this.store = store;
        this.clock = clock;
        this.tolerance = tolerance;
    }

    /**
     * A verifier with the system clock and the default tolerance.
     *
     * @param keys the pinned Ed25519 keys by key id
     * @param store where the token and the last-seen time are kept
     */
    public OfflineVerifier(Map<String, PublicKey> keys, OfflineTokenStore store) {
        this(keys, store, Clock.systemUTC(), DEFAULT_TOLERANCE);
    }

    /**
     * Checks the saved token for this machine.
     *
     * @param hardwareHash this machine's hardware hash ({@link Fingerprint#hardwareHash()})
     * @return {@link OfflineCheck.Valid} or {@link OfflineCheck.Invalid} with the reason
     */
    public OfflineCheck check(String hardwareHash) {
        Optional<String> token;
        try {
            token = store.load();
        } catch (UncheckedIOException e) {
            return invalid(OfflineCheck.Reason.NO_TOKEN, "cannot read " + store.tokenFile() + ": " + e.getMessage());
        }
        return token.map(t -> check(t, hardwareHash))
                .orElseGet(() -> invalid(OfflineCheck.Reason.NO_TOKEN, "no offline token saved"));
    }

    /**
     * Checks a given token for this machine; the last-seen time still comes from the store, and
     * a successful check advances it.
     *
     * @param compact the token
     * @param hardwareHash this machine's hardware hash
     * @return {@link OfflineCheck.Valid} or {@link OfflineCheck.Invalid} with the reason
     */
    public OfflineCheck check(String compact, String hardwareHash) {
        OfflineToken token;
        try {
            token = OfflineToken.decode(compact);
        } catch (IllegalArgumentException e) {
            return invalid(OfflineCheck.Reason.MALFORMED, String.valueOf(e.getMessage()));
        }
        PublicKey key = keys.get(token.keyId());
        if (key == null) {
            return invalid(OfflineCheck.Reason.UNKNOWN_KEY, "signed by unknown key " + token.keyId());
        }
        if (!signatureMatches(key, token)) {
            return invalid(OfflineCheck.Reason.BAD_SIGNATURE, "the token's signature does not match");
        }
        if (!token.hardwareHash().equalsIgnoreCase(hardwareHash)) {
            return invalid(OfflineCheck.Reason.WRONG_HARDWARE, "the token was issued for another machine");
        }
        Instant now = clock.instant();
        Instant lastSeen = store.lastSeen().orElse(Instant.MIN);
        if (now.plus(tolerance).isBefore(lastSeen)) {
            return invalid(
                    OfflineCheck.Reason.CLOCK_MOVED_BACKWARDS,
                    "the clock reads " + now + ", but " + lastSeen + " was seen");
        }
        if (now.plus(tolerance).isBefore(token.issuedAt())) {
            return invalid(
                    OfflineCheck.Reason.CLOCK_MOVED_BACKWARDS,
                    "the clock reads " + now + ", before the token's issue time " + token.issuedAt());
        }
        if (!now.isBefore(token.expiresAt())) {
            return invalid(OfflineCheck.Reason.EXPIRED, "the token expired at " + token.expiresAt());
        }
        try {
            store.recordSeen(now);
        } catch (UncheckedIOException e) {
            LOG.log(Level.WARNING, "cannot record the last-seen time in " + store.lastSeenFile(), e);
        }
        return new OfflineCheck.Valid(token);
    }

    private static boolean signatureMatches(PublicKey key, OfflineToken token) {
        try {
            Signature verifier = Signature.getInstance(ResponseSigning.JCA_ALGORITHM);
            verifier.initVerify(key);
            verifier.update(token.signingInput().getBytes(StandardCharsets.US_ASCII));
            return verifier.verify(token.signature());
        } catch (GeneralSecurityException | IllegalArgumentException e) {
            return false;
        }
    }

    private static OfflineCheck invalid(OfflineCheck.Reason reason, String message) {
        return new OfflineCheck.Invalid(reason, message);
    }
}
