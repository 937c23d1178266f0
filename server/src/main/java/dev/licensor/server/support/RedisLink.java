package dev.licensor.server.support;

import io.lettuce.core.ClientOptions;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisURI;
import io.lettuce.core.SocketOptions;
import io.lettuce.core.TimeoutOptions;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.codec.ByteArrayCodec;
import io.lettuce.core.codec.RedisCodec;
import io.lettuce.core.codec.StringCodec;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import jakarta.annotation.PreDestroy;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;

/**
 * The shared Redis connection ({@code licensor.redis.enabled=true}, URL from
 * {@code spring.data.redis.url}, i.e. {@code REDIS_URL}) used for rate-limit buckets. Commands time out after {@code licensor.redis.timeout-ms} and fail at once while the
 * connection is down, so a request never hangs on Redis. Users report failures with
 * {@link #failed}; the link is then unavailable (logged once, counted in
 * {@code licensor_ratelimit_redis_fallbacks_total}, gauge {@code licensor_ratelimit_redis_available}
 * = 0) and callers use their local fallback until a periodic probe finds Redis again.
 */
@Component
public class RedisLink {
    private static final Logger log = LoggerFactory.getLogger(RedisLink.class);

    private final boolean enabled;
    private final AtomicBoolean available = new AtomicBoolean();
    private final @Nullable RedisClient client;
    private final @Nullable Counter fallbacks;
    private volatile @Nullable StatefulRedisConnection<String, byte[]> connection;

    RedisLink(
            @Value("${licensor.redis.enabled:false}") boolean enabled,
            @Value("${spring.data.redis.url:redis://127.0.0.1:6379}") String url,
            @Value("${licensor.redis.timeout-ms:500}") long timeoutMillis,
            MeterRegistry meters) {
        this.enabled = enabled;
        if (!enabled) {
            this.client = null;
            this.fallbacks = null;
            return;
        }
        Duration timeout = Duration.ofMillis(timeoutMillis);
        RedisURI uri = RedisURI.create(url);
        uri.setTimeout(timeout);
        RedisClient redis = RedisClient.create(uri);
        redis.setOptions(ClientOptions.builder()
                .autoReconnect(true)
                .disconnectedBehavior(ClientOptions.DisconnectedBehavior.REJECT_COMMANDS)
                .socketOptions(SocketOptions.builder().connectTimeout(timeout).build())
                .timeoutOptions(TimeoutOptions.enabled(timeout))
                .build());
        this.client = redis;
        this.fallbacks = Counter.builder("licensor.ratelimit.redis.fallbacks")
                .description("Times Redis became unreachable and local rate-limit buckets took over")
                .register(meters);
        Gauge.builder("licensor.ratelimit.redis.available", available, a -> a.get() ? 1 : 0)
                .description("1 while rate limits are kept in Redis, 0 while falling back to local buckets")
                .register(meters);
        probe();
    }

    /** Whether Redis is configured at all. */
    public boolean enabled() {
        return enabled;
    }

    /** Whether Redis answered the last command or probe. */
    public boolean available() {
        return available.get();
    }

    /** The connection while Redis is configured and reachable; empty means: use the local fallback. */
    public Optional<StatefulRedisConnection<String, byte[]>> connection() {
        StatefulRedisConnection<String, byte[]> current = connection;
        return enabled && available.get() && current != null ? Optional.of(current) : Optional.empty();
    }

    /** Reports a failed command: Redis is treated as gone until the next successful probe. */
    public void failed(Exception e) {
        if (available.compareAndSet(true, false)) {
            log.warn(
                    "Redis is unreachable ({}): rate limits fall back to local buckets until it is back.",
                    e.toString());
            if (fallbacks != null) {
                fallbacks.increment();
            }
        }
    }

    /** Checks Redis (every {@code licensor.redis.probe-interval-ms}) and returns to it when it is back. */
    @Scheduled(fixedDelayString = "${licensor.redis.probe-interval-ms:2000}")
    public void probe() {
        if (!enabled || client == null) {
            return;
        }
        try {
            StatefulRedisConnection<String, byte[]> current = connection;
            if (current == null) {
                current = client.connect(RedisCodec.of(StringCodec.UTF8, ByteArrayCodec.INSTANCE));
                connection = current;
            }
            current.sync().ping();
            if (available.compareAndSet(false, true)) {
                log.info("Redis is reachable: rate limits are shared through it.");
            }
        } catch (RuntimeException e) {
            if (available.get()) {
                failed(e);
            } else if (fallbacks != null && fallbacks.count() == 0) {
                fallbacks.increment();
                log.warn(
                        "Redis is unreachable at start-up ({}): using local rate-limit buckets until it is reachable.",
                        e.toString());
            }
        }
    }

    @PreDestroy
    void close() {
        StatefulRedisConnection<String, byte[]> current = connection;
        if (current != null) {
            current.close();
        }
        if (client != null) {
            client.shutdown(Duration.ZERO, Duration.ofSeconds(1));
        }
    }
}
