package dev.licensor.server.session.api;

import org.jspecify.annotations.Nullable;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * The heartbeat listener ({@link HeartbeatListener}): a second HTTP port that serves only {@code
 * POST /api/license/session/heartbeat}, on event loops. Off unless enabled; {@code port} 0 takes
 * any free port (tests); {@code address} null listens on every interface, like the main port;
 * {@code threads} 0 is one event loop per core; {@code blockingThreads} run what waits for the
 * database outside the heartbeat batch (the statement without batching, a heartbeat of an ended
 * session decided in a transaction).
 */
@ConfigurationProperties("licensor.heartbeat-listener")
public record HeartbeatListenerProperties(
        @DefaultValue("false") boolean enabled,
        @DefaultValue("8081") int port,
        @Nullable String address,
        @DefaultValue("0") int threads,
        @DefaultValue("16") int blockingThreads) {

    public HeartbeatListenerProperties {
        if (port < 0 || port > 65_535) {
            throw new IllegalArgumentException("licensor.heartbeat-listener.port must be between 0 and 65535");
        }
        if (threads < 0 || blockingThreads < 1) {
            throw new IllegalArgumentException(
                    "licensor.heartbeat-listener.threads must be 0 or more, blocking-threads at least 1");
        }
    }
}
