package dev.licensor.server.testing;

import java.time.Clock;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Primary;

/** Replaces the server's clock with {@link MutableClock#SHARED}. */
@TestConfiguration(proxyBeanMethods = false)
public class MutableClockConfig {
    @Bean
    @Primary
    Clock mutableClock() {
        return MutableClock.SHARED;
    }
}
