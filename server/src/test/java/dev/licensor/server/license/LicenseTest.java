package dev.licensor.server.license;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Test;

class LicenseTest {
    private static final Instant NOW = Instant.parse("2026-11-23T12:00:00Z");

    @Test
    void statusDecidesBeforeDates() {
        assertThat(license(LicenseStatus.REVOKED, null, NOW.minusSeconds(1)).usability(NOW, 0))
                .isEqualTo(Usability.REVOKED);
        assertThat(license(LicenseStatus.SUSPENDED, null, null).usability(NOW, 0))
                .isEqualTo(Usability.SUSPENDED);
    }

    @Test
    void validityWindowIsHalfOpen() {
        assertThat(license(LicenseStatus.ACTIVE, NOW.plusSeconds(1), null).usability(NOW, 0))
                .isEqualTo(Usability.NOT_YET_VALID);
        assertThat(license(LicenseStatus.ACTIVE, NOW, null).usability(NOW, 0)).isEqualTo(Usability.USABLE);
        assertThat(license(LicenseStatus.ACTIVE, null, NOW).usability(NOW, 0)).isEqualTo(Usability.EXPIRED);
        assertThat(license(LicenseStatus.ACTIVE, null, NOW.plusMillis(1)).usability(NOW, 0))
                .isEqualTo(Usability.USABLE);
    }

    @Test
    void graceKeepsAnExpiredLicenseUsableForItsDays() {
        License expiredYesterday = license(LicenseStatus.ACTIVE, null, NOW.minus(Duration.ofDays(1)));

        assertThat(expiredYesterday.usability(NOW, 2)).isEqualTo(Usability.GRACE);
        assertThat(expiredYesterday.usability(NOW, 1)).isEqualTo(Usability.EXPIRED);
        assertThat(expiredYesterday.graceUntil(2)).isEqualTo(NOW.plus(Duration.ofDays(1)));
        assertThat(expiredYesterday.displayStatus(NOW, 0)).isEqualTo("EXPIRED");
        assertThat(expiredYesterday.displayStatus(NOW, 2)).isEqualTo("ACTIVE");
    }

    @Test
    void firstActivationSetsTheExpiryOnlyForThatBasis() {
        License fromActivation = new License(
                1,
                "K",
                "K",
                1,
                null,
                null,
                LicenseStatus.ACTIVE,
                null,
                null,
                30,
                ExpirationBasis.FROM_FIRST_ACTIVATION,
                1,
                1,
                List.of(),
                false,
                false,
                null,
                null,
                false,
                null,
                null,
                NOW,
                NOW);

        assertThat(fromActivation.expiryOnFirstActivation(NOW)).isEqualTo(NOW.plus(Duration.ofDays(30)));
        assertThat(license(LicenseStatus.ACTIVE, null, null).expiryOnFirstActivation(NOW))
                .isNull();
    }

    @Test
    void twoOfThreeComponentsMakeTheSameMachine() {
        Device device = new Device(
                1, 1, "h", null, null, null, null, "AA:BB", "cpu", "uuid", DeviceStatus.ACTIVE, NOW, NOW, null, null);

        assertThat(device.sameMachine("aa:bb", "cpu", "other")).isTrue();
        assertThat(device.sameMachine("new-nic", "cpu", "uuid")).isTrue();
        assertThat(device.sameMachine("new-nic", "cpu", null)).isFalse();
        assertThat(device.sameMachine(null, null, null)).isFalse();
    }

    private static License license(LicenseStatus status, @Nullable Instant validFrom, @Nullable Instant expiresAt) {
        return new License(
                1,
                "K",
                "K",
                1,
                null,
                null,
                status,
                validFrom,
                expiresAt,
                null,
                ExpirationBasis.FROM_CREATION,
                1,
                1,
                List.of(),
                false,
                false,
                null,
                null,
                false,
                null,
                null,
                NOW,
                NOW);
    }
}
