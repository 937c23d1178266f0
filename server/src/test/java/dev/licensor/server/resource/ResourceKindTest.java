package dev.licensor.server.resource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class ResourceKindTest {
    @ParameterizedTest
    @CsvSource({
        "example.com, example.com",
        "'  Shop.EXAMPLE.com. ', shop.example.com",
        "a-b.c-d.example.org, a-b.c-d.example.org",
        "bücher.de, xn--bcher-kva.de",
        "XN--BCHER-KVA.DE, xn--bcher-kva.de"
    })
    void domainsAreLowerCaseAsciiWithoutTheTrailingDot(String raw, String stored) {
        assertThat(ResourceKind.DOMAIN.normalize(raw)).isEqualTo(stored);
    }

    @ParameterizedTest
    @ValueSource(
            strings = {
                "https://example.com",
                "example.com/path",
                "example.com:8080",
                "user@example.com",
                "localhost",
                "-bad.example.com",
                "bad-.example.com",
                "under_score.example.com",
                "two..dots.com",
                "1.2.3.4",
                "exa mple.com",
                " "
            })
    void notADomain(String raw) {
        assertThatThrownBy(() -> ResourceKind.DOMAIN.normalize(raw)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void aDomainOfMoreThan253CharactersIsRefused() {
        String label = "a".repeat(60);
        String name = String.join(".", label, label, label, label, label, "com");
        assertThatThrownBy(() -> ResourceKind.DOMAIN.normalize(name))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("253");
        assertThatThrownBy(() -> ResourceKind.DOMAIN.normalize("a".repeat(64) + ".com"))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @ParameterizedTest
    @CsvSource({"192.0.2.10, 192.0.2.10", "' 10.0.0.1 ', 10.0.0.1", "010.001.000.255, 10.1.0.255", "0.0.0.0, 0.0.0.0"})
    void ipv4AddressesInCanonicalDecimal(String raw, String stored) {
        assertThat(ResourceKind.IPV4.normalize(raw)).isEqualTo(stored);
    }

    @ParameterizedTest
    @ValueSource(strings = {"256.1.1.1", "1.2.3", "1.2.3.4.5", "1.2.3.4/24", "a.b.c.d", "::1", "1.2.3.1000", "1..2.3"})
    void notAnIpv4Address(String raw) {
        assertThatThrownBy(() -> ResourceKind.IPV4.normalize(raw)).isInstanceOf(IllegalArgumentException.class);
    }

    @ParameterizedTest
    @CsvSource({
        "+49 30 1234567, +49301234567",
        "'+1 (555) 123-4567', +15551234567",
        "+44-20-7946-0958, +442079460958",
        "+1.555.123.4567, +15551234567"
    })
    void phoneNumbersInE164(String raw, String stored) {
        assertThat(ResourceKind.PHONE.normalize(raw)).isEqualTo(stored);
    }

    @ParameterizedTest
    @ValueSource(strings = {"030 1234567", "0049301234567", "+0301234567", "+49 30 ABC", "+123", "+1234567890123456"})
    void notAPhoneNumberInInternationalForm(String raw) {
        assertThatThrownBy(() -> ResourceKind.PHONE.normalize(raw)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void kindsAreReadWithoutRegardToCase() {
        assertThat(ResourceKind.parse(" ipv4 ")).contains(ResourceKind.IPV4);
        assertThat(ResourceKind.parse("Phone")).contains(ResourceKind.PHONE);
        assertThat(ResourceKind.parse("email")).isEmpty();
    }
}
