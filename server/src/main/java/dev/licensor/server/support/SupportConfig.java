package dev.licensor.server.support;

import dev.licensor.protocol.LicenseKeyFormat;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** Time, randomness and secrets, injected so tests can replace them. */
@Configuration(proxyBeanMethods = false)
class SupportConfig {
    /** UTC, in whole milliseconds: what the databases store and the API shows. */
    @Bean
    Clock clock() {
        return Clock.tick(Clock.systemUTC(), Duration.ofMillis(1));
    }

    @Bean
    SecureRandom secureRandom() {
        return new SecureRandom();
    }

    @Bean
    ServerSecret serverSecret(
            @Value("${LICENSOR_SECRET:}") String configured,
            @Value("${licensor.data-dir}") String dataDir,
            SecureRandom random) {
        return ServerSecret.load(configured, Path.of(dataDir), random);
    }

    @Bean
    SecretBox secretBox(ServerSecret secret, SecureRandom random) {
        return new SecretBox(secret.derive("licensor/encryption/v1"), random);
    }

    @Bean
    LicenseKeyFormat licenseKeyFormat(ServerSecret secret) {
        return new LicenseKeyFormat(secret.derive("licensor/license-key-check/v1"));
    }
}
