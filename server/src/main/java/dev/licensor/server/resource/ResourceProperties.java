package dev.licensor.server.resource;

import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * The resource pool's settings: how many days a released resource rests in quarantine before it
 * can go to another license, and how often the job that ends passed quarantines runs.
 */
@ConfigurationProperties("licensor.resources")
public record ResourceProperties(
        @DefaultValue("30") int quarantineDays, @DefaultValue("10m") Duration quarantineCheckInterval) {
    public ResourceProperties {
        if (quarantineDays < 0 || quarantineDays > 3650) {
            throw new IllegalArgumentException("licensor.resources.quarantine-days must be between 0 and 3650");
        }
        if (quarantineCheckInterval.isNegative() || quarantineCheckInterval.isZero()) {
            throw new IllegalArgumentException("licensor.resources.quarantine-check-interval must be positive");
        }
    }
}
