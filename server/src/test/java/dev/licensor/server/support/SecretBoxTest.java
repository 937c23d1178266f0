package dev.licensor.server.support;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.security.SecureRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SecretBoxTest {
    private final SecureRandom random = new SecureRandom();

    @TempDir
    Path dir;

    @Test
    void encryptsAndDecryptsWithTheSameSecret() {
        ServerSecret secret = ServerSecret.load("a-configured-secret-of-sufficient-length!", dir, random);
        SecretBox box = new SecretBox(secret.derive("test"), random);

        String sealed = box.encrypt("signing secret");

        assertThat(sealed).doesNotContain("signing secret");
        assertThat(box.encrypt("signing secret")).isNotEqualTo(sealed);
        assertThat(box.decrypt(sealed)).isEqualTo("signing secret");
    }

    @Test
    void anotherSecretCannotDecrypt() {
        SecretBox box = new SecretBox(
                ServerSecret.load("a-configured-secret-of-sufficient-length!", dir, random)
                        .derive("x"),
                random);
        SecretBox other = new SecretBox(
                ServerSecret.load("another-configured-secret-of-enough-length", dir, random)
                        .derive("x"),
                random);

        assertThatThrownBy(() -> other.decrypt(box.encrypt("secret")))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("LICENSOR_SECRET");
    }

    @Test
    void aGeneratedSecretIsKeptInTheDataDirectory() {
        ServerSecret first = ServerSecret.load("", dir, random);
        ServerSecret second = ServerSecret.load("", dir, random);

        assertThat(dir.resolve("secret")).exists();
        assertThat(second.derive("purpose")).isEqualTo(first.derive("purpose"));
        assertThat(first.derive("a")).isNotEqualTo(first.derive("b"));
    }

    @Test
    void aShortConfiguredSecretIsRefused() {
        assertThatThrownBy(() -> ServerSecret.load("too-short", dir, random))
                .hasMessageContaining("at least 32 characters");
    }

    @Test
    void logValuesAreCleanedOfWhatTheDatabaseWouldRefuse() {
        assertThat(RequestInfo.clean("ab\u0000c\ud800", 10)).isEqualTo("ab?c?");
        assertThat(RequestInfo.clean("x".repeat(100), 64)).hasSize(64);
    }
}
