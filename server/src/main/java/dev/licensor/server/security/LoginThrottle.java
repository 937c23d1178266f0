package dev.licensor.server.security;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.springframework.stereotype.Component;

/**
 * Limits panel logins per IP address, in memory on each instance: at most
 * {@code licensor.admin.login-rate-limit} attempts (password or TOTP submissions) per minute, and
 * an address with {@code licensor.admin.ip-block-after-failures} failed attempts within an hour may
 * not log in at all for an hour after the last of them. This is the one place the trust layer
 * replaces with its shared limiter and blocked-IP list.
 */
@Component
public class LoginThrottle {
    private static final Duration WINDOW = Duration.ofMinutes(1);
    private static final Duration FAILURE_WINDOW = Duration.ofHours(1);
    private static final int MAX_TRACKED = 100_000;

    private final AdminProperties properties;
    private final Clock clock;
    private final Map<String, Window> attempts = new ConcurrentHashMap<>();
    private final Map<String, Window> failures = new ConcurrentHashMap<>();

    LoginThrottle(AdminProperties properties, Clock clock) {
        this.properties = properties;
        this.clock = clock;
    }

    /** The outcome of asking to try a login. */
    public enum Decision {
        ALLOWED,
        RATE_LIMITED,
        IP_BLOCKED
    }

    /** Counts one attempt from {@code ip}; says whether it may go ahead. */
    public Decision tryAttempt(String ip) {
        Instant now = clock.instant();
        prune(now);
        Window failed = failures.get(ip);
        if (failed != null
                && failed.count >= properties.ipBlockAfterFailures()
                && now.isBefore(failed.last.plus(FAILURE_WINDOW))) {
            return Decision.IP_BLOCKED;
        }
        Window window = attempts.compute(
                ip,
                (k, w) -> w == null || !now.isBefore(w.start.plus(WINDOW))
                        ? new Window(now, now, 1)
                        : new Window(w.start, now, w.count + 1));
        return window.count > properties.loginRateLimit() ? Decision.RATE_LIMITED : Decision.ALLOWED;
    }

    /** Records a failed attempt (wrong password or code) from {@code ip}. */
    public void failed(String ip) {
        Instant now = clock.instant();
        failures.compute(
                ip,
                (k, w) -> w == null || !now.isBefore(w.start.plus(FAILURE_WINDOW))
                        ? new Window(now, now, 1)
                        : new Window(w.start, now, w.count + 1));
    }

    private void prune(Instant now) {
        if (attempts.size() > MAX_TRACKED) {
            attempts.values().removeIf(w -> !now.isBefore(w.start.plus(WINDOW)));
        }
        if (failures.size() > MAX_TRACKED) {
            failures.values().removeIf(w -> !now.isBefore(w.last.plus(FAILURE_WINDOW)));
        }
    }

    private record Window(Instant start, Instant last, int count) {}
}
