package dev.licensor.server.abuse;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class IpRangeTest {
    @Test
    void matchesSingleAddressesAndCidrRangesOfBothFamilies() {
        IpRange v4 = IpRange.parse("203.0.113.0/24").orElseThrow();
        assertThat(v4.contains("203.0.113.200")).isTrue();
        assertThat(v4.contains("203.0.114.1")).isFalse();
        assertThat(v4.contains("::1")).isFalse();

        IpRange v6 = IpRange.parse("2001:db8::/32").orElseThrow();
        assertThat(v6.contains("2001:db8:1234::1")).isTrue();
        assertThat(v6.contains("2001:db9::1")).isFalse();
        assertThat(v6.contains("203.0.113.1")).isFalse();

        IpRange single = IpRange.parse("127.0.0.1").orElseThrow();
        assertThat(single.contains("127.0.0.1")).isTrue();
        assertThat(single.contains("127.0.0.2")).isFalse();
        assertThat(IpRange.parse("::1").orElseThrow().contains("0:0:0:0:0:0:0:1"))
                .isTrue();
    }

    @Test
    void normalizesTheNetworkPart() {
        assertThat(IpRange.parse(" 10.1.2.3/8 ").orElseThrow().text()).isEqualTo("10.0.0.0/8");
        assertThat(IpRange.parse("10.1.2.3/32").orElseThrow().text()).isEqualTo("10.1.2.3");
    }

    @Test
    void refusesHostNamesAndMalformedRanges() {
        assertThat(IpRange.parse("example.com")).isEmpty();
        assertThat(IpRange.parse("deadbeef.cafe")).isEmpty();
        assertThat(IpRange.parse("10.0.0.0/33")).isEmpty();
        assertThat(IpRange.parse("256.1.1.1")).isEmpty();
        assertThat(IpRange.parse("1.2.3")).isEmpty();
        assertThat(IpRange.parse("::1/129")).isEmpty();
        assertThat(IpRange.parse("10.0.0.0/x")).isEmpty();
        assertThat(IpRange.parse("")).isEmpty();
    }
}
