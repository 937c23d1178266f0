package dev.licensor.server.abuse;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import dev.licensor.protocol.ErrorCode;
import dev.licensor.server.support.RedisLink;
import dev.licensor.server.web.ApiException;
import io.github.bucket4j.Bucket;
import io.github.bucket4j.BucketConfiguration;
import io.github.bucket4j.ConsumptionProbe;
import io.github.bucket4j.distributed.ExpirationAfterWriteStrategy;
import io.github.bucket4j.distributed.proxy.ProxyManager;
import io.github.bucket4j.distributed.proxy.optimization.Optimizations;
import io.github.bucket4j.redis.lettuce.Bucket4jLettuce;
import io.lettuce.core.api.StatefulRedisConnection;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Clock;
import java.time.Duration;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import org.jspecify.annotations.Nullable;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Service;

/**
 * Token buckets (Bucket4j, greedy refill). In Redis when it is configured and reachable, so all
 * instances share one bucket per key; in local memory otherwise, and whenever a Redis command
 * fails (the {@link RedisLink} then reports the fallback and probes until Redis is back).
 *
 * <p>A Redis bucket is updated by compare-and-swap (a read, then a script that writes only if
 * nothing changed meanwhile). A key that many requests take from at once, such as a product's API
 * key or a busy address, would make them retry each other's swaps; so each instance keeps the
 * bucket proxies of recently used keys with Bucket4j's batching, which sends the requests that
 * arrive while one swap is in flight as one swap after it.
 */
@Service
public class RateLimiter {
    /** What a bucket counts. */
    public enum Scope {
        LICENSE,
        IP,
        API_KEY,
        LOGIN,
        LOGIN_FAILURE
    }

    /** The outcome of taking one token. */
    public record Decision(boolean allowed, long limit, long remaining, long retryAfterSeconds, long resetEpochSecond) {
        /** The {@code 429 RATE_LIMITED} answer, with {@code Retry-After} and {@code X-RateLimit-*}. */
        public ApiException refusal() {
            return ApiException.of(ErrorCode.RATE_LIMITED)
                    .header("Retry-After", Long.toString(retryAfterSeconds))
                    .header("X-RateLimit-Limit", Long.toString(limit))
                    .header("X-RateLimit-Remaining", Long.toString(remaining))
                    .header("X-RateLimit-Reset", Long.toString(resetEpochSecond));
        }
    }

    private record Limit(long capacity, Duration period) {}

    private record LocalBucket(Bucket bucket, long capacity) {}

    private final RateLimitProperties properties;
    private final RedisLink redis;
    private final Clock clock;
    private final MeterRegistry meters;
    private final Map<String, LocalBucket> local = new ConcurrentHashMap<>();
    private volatile @Nullable Shared shared;

    private record Shared(
            StatefulRedisConnection<String, byte[]> connection,
            ProxyManager<String> proxy,
            Cache<String, Bucket> buckets) {

        Bucket bucket(String id, Limit limit) {
            return buckets.get(id, key -> proxy.builder()
                    .withOptimization(Optimizations.batching())
                    .build(key, () -> configuration(limit)));
        }
    }

    RateLimiter(RateLimitProperties properties, RedisLink redis, Clock clock, MeterRegistry meters) {
        this.properties = properties;
        this.redis = redis;
        this.clock = clock;
        this.meters = meters;
        // Every scope's counter exists from the start, so alert expressions over it have a series.
        for (Scope scope : Scope.values()) {
            meters.counter("licensor.ratelimit.hits", "scope", scope.name().toLowerCase(Locale.ROOT));
        }
    }

    /**
     * Whether buckets are taken from Redis now (round trips: a read and a compare-and-swap each)
     * rather than from local memory.
     */
    public boolean shared() {
        return properties.enabled() && redis.connection().isPresent();
    }

    /** Takes one token from the bucket of {@code key} in {@code scope}. */
    public Decision consume(Scope scope, String key) {
        Limit limit = limit(scope);
        if (!properties.enabled() || limit.capacity() <= 0) {
            return new Decision(true, 0, 0, 0, 0);
        }
        String id = "licensor:rl:" + scope.name().toLowerCase(Locale.ROOT) + ":" + key;
        ConsumptionProbe probe = null;
        Optional<StatefulRedisConnection<String, byte[]>> connection = redis.connection();
        if (connection.isPresent()) {
            try {
                probe = remote(connection.get()).bucket(id, limit).tryConsumeAndReturnRemaining(1);
            } catch (RuntimeException e) {
                redis.failed(e);
            }
        }
        if (probe == null) {
            probe = local.computeIfAbsent(
                            id,
                            k -> new LocalBucket(
                                    Bucket.builder()
                                            .addLimit(b -> b.capacity(limit.capacity())
                                                    .refillGreedy(limit.capacity(), limit.period()))
                                            .build(),
                                    limit.capacity()))
                    .bucket()
                    .tryConsumeAndReturnRemaining(1);
        }
        long now = clock.instant().getEpochSecond();
        if (probe.isConsumed()) {
            long reset = now + ceilSeconds(probe.getNanosToWaitForReset());
            return new Decision(true, limit.capacity(), probe.getRemainingTokens(), 0, reset);
        }
        meters.counter("licensor.ratelimit.hits", "scope", scope.name().toLowerCase(Locale.ROOT))
                .increment();
        long retryAfter = Math.max(1, ceilSeconds(probe.getNanosToWaitForRefill()));
        return new Decision(false, limit.capacity(), 0, retryAfter, now + retryAfter);
    }

    /**
     * Forgets the local buckets that are full again, so idle keys do not hold memory. A bucket takes
     * about 480 bytes; every 5 s, so that with 100 000 programs heartbeating every 30 s (a license
     * and an address bucket each) the map holds those of the last few seconds, not of the last
     * minute (about 96 MB at 100 000 clients once a minute, about 25 MB every 5 s).
     */
    @Scheduled(fixedDelay = 5_000)
    void evictFullBuckets() {
        local.entrySet()
                .removeIf(e -> e.getValue().bucket().getAvailableTokens()
                        >= e.getValue().capacity());
    }

    /** How many local buckets exist (tests). */
    int localBuckets() {
        return local.size();
    }

    /** Empties the local buckets (tests). */
    void clearLocal() {
        local.clear();
    }

    private Limit limit(Scope scope) {
        return switch (scope) {
            case LICENSE -> new Limit(properties.licensePerMinute(), Duration.ofMinutes(1));
            case IP -> new Limit(properties.ipPerHour(), Duration.ofHours(1));
            case API_KEY -> new Limit(properties.apiKeyPerMinute(), Duration.ofMinutes(1));
            case LOGIN -> new Limit(properties.loginPerMinute(), Duration.ofMinutes(1));
            case LOGIN_FAILURE -> new Limit(properties.loginFailuresPerHour(), Duration.ofHours(1));
        };
    }

    private static BucketConfiguration configuration(Limit limit) {
        return BucketConfiguration.builder()
                .addLimit(b -> b.capacity(limit.capacity()).refillGreedy(limit.capacity(), limit.period()))
                .build();
    }

    private Shared remote(StatefulRedisConnection<String, byte[]> connection) {
        Shared current = shared;
        if (current == null || current.connection() != connection) {
            ProxyManager<String> proxy = Bucket4jLettuce.casBasedBuilder(connection)
                    .expirationAfterWrite(
                            ExpirationAfterWriteStrategy.basedOnTimeForRefillingBucketUpToMax(Duration.ofSeconds(10)))
                    .build();
            // A proxy holds no tokens, only the batch in flight: an idle key's is dropped after 10 s.
            Cache<String, Bucket> buckets = Caffeine.newBuilder()
                    .expireAfterAccess(Duration.ofSeconds(10))
                    .maximumSize(10_000)
                    .build();
            current = new Shared(connection, proxy, buckets);
            shared = current;
        }
        return current;
    }

    private static long ceilSeconds(long nanos) {
        return (nanos + 999_999_999L) / 1_000_000_000L;
    }
}
