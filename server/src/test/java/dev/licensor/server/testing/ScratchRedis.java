package dev.licensor.server.testing;

import dev.licensor.protocol.LicenseKeyFormat;
import io.lettuce.core.RedisClient;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.sync.RedisCommands;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.function.Function;
import org.springframework.test.context.DynamicPropertyRegistry;

/**
 * A throw-away {@code redis-server} on a free loopback port, started and stopped by a test (to
 * show what happens when Redis goes away and comes back). Needs {@code redis-server} on the PATH
 * (Debian package {@code redis-server}); a missing binary fails the test.
 */
public final class ScratchRedis implements AutoCloseable {
    private final int port;
    private final Path dir;
    private Process process;

    private ScratchRedis(int port, Path dir) {
        this.port = port;
        this.dir = dir;
    }

    public static ScratchRedis start() {
        try {
            int port;
            try (ServerSocket socket = new ServerSocket(0)) {
                port = socket.getLocalPort();
            }
            ScratchRedis redis = new ScratchRedis(port, Files.createTempDirectory("licensor-redis-"));
            redis.startProcess();
            return redis;
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    public int port() {
        return port;
    }

    /** Points a test's server at this Redis: rate limits and nonces shared through it. */
    public void register(DynamicPropertyRegistry registry) {
        registry.add("licensor.redis.enabled", () -> "true");
        registry.add("spring.data.redis.url", this::url);
    }

    /** Runs {@code command} on a connection of its own, closed after. */
    public <T> T call(Function<RedisCommands<String, String>, T> command) {
        RedisClient client = RedisClient.create(url());
        try (StatefulRedisConnection<String, String> connection = client.connect()) {
            return command.apply(connection.sync());
        } finally {
            client.shutdown(Duration.ZERO, Duration.ofSeconds(1));
        }
    }

    /** Whether the rate-limit bucket of {@code licenseKey} is kept in this Redis. */
    public boolean holdsLicenseBucket(String licenseKey) {
        return call(redis -> redis.exists("licensor:rl:license:" + LicenseKeyFormat.compact(licenseKey))) == 1;
    }

    public String url() {
        return "redis://127.0.0.1:" + port;
    }

    /** Starts the server again on the same port after {@link #stop}. */
    public void startProcess() {
        try {
            process = new ProcessBuilder(List.of(
                            "redis-server",
                            "--port",
                            Integer.toString(port),
                            "--bind",
                            "127.0.0.1",
                            "--save",
                            "",
                            "--appendonly",
                            "no",
                            "--dir",
                            dir.toString()))
                    .redirectErrorStream(true)
                    .redirectOutput(dir.resolve("redis.log").toFile())
                    .start();
        } catch (IOException e) {
            throw new IllegalStateException("redis-server is needed for this test (apt-get install redis-server)", e);
        }
        Instant deadline = Instant.now().plus(Duration.ofSeconds(20));
        while (Instant.now().isBefore(deadline)) {
            try {
                new Socket("127.0.0.1", port).close();
                return;
            } catch (IOException e) {
                if (!process.isAlive()) {
                    throw new IllegalStateException("redis-server exited with " + process.exitValue());
                }
                try {
                    Thread.sleep(50);
                } catch (InterruptedException interrupted) {
                    Thread.currentThread().interrupt();
                    throw new IllegalStateException(interrupted);
                }
            }
        }
        throw new IllegalStateException("redis-server did not start on port " + port);
    }

    /** Kills the server (as a crash would). */
    public void stop() {
        if (process != null && process.isAlive()) {
            process.destroyForcibly();
            try {
                process.waitFor();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    @Override
    public void close() {
        stop();
    }
}
