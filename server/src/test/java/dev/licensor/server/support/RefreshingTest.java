package dev.licensor.server.support;

import static org.assertj.core.api.Assertions.assertThat;

import com.github.benmanes.caffeine.cache.LoadingCache;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

class RefreshingTest {
    private static final Duration REFRESH = Duration.ofSeconds(5);

    private final AtomicLong nanos = new AtomicLong();
    private final AtomicInteger loads = new AtomicInteger();

    private void advance(Duration by) {
        nanos.addAndGet(by.toNanos());
    }

    @Test
    void aDueEntryIsReloadedOnceWhileEveryOtherCallerGoesOnWithTheValueThereIs() throws Exception {
        CountDownLatch reloading = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        LoadingCache<String, String> cache = Refreshing.cache(
                REFRESH,
                REFRESH.multipliedBy(2),
                10,
                key -> {
                    int n = loads.incrementAndGet();
                    if (n == 2) {
                        reloading.countDown();
                        assertThat(release.await(10, TimeUnit.SECONDS)).isTrue();
                    }
                    return key + "-v" + n;
                },
                nanos::get);
        assertThat(cache.get("key")).isEqualTo("key-v1");
        advance(REFRESH.plusSeconds(1));

        // The first caller to find the entry due reloads it (and is held up here, inside the load).
        ExecutorService callers = Executors.newFixedThreadPool(21);
        CompletableFuture<String> first = CompletableFuture.supplyAsync(() -> cache.get("key"), callers);
        assertThat(reloading.await(10, TimeUnit.SECONDS)).isTrue();
        // Everyone else meanwhile: the old value at once, and no load of their own.
        // (A cache that made them wait for the reload would time out here.)
        List<CompletableFuture<String>> others = IntStream.range(0, 20)
                .mapToObj(i -> CompletableFuture.supplyAsync(() -> cache.get("key"), callers))
                .toList();
        for (CompletableFuture<String> other : others) {
            assertThat(other.get(5, TimeUnit.SECONDS)).isEqualTo("key-v1");
        }
        assertThat(loads).hasValue(2);

        release.countDown();
        assertThat(first.get(10, TimeUnit.SECONDS)).isEqualTo("key-v2"); // the one that reloaded
        assertThat(cache.get("key")).isEqualTo("key-v2");
        assertThat(loads).hasValue(2);
        callers.shutdown();
    }

    @Test
    void whatTheLoaderDoesNotFindIsNotCached() {
        LoadingCache<String, String> cache = Refreshing.cache(
                REFRESH,
                REFRESH.multipliedBy(2),
                10,
                key -> {
                    loads.incrementAndGet();
                    return null;
                },
                nanos::get);

        assertThat(cache.get("unknown")).isNull();
        assertThat(cache.get("unknown")).isNull();

        assertThat(loads).hasValue(2);
        assertThat(cache.estimatedSize()).isZero();
    }

    @Test
    void anEntryUnusedPastItsExpiryIsLoadedAgainBeforeItIsAnswered() {
        LoadingCache<String, String> cache = Refreshing.cache(
                REFRESH, REFRESH.multipliedBy(2), 10, key -> key + "-v" + loads.incrementAndGet(), nanos::get);
        assertThat(cache.get("key")).isEqualTo("key-v1");

        advance(REFRESH.multipliedBy(2).plusSeconds(1));

        assertThat(cache.get("key")).isEqualTo("key-v2");
    }

    @Test
    void aFailedReloadKeepsTheValueThereIs() {
        LoadingCache<String, String> cache = Refreshing.cache(
                REFRESH,
                REFRESH.multipliedBy(2),
                10,
                key -> {
                    if (loads.incrementAndGet() == 2) {
                        throw new IllegalStateException("database unreachable");
                    }
                    return key + "-v" + loads.get();
                },
                nanos::get);
        assertThat(cache.get("key")).isEqualTo("key-v1");
        advance(REFRESH.plusSeconds(1));

        assertThat(cache.get("key")).isEqualTo("key-v1"); // its reload failed
        assertThat(cache.get("key")).isEqualTo("key-v3"); // the next caller tries again
    }

    @Test
    void aValueIsReadAgainAfterItIsInvalidated() {
        Refreshing.Value<Integer> value =
                new Refreshing.Value<>(REFRESH, REFRESH.multipliedBy(2), loads::incrementAndGet);
        assertThat(value.get()).isEqualTo(1);
        assertThat(value.get()).isEqualTo(1);

        value.invalidate();

        assertThat(value.get()).isEqualTo(2);
    }
}
