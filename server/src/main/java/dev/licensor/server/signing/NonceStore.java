package dev.licensor.server.signing;

import dev.licensor.server.support.Db;
import dev.licensor.server.support.RedisLink;
import io.lettuce.core.SetArgs;
import io.lettuce.core.api.StatefulRedisConnection;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import net.javacrumbs.shedlock.spring.annotation.SchedulerLock;
import org.springframework.dao.DuplicateKeyException;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;

/**
 * Remembers the nonces of signed requests for twice the timestamp window, shared by all instances:
 * in Redis ({@code SET key NX EX}) when it is configured and reachable, in the {@code used_nonces}
 * table otherwise (its primary key decides; a job purges expired rows).
 */
@Component
class NonceStore {
    private static final byte[] ONE = "1".getBytes(StandardCharsets.UTF_8);

    private final RedisLink redis;
    private final JdbcClient jdbc;
    private final Clock clock;
    private final Duration ttl;

    NonceStore(RedisLink redis, JdbcClient jdbc, Clock clock, SigningProperties properties) {
        this.redis = redis;
        this.jdbc = jdbc;
        this.clock = clock;
        this.ttl = Duration.ofSeconds(2L * properties.requestWindowSeconds());
    }

    /** True when the nonce is new for this API key (and is now remembered); false for a replay. */
    boolean remember(long apiKeyId, String nonce) {
        Optional<StatefulRedisConnection<String, byte[]>> connection = redis.connection();
        if (connection.isPresent()) {
            try {
                String reply = connection
                        .get()
                        .sync()
                        .set(
                                "licensor:nonce:" + apiKeyId + ":" + nonce,
                                ONE,
                                SetArgs.Builder.nx().ex(ttl.toSeconds()));
                return "OK".equals(reply);
            } catch (RuntimeException e) {
                redis.failed(e);
            }
        }
        return rememberInDatabase(apiKeyId, nonce);
    }

    private boolean rememberInDatabase(long apiKeyId, String nonce) {
        Instant now = clock.instant();
        // A nonce older than the window cannot come with a fresh timestamp; forget it if not yet purged.
        jdbc.sql("DELETE FROM used_nonces WHERE api_key_id = ? AND nonce = ? AND expires_at < ?")
                .params(apiKeyId, nonce, Db.ts(now))
                .update();
        try {
            jdbc.sql("INSERT INTO used_nonces (api_key_id, nonce, expires_at) VALUES (?, ?, ?)")
                    .params(apiKeyId, nonce, Db.ts(now.plus(ttl)))
                    .update();
            return true;
        } catch (DuplicateKeyException e) {
            return false;
        }
    }

    @Scheduled(fixedDelayString = "${licensor.signing.nonce-purge-interval-ms:60000}")
    @SchedulerLock(name = "nonce-purge", lockAtMostFor = "PT5M")
    public void purge() {
        jdbc.sql("DELETE FROM used_nonces WHERE expires_at < ?")
                .param(Db.ts(clock.instant()))
                .update();
    }
}
