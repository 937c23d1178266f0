package dev.licensor.server.testing;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.concurrent.atomic.AtomicReference;

/**
 * A clock that stands still until a test moves it, so timeouts are tested by advancing time, never
 * by sleeping (and a slow machine cannot time a session out behind a test's back). One shared
 * instance, so two server contexts of one test agree on the time.
 *
 * <p>It only moves forward, for the whole run of the suite, and the contexts on it run the log
 * maintenance, which drops heartbeat-log partitions older than the 90-day retention on the shared
 * PostgreSQL database. So move it by as little as a test needs (write past data directly instead
 * of travelling there): once all the advances add up to about two months, tests that write
 * heartbeats at the real time find their month's partition gone.
 */
public final class MutableClock extends Clock {
    public static final MutableClock SHARED =
            new MutableClock(Instant.now().truncatedTo(java.time.temporal.ChronoUnit.MILLIS));

    private final AtomicReference<Instant> now;

    public MutableClock(Instant start) {
        this.now = new AtomicReference<>(start);
    }

    public void advance(Duration duration) {
        now.updateAndGet(t -> t.plus(duration));
    }

    @Override
    public Instant instant() {
        return now.get();
    }

    @Override
    public ZoneId getZone() {
        return ZoneOffset.UTC;
    }

    @Override
    public Clock withZone(ZoneId zone) {
        return Clock.fixed(instant(), zone);
    }
}
