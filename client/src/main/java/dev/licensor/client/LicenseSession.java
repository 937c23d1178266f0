package dev.licensor.client;

import java.lang.System.Logger.Level;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import org.jspecify.annotations.Nullable;

/**
 * A running session: one copy of the program holding one of the license's concurrent seats. It
 * sends heartbeats on its own, on one daemon thread, at the interval the server asked for; retries
 * failed heartbeats with backoff while the server would still consider the session live; tells
 * the {@link SessionListener} when the session is lost and why; and ends the session on {@link
 * #close()} or, if the program exits without closing it, at JVM shutdown.
 *
 * <p>Use it in try-with-resources, or close it when the program quits.
 */
public final class LicenseSession implements AutoCloseable {
    private static final System.Logger LOG = System.getLogger(LicenseSession.class.getName());
    private static final Duration FIRST_RETRY = Duration.ofSeconds(1);
    private static final Duration MIN_DELAY = Duration.ofMillis(100);

    private enum State {
        ACTIVE,
        LOST,
        CLOSED
    }

    private final LicensorClient client;
    private final String licenseKey;
    private final SessionStartResponse start;
    private final SessionListener listener;
    private final ScheduledExecutorService scheduler;
    private final Thread shutdownHook;
    private final Object lock = new Object();

    // Guarded by lock.
    private State state = State.ACTIVE;
    private @Nullable ScheduledFuture<?> next;
    private @Nullable SessionLoss loss;

    // Only touched by the heartbeat thread. Deadlines use nanoTime so a wall-clock change does
    // not make the session time out early or late.
    private long lastSuccessNanos;
    private int failures;

    private LicenseSession(
            LicensorClient client, String licenseKey, SessionStartResponse start, SessionListener listener) {
        this.client = client;
        this.licenseKey = licenseKey;
        this.start = start;
        this.listener = listener;
        this.lastSuccessNanos = System.nanoTime();
        this.scheduler = Executors.newSingleThreadScheduledExecutor(runnable -> {
            Thread thread = new Thread(runnable, "licensor-heartbeat");
            thread.setDaemon(true);
            return thread;
        });
        this.shutdownHook = new Thread(this::endAtShutdown, "licensor-session-end");
    }

    static LicenseSession begin(
            LicensorClient client, String licenseKey, SessionStartResponse start, SessionListener listener) {
        LicenseSession session = new LicenseSession(client, licenseKey, start, listener);
        try {
            Runtime.getRuntime().addShutdownHook(session.shutdownHook);
        } catch (IllegalStateException e) {
            // The JVM is already shutting down; the session is closed by whoever started it.
        }
        session.schedule(start.heartbeatInterval());
        return session;
    }

    /**
     * The server's answer to the session start: token, intervals, license, version information.
     *
     * @return the start answer
     */
    public SessionStartResponse startResponse() {
        return start;
    }

    /**
     * The session token.
     *
     * @return the token
     */
    public String token() {
        return start.sessionToken();
    }

    /**
     * Whether the session is still alive: neither lost nor closed.
     *
     * @return true while heartbeats continue
     */
    public boolean isActive() {
        synchronized (lock) {
            return state == State.ACTIVE;
        }
    }

    /**
     * Why the session was lost.
     *
     * @return the loss, or empty while active or after a normal close
     */
    public Optional<SessionLoss> loss() {
        synchronized (lock) {
            return Optional.ofNullable(loss);
        }
    }

    /**
     * Stops heartbeats and ends the session on the server (best effort: a failure is logged, not
     * thrown). Idempotent. Removes the shutdown hook.
     */
    @Override
    public void close() {
        if (stop()) {
            try {
                Runtime.getRuntime().removeShutdownHook(shutdownHook);
            } catch (IllegalStateException e) {
                // Called during shutdown: the hook is running or about to, and will find us closed.
            }
        }
    }

    /** Returns whether this call did the closing. */
    private boolean stop() {
        boolean endOnServer;
        synchronized (lock) {
            if (state == State.CLOSED) {
                return false;
            }
            // After the server ended the session or refused the license there is nothing to end.
            endOnServer = state == State.ACTIVE
                    || loss instanceof SessionLoss.TimedOut
                    || loss instanceof SessionLoss.Rejected;
            state = State.CLOSED;
            if (next != null) {
                next.cancel(false);
            }
        }
        scheduler.shutdownNow();
        if (endOnServer) {
            try {
                client.sessionEnd(start.sessionToken());
            } catch (LicensorException e) {
                LOG.log(Level.DEBUG, "could not end session: " + e.getMessage());
            }
        }
        return true;
    }

    private void endAtShutdown() {
        stop();
    }

    private void schedule(Duration delay) {
        synchronized (lock) {
            if (state != State.ACTIVE) {
                return;
            }
            long millis = Math.max(delay.toMillis(), MIN_DELAY.toMillis());
            next = scheduler.schedule(this::beat, millis, TimeUnit.MILLISECONDS);
        }
    }

    private void beat() {
        if (!isActive()) {
            return;
        }
        HeartbeatResponse response;
        try {
            response = client.heartbeat(start.sessionToken(), licenseKey);
        } catch (SessionEndedException e) {
            lose(new SessionLoss.Ended(e.endReason().orElse(EndReason.UNKNOWN), e));
            return;
        } catch (LicenseStateException e) {
            lose(new SessionLoss.LicenseUnusable(e));
            return;
        } catch (UpdateRequiredException e) {
            lose(new SessionLoss.UpdateRequired(e));
            return;
        } catch (LicensorException e) {
            if (e.isTransient()) {
                retry(e);
            } else {
                lose(new SessionLoss.Rejected(e));
            }
            return;
        } catch (RuntimeException e) {
            // An unexpected bug must not silently stop the heartbeats: count it as a failure.
            retry(new InvalidResponseException("heartbeat failed unexpectedly: " + e, e));
            return;
        }
        lastSuccessNanos = System.nanoTime();
        failures = 0;
        notify(() -> listener.heartbeatSucceeded(response));
        Duration next = response.nextHeartbeatIn();
        schedule(next != null && !next.isNegative() && !next.isZero() ? next : start.heartbeatInterval());
    }

    /**
     * Retries with exponential backoff from 1 s up to the heartbeat interval (or the server's
     * Retry-After), as long as the session timeout since the last accepted heartbeat has not run
     * out; after that the server has ended the session anyway.
     */
    private void retry(LicensorException failure) {
        if (!isActive()) {
            return;
        }
        failures++;
        Duration offline = Duration.ofNanos(System.nanoTime() - lastSuccessNanos);
        Duration remaining = start.sessionTimeout().minus(offline);
        if (remaining.isNegative() || remaining.isZero()) {
            lose(new SessionLoss.TimedOut(offline, failure));
            return;
        }
        Duration backoff = FIRST_RETRY.multipliedBy(1L << Math.min(failures - 1, 16));
        if (backoff.compareTo(start.heartbeatInterval()) > 0) {
            backoff = start.heartbeatInterval();
        }
        Duration retryAfter = failure.retryAfter().orElse(Duration.ZERO);
        if (retryAfter.compareTo(backoff) > 0) {
            backoff = retryAfter;
        }
        if (backoff.compareTo(remaining) > 0) {
            backoff = remaining;
        }
        int attempt = failures;
        notify(() -> listener.heartbeatFailed(failure, attempt, remaining));
        schedule(backoff);
    }

    private void lose(SessionLoss why) {
        synchronized (lock) {
            if (state != State.ACTIVE) {
                return;
            }
            state = State.LOST;
            loss = why;
        }
        scheduler.shutdown();
        notify(() -> listener.sessionLost(why));
    }

    private void notify(Runnable call) {
        try {
            call.run();
        } catch (RuntimeException e) {
            LOG.log(Level.WARNING, "session listener failed", e);
        }
    }
}
