package dev.licensor.server.session;

import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Background work around sessions: how often the reaper looks for sessions without heartbeat,
 * how long the heartbeat and validation logs are kept, whether heartbeats are applied in
 * batches on PostgreSQL ({@link HeartbeatBatcher}; off: one statement per heartbeat), and how long
 * a batch waits for more heartbeats before it runs (longer: larger batches, fewer statements, less
 * database work per heartbeat, at the price of that much latency).
 */
@ConfigurationProperties("licensor.sessions")
public record SessionSettings(
        @DefaultValue("5s") Duration reaperInterval,
        @DefaultValue("90d") Duration heartbeatLogRetention,
        @DefaultValue("90d") Duration validationLogRetention,
        @DefaultValue("true") boolean heartbeatBatching,
        @DefaultValue("1ms") Duration heartbeatBatchLinger) {

    public SessionSettings {
        if (reaperInterval.isNegative() || reaperInterval.isZero()) {
            throw new IllegalArgumentException("licensor.sessions.reaper-interval must be positive");
        }
        if (heartbeatLogRetention.toDays() < 1 || validationLogRetention.toDays() < 1) {
            throw new IllegalArgumentException("log retentions must be at least one day");
        }
        if (heartbeatBatchLinger.isNegative() || heartbeatBatchLinger.compareTo(Duration.ofMillis(100)) > 0) {
            throw new IllegalArgumentException("licensor.sessions.heartbeat-batch-linger must be between 0 and 100ms");
        }
    }
}
