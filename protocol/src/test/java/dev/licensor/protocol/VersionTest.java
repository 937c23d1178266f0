package dev.licensor.protocol;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class VersionTest {
    @Test
    void comparesNumericallyByParts() {
        assertThat(Version.of("1.10.0")).isGreaterThan(Version.of("1.9.3"));
        assertThat(Version.of("2")).isGreaterThan(Version.of("1.99.99"));
        assertThat(Version.of("1.2")).isEqualByComparingTo(Version.of("1.2.0"));
        assertThat(Version.of("1.2")).isEqualTo(Version.of("1.2.0")).hasSameHashCodeAs(Version.of("1.2.0"));
    }

    @Test
    void preReleaseSortsBeforeItsRelease() {
        assertThat(Version.of("1.2.0-beta.1")).isLessThan(Version.of("1.2.0"));
        assertThat(Version.of("1.2.0-beta.1")).isGreaterThan(Version.of("1.1.9"));
        assertThat(Version.of("1.2.0-alpha")).isLessThan(Version.of("1.2.0-beta"));
        assertThat(Version.of("1.2.0-beta.2")).isLessThan(Version.of("1.2.0-beta.10"));
        assertThat(Version.of("1.2.0-beta")).isLessThan(Version.of("1.2.0-beta.1"));
        assertThat(Version.of("1.2.0-1")).isLessThan(Version.of("1.2.0-alpha"));
    }

    @Test
    void isBeforeIsStrict() {
        assertThat(Version.of("1.0.0").isBefore(Version.of("1.0.1"))).isTrue();
        assertThat(Version.of("1.0.1").isBefore(Version.of("1.0.1"))).isFalse();
    }

    @Test
    void acceptsALeadingVAndBuildMetadata() {
        assertThat(Version.of("v1.2.3")).isEqualTo(Version.of("1.2.3"));
        assertThat(Version.of("1.2.3+build.7")).isEqualTo(Version.of("1.2.3"));
    }

    @Test
    void rejectsWhatIsNotAVersion() {
        assertThat(Version.parse("")).isEmpty();
        assertThat(Version.parse("latest")).isEmpty();
        assertThat(Version.parse("1..2")).isEmpty();
        assertThat(Version.parse("1.2.3-")).isEmpty();
        assertThat(Version.parse("9".repeat(70))).isEmpty();
        assertThat(Version.parse("١.٢")).isEmpty();
    }
}
