package dev.licensor.server.signing;

import dev.licensor.server.support.Db;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import net.javacrumbs.shedlock.spring.annotation.SchedulerLock;
import org.springframework.dao.DuplicateKeyException;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;

/**
 * Remembers the nonces of signed requests for twice the timestamp window, shared by all instances,
 * in the {@code used_nonces} table: its primary key decides, and a job purges expired rows.
 *
 * <p>Always the database, also when Redis is configured: a store that followed Redis's availability
 * would forget, at each switch, the nonces the other store had seen, and a request captured before
 * Redis went down (or before it came back) could be replayed.
 */
@Component
class NonceStore {
    private final JdbcClient jdbc;
    private final Clock clock;
    private final Duration ttl;

    NonceStore(JdbcClient jdbc, Clock clock, SigningProperties properties) {
        this.jdbc = jdbc;
        this.clock = clock;
        this.ttl = Duration.ofSeconds(2L * properties.requestWindowSeconds());
    }

    /** True when the nonce is new for this API key (and is now remembered); false for a replay. */
    boolean remember(long apiKeyId, String nonce) {
        Instant now = clock.instant();
        if (insert(apiKeyId, nonce, now)) {
            return true;
        }
        // A nonce older than the window cannot come with a fresh timestamp: forget it if not yet
        // purged, and take it again.
        int expired = jdbc.sql("DELETE FROM used_nonces WHERE api_key_id = ? AND nonce = ? AND expires_at < ?")
                .params(apiKeyId, nonce, Db.ts(now))
                .update();
        return expired > 0 && insert(apiKeyId, nonce, now);
    }

    private boolean insert(long apiKeyId, String nonce, Instant now) {
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
