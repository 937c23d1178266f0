package dev.licensor.server.license;

import static org.assertj.core.api.Assertions.assertThat;

import dev.licensor.server.testing.AbstractIT;
import dev.licensor.server.testing.Http;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.RepeatedTest;

/**
 * Many clients activate different devices on one license at the same moment: the license row
 * lock lets exactly {@code device_limit} of them in, on H2 and on PostgreSQL.
 */
class ActivationRaceIT extends AbstractIT {
    private static final int THREADS = 24;
    private static final int LIMIT = 3;

    @RepeatedTest(3)
    void activationsNeverExceedTheDeviceLimit() throws Exception {
        TestProduct product = product();
        String key = licenseKey(product, Map.of("device_limit", LIMIT));
        CountDownLatch start = new CountDownLatch(1);
        List<Future<Http.Response>> results = new ArrayList<>();
        try (ExecutorService pool = Executors.newFixedThreadPool(THREADS)) {
            for (int i = 0; i < THREADS; i++) {
                String hardwareHash = "racer-" + i;
                results.add(pool.submit(() -> {
                    start.await();
                    return activate(product, key, hardwareHash);
                }));
            }
            start.countDown();
            pool.shutdown();
            assertThat(pool.awaitTermination(2, TimeUnit.MINUTES)).isTrue();
        }

        int ok = 0;
        int refused = 0;
        for (Future<Http.Response> result : results) {
            Http.Response response = result.get();
            if (response.status() == 200) {
                ok++;
            } else {
                assertThat(response.code()).as(response.toString()).isEqualTo("DEVICE_LIMIT_REACHED");
                refused++;
            }
        }
        assertThat(ok).isEqualTo(LIMIT);
        assertThat(refused).isEqualTo(THREADS - LIMIT);
        assertThat(jdbc.sql("SELECT COUNT(*) FROM devices d JOIN licenses l ON l.id = d.license_id "
                                + "WHERE l.license_key = ? AND d.status = 'ACTIVE'")
                        .param(key)
                        .query(Integer.class)
                        .single())
                .isEqualTo(LIMIT);
    }
}
