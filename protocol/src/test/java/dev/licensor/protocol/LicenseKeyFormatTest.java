package dev.licensor.protocol;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Test;

class LicenseKeyFormatTest {
    private final LicenseKeyFormat format =
            new LicenseKeyFormat("a test secret of enough length".getBytes(StandardCharsets.UTF_8));
    private final SecureRandom random = new SecureRandom();

    @Test
    void generatedKeysHaveTheDocumentedShape() {
        String key = format.generate("AF", random);
        assertThat(key).matches("AF(-[0-9A-HJKMNP-TV-Z]{5}){5}");
    }

    @Test
    void generatedKeysParseBackToThemselves() {
        String key = format.generate("ABCD", random);
        assertThat(format.parse(key, "ABCD")).contains(key);
    }

    @Test
    void parsingIgnoresCaseDashesAndConfusableLetters() {
        String key = format.generate("AF", random);
        String typed = key.toLowerCase().replace("-", "").replace('1', 'l').replace('0', 'o');
        assertThat(format.parse(typed, "AF")).contains(key);
        assertThat(format.parse("  " + key.replace("-", " - ") + " ", "AF")).contains(key);
    }

    @Test
    void aChangedSymbolIsRejectedByTheCheckCharacters() {
        String key = format.generate("AF", random);
        int rejected = 0;
        for (int i = 3; i < key.length(); i++) {
            if (key.charAt(i) == '-') {
                continue;
            }
            char replacement = key.charAt(i) == 'A' ? 'B' : 'A';
            String forged = key.substring(0, i) + replacement + key.substring(i + 1);
            if (format.parse(forged, "AF").isEmpty()) {
                rejected++;
            }
        }
        // 10 check bits: a random change slips through with probability 1/1024 per position.
        assertThat(rejected).isGreaterThanOrEqualTo(23);
    }

    @Test
    void keysOfAnotherSecretOrPrefixAreRejected() {
        LicenseKeyFormat other = new LicenseKeyFormat("another secret entirely, 32b".getBytes(StandardCharsets.UTF_8));
        int accepted = 0;
        for (int i = 0; i < 200; i++) {
            if (format.parse(other.generate("AF", random), "AF").isPresent()) {
                accepted++;
            }
        }
        assertThat(accepted).isLessThan(5);
        assertThat(format.parse(format.generate("AF", random), "AB")).isEmpty();
    }

    @Test
    void malformedInputIsRejectedNotThrown() {
        assertThat(format.parse("", "AF")).isEmpty();
        assertThat(format.parse("AF-12345", "AF")).isEmpty();
        assertThat(format.parse("AF-UUUUU-UUUUU-UUUUU-UUUUU-UUUUU", "AF")).isEmpty();
        assertThat(format.parse("AF-ÄÄÄÄÄ-ÄÄÄÄÄ-ÄÄÄÄÄ-ÄÄÄÄÄ-ÄÄÄÄÄ", "AF")).isEmpty();
    }

    @Test
    void keysAreUniqueAcrossManyDraws() {
        Set<String> keys = new HashSet<>();
        for (int i = 0; i < 10_000; i++) {
            keys.add(format.generate("AF", random));
        }
        assertThat(keys).hasSize(10_000);
    }

    @Test
    void shapeIsRecognisedIndependentlyOfTheCheck() {
        assertThat(LicenseKeyFormat.hasStandardShape("AF-00000-00000-00000-00000-00000", "AF"))
                .isTrue();
        assertThat(LicenseKeyFormat.hasStandardShape("LEGACY123456", "AF")).isFalse();
    }

    @Test
    void prefixesAreTwoToFourUpperCaseLetters() {
        assertThat(LicenseKeyFormat.isValidPrefix("AF")).isTrue();
        assertThat(LicenseKeyFormat.isValidPrefix("ABCD")).isTrue();
        assertThat(LicenseKeyFormat.isValidPrefix("A")).isFalse();
        assertThat(LicenseKeyFormat.isValidPrefix("ABCDE")).isFalse();
        assertThat(LicenseKeyFormat.isValidPrefix("af")).isFalse();
        assertThatThrownBy(() -> format.generate("a1", random)).isInstanceOf(IllegalArgumentException.class);
    }
}
