package dev.licensor.server.abuse;

import static org.assertj.core.api.Assertions.assertThat;

import dev.licensor.server.testing.AbstractIT;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.test.context.TestPropertySource;

/**
 * Local rate-limit buckets are dropped once they are full again, and only then: a license bucket
 * refilling every 10 ms goes, an address bucket refilling once in 7.5 minutes stays.
 */
@TestPropertySource(properties = {"licensor.rate-limit.license-per-minute=6000", "licensor.rate-limit.ip-per-hour=8"})
class RateLimitEvictionIT extends AbstractIT {
    @Autowired
    RateLimiter limiter;

    @Test
    void fullBucketsAreForgottenAndOthersKept() throws InterruptedException {
        limiter.clearLocal();
        assertThat(limiter.consume(RateLimiter.Scope.LICENSE, "EVICT-ME").allowed())
                .isTrue();
        assertThat(limiter.consume(RateLimiter.Scope.IP, "192.0.2.7").allowed()).isTrue();
        assertThat(limiter.localBuckets()).isEqualTo(2);

        Thread.sleep(100); // ten refills of the license bucket; 1/4500 of a token for the address
        limiter.evictFullBuckets();

        assertThat(limiter.localBuckets()).isEqualTo(1);
        // The address bucket kept its state: 7 of 8 calls are left, not a fresh 8.
        assertThat(limiter.consume(RateLimiter.Scope.IP, "192.0.2.7").remaining())
                .isEqualTo(6);
    }
}
