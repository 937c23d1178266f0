package dev.licensor.server.security;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import org.junit.jupiter.api.Test;

class LoginThrottleTest {
    private final MutableClock clock = new MutableClock(Instant.parse("2026-11-23T12:00:00Z"));
    private final LoginThrottle throttle = new LoginThrottle(new AdminProperties(5, 15, 30, 5, 20, 7), clock);

    @Test
    void allowsFiveAttemptsPerMinutePerAddress() {
        for (int i = 0; i < 5; i++) {
            assertThat(throttle.tryAttempt("10.0.0.1")).isEqualTo(LoginThrottle.Decision.ALLOWED);
        }
        assertThat(throttle.tryAttempt("10.0.0.1")).isEqualTo(LoginThrottle.Decision.RATE_LIMITED);
        assertThat(throttle.tryAttempt("10.0.0.2")).isEqualTo(LoginThrottle.Decision.ALLOWED);
        clock.advance(Duration.ofSeconds(61));
        assertThat(throttle.tryAttempt("10.0.0.1")).isEqualTo(LoginThrottle.Decision.ALLOWED);
    }

    @Test
    void blocksAnAddressForAnHourAfterTwentyFailures() {
        for (int i = 0; i < 19; i++) {
            throttle.failed("10.0.0.9");
            clock.advance(Duration.ofMinutes(2));
        }
        assertThat(throttle.tryAttempt("10.0.0.9")).isEqualTo(LoginThrottle.Decision.ALLOWED);
        throttle.failed("10.0.0.9");
        assertThat(throttle.tryAttempt("10.0.0.9")).isEqualTo(LoginThrottle.Decision.IP_BLOCKED);
        // Blocked for an hour after the last failure.
        clock.advance(Duration.ofMinutes(59));
        assertThat(throttle.tryAttempt("10.0.0.9")).isEqualTo(LoginThrottle.Decision.IP_BLOCKED);
        clock.advance(Duration.ofMinutes(2));
        assertThat(throttle.tryAttempt("10.0.0.9")).isEqualTo(LoginThrottle.Decision.ALLOWED);
    }

    private static final class MutableClock extends Clock {
        private Instant now;

        MutableClock(Instant now) {
            this.now = now;
        }

        void advance(Duration d) {
            now = now.plus(d);
        }

        @Override
        public ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(ZoneId zone) {
            return this;
        }

        @Override
        public Instant instant() {
            return now;
        }
    }
}
