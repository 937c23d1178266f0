package dev.licensor.server.support;

import com.github.benmanes.caffeine.cache.CacheLoader;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.github.benmanes.caffeine.cache.LoadingCache;
import com.github.benmanes.caffeine.cache.Ticker;
import java.time.Duration;
import org.jspecify.annotations.Nullable;

/**
 * Database rows the client API reads on every call (API keys, products, blocked addresses, signing
 * keys), kept in memory and refreshed in the background (Caffeine). Once an entry is older than
 * {@code refresh}, the first caller reloads it and every other caller goes on with the value
 * there is until the new one arrives; an entry not used for {@code expire} is loaded anew, once
 * per key, by the callers that need it.
 *
 * <p>Entries that simply expired made every request in flight at that moment read the same row
 * at once: dozens of identical queries competing for the connection pool with the heartbeat
 * writer, every few seconds, which showed as latency spikes in the heartbeat benchmark
 * (docs/PERFORMANCE.md). A failed refresh keeps the old value (and is logged); a loader that
 * answers {@code null} removes the entry, so nothing unknown is cached.
 */
public final class Refreshing {
    private Refreshing() {}

    public static <K, V> LoadingCache<K, V> cache(
            Duration refresh, Duration expire, long maximumSize, CacheLoader<K, V> loader) {
        return cache(refresh, expire, maximumSize, loader, Ticker.systemTicker());
    }

    static <K, V> LoadingCache<K, V> cache(
            Duration refresh, Duration expire, long maximumSize, CacheLoader<K, V> loader, Ticker ticker) {
        return Caffeine.newBuilder()
                .refreshAfterWrite(refresh)
                .expireAfterWrite(expire)
                .maximumSize(maximumSize)
                // The caller that finds an entry due runs the reload itself (the others go on with
                // the value there is): no hand-off to a pool thread, whose wake-ups cost every call.
                .executor(Runnable::run)
                .ticker(ticker)
                .build(loader);
    }

    /** One value (a list, a snapshot) under the same policy; {@link #invalidate()} forces a reload. */
    public static final class Value<V> {
        private final LoadingCache<Boolean, V> cache;

        public Value(Duration refresh, Duration expire, Loader<V> loader) {
            this.cache = cache(refresh, expire, 1, key -> loader.load());
        }

        public V get() {
            return cache.get(Boolean.TRUE);
        }

        public void invalidate() {
            cache.invalidateAll();
        }
    }

    /** Loads the value of a {@link Value}. */
    @FunctionalInterface
    public interface Loader<V> {
        @Nullable
        V load() throws Exception;
    }
}
