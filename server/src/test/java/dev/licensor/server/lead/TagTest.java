package dev.licensor.server.lead;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

import org.junit.jupiter.api.Test;

class TagTest {
    @Test
    void aTypedTagIsTrimmedAndLowerCased() {
        assertThat(Tag.of("  Hot Lead\t").value()).isEqualTo("hot lead");
        assertThat(Tag.of("SCHULE")).isEqualTo(Tag.of("schule"));
        assertThat(Tag.of(" " + "x".repeat(40) + " ").value()).hasSize(40);
    }

    @Test
    void blankOverLongAndControlCharactersAreRefused() {
        assertThatIllegalArgumentException().isThrownBy(() -> Tag.of("   ")).withMessage("must not be blank");
        assertThatIllegalArgumentException()
                .isThrownBy(() -> Tag.of("x".repeat(41)))
                .withMessage("at most 40 characters");
        assertThatIllegalArgumentException().isThrownBy(() -> Tag.of("a\u0000b"));
        assertThatIllegalArgumentException().isThrownBy(() -> Tag.of("a\nb"));
    }

    @Test
    void onlyNormalizedTagsAreConstructedDirectly() {
        assertThatIllegalArgumentException().isThrownBy(() -> new Tag("School"));
        assertThatIllegalArgumentException().isThrownBy(() -> new Tag(" school"));
        assertThat(new Tag("school").toString()).isEqualTo("school");
    }
}
