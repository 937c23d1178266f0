package dev.licensor.server.abuse;

import java.time.Clock;
import java.time.Duration;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Service;

/**
 * Admin-panel login protection per address, shared by all instances when Redis is configured:
 * attempts per minute ({@code licensor.rate-limit.login-per-minute}, default 5,
 * {@code LOGIN_RATE_LIMIT}), and an address that fails {@code login-failures-per-hour} logins
 * (default 20) is put on the {@link BlockedIps} list for an hour as {@code rule:login-failures}, so
 * operators see the block and can lift it. Blocked addresses may not log in at all.
 */
@Service
public class LoginRateLimiter {
    static final String RULE = "login-failures";
    private static final Logger log = LoggerFactory.getLogger(LoginRateLimiter.class);
    private static final Duration BLOCK = Duration.ofHours(1);

    private final RateLimiter limiter;
    private final BlockedIps blockedIps;
    private final Clock clock;

    LoginRateLimiter(RateLimiter limiter, BlockedIps blockedIps, Clock clock) {
        this.limiter = limiter;
        this.blockedIps = blockedIps;
        this.clock = clock;
    }

    /** The outcome of asking to try a login. */
    public enum Verdict {
        ALLOWED,
        RATE_LIMITED,
        IP_BLOCKED
    }

    /**
     * Counts one login attempt (password or second-factor code) from {@code ip} and says whether
     * to check it. A blocked address is refused without taking a token.
     */
    public Verdict attempt(String ip) {
        if (blockedIps.isBlocked(ip)) {
            return Verdict.IP_BLOCKED;
        }
        return limiter.consume(RateLimiter.Scope.LOGIN, ip).allowed() ? Verdict.ALLOWED : Verdict.RATE_LIMITED;
    }

    /** Records a failed login from {@code ip}; the one that uses up the hourly allowance blocks it. */
    public void failed(String ip) {
        RateLimiter.Decision decision = limiter.consume(RateLimiter.Scope.LOGIN_FAILURE, ip);
        boolean exhausted = decision.limit() > 0 && (!decision.allowed() || decision.remaining() == 0);
        if (!exhausted || blockedIps.isBlocked(ip) || IpRange.parse(ip).isEmpty()) {
            return;
        }
        blockedIps.blockByRule(
                ip,
                decision.limit() + " failed panel logins within an hour",
                clock.instant().plus(BLOCK),
                RULE);
        log.warn("Blocked {} for an hour after {} failed panel logins.", ip, decision.limit());
    }
}
