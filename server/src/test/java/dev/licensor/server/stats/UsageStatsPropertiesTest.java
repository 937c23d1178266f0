package dev.licensor.server.stats;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class UsageStatsPropertiesTest {
    private static final Duration HOUR = Duration.ofHours(1);

    @Test
    void theDefaultsAndKeepingEverythingAreAccepted() {
        assertThat(new UsageStatsProperties("0 5 0 * * *", HOUR, 90, 1095).retentionDays())
                .isEqualTo(1095);
        assertThat(new UsageStatsProperties("-", HOUR, 90, 0).retentionDays()).isZero();
        assertThat(new UsageStatsProperties("-", HOUR, 90, 90).retentionDays()).isEqualTo(90);
    }

    @Test
    void aRetentionShorterThanTheBackFillIsRefusedNamingTheSetting() {
        assertThatIllegalArgumentException()
                .isThrownBy(() -> new UsageStatsProperties("-", HOUR, 90, 89))
                .withMessageContaining("retention-days");
    }

    @Test
    void badScheduleAndBackFillAreRefused() {
        assertThatIllegalArgumentException()
                .isThrownBy(() -> new UsageStatsProperties("every day", HOUR, 90, 0))
                .withMessageContaining("cron");
        assertThatIllegalArgumentException()
                .isThrownBy(() -> new UsageStatsProperties("-", Duration.ZERO, 90, 0))
                .withMessageContaining("catch-up-interval");
        assertThatIllegalArgumentException()
                .isThrownBy(() -> new UsageStatsProperties("-", HOUR, 0, 0))
                .withMessageContaining("backfill-days");
    }
}
