package dev.licensor.server.signing;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Settings of the signing feature ({@code licensor.signing.*}).
 *
 * @param issuer the {@code iss} claim of offline tokens
 * @param keyRefreshSeconds how often an instance re-reads the signing keys, so a rotation made on
 *     another instance is picked up (old keys stay published, so nothing fails meanwhile)
 * @param requestWindowSeconds how far a signed request's {@code X-Timestamp} may be from the server time
 */
@ConfigurationProperties("licensor.signing")
public record SigningProperties(
        @DefaultValue("licensor") String issuer,
        @DefaultValue("30") int keyRefreshSeconds,
        @DefaultValue("300") int requestWindowSeconds) {}
