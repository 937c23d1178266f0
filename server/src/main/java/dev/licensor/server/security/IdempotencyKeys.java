package dev.licensor.server.security;

import dev.licensor.server.support.Db;
import dev.licensor.server.support.SecretBox;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Optional;
import net.javacrumbs.shedlock.spring.annotation.SchedulerLock;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.dao.DuplicateKeyException;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;

/**
 * The first answers to admin writes sent with an {@code Idempotency-Key}, per actor, for 24 hours.
 * A request claims its key by inserting a placeholder row (the primary key makes a concurrent
 * duplicate fail), and completes it with the response afterwards. Response bodies are stored
 * encrypted with the server secret: some carry secrets shown only once (API keys, admin tokens).
 */
@Component
class IdempotencyKeys {
    private static final Logger log = LoggerFactory.getLogger(IdempotencyKeys.class);

    /** How long a key is remembered. */
    static final Duration TTL = Duration.ofHours(24);
    /** A placeholder this old belongs to a request that died with its server; it is taken over. */
    static final Duration ABANDONED = Duration.ofMinutes(10);

    private final JdbcClient jdbc;
    private final SecretBox box;
    private final Clock clock;

    IdempotencyKeys(JdbcClient jdbc, SecretBox box, Clock clock) {
        this.jdbc = jdbc;
        this.box = box;
        this.clock = clock;
    }

    /** What a request with a key may do. */
    sealed interface Claim {
        /** The key is new: act, then {@link #complete} or {@link #release}. */
        record Claimed() implements Claim {}

        /** The same request was answered before: send this answer again. */
        record Replay(int status, @Nullable String contentType, byte[] body) implements Claim {}

        /** The key was used for a different request. */
        record Reused() implements Claim {}

        /** The same request is still being processed. */
        record InProgress() implements Claim {}
    }

    private record Row(
            String requestHash,
            @Nullable Integer status,
            @Nullable String type,
            @Nullable String body,
            Instant createdAt) {}

    Claim claim(String actor, String key, String requestHash) {
        Instant now = clock.instant();
        for (int attempt = 0; attempt < 3; attempt++) {
            try {
                jdbc.sql(
                                """
                                INSERT INTO idempotency_keys (actor, idem_key, request_hash, created_at)
                                VALUES (?, ?, ?, ?)""")
                        .params(actor, key, requestHash, Db.ts(now))
                        .update();
                return new Claim.Claimed();
            } catch (DuplicateKeyException e) {
                Optional<Row> existing = find(actor, key);
                if (existing.isEmpty()) {
                    continue; // completed with a 5xx and released meanwhile: try again
                }
                Row row = existing.get();
                boolean expired = row.createdAt().isBefore(now.minus(TTL));
                boolean abandoned = row.status() == null && row.createdAt().isBefore(now.minus(ABANDONED));
                if (expired || abandoned) {
                    jdbc.sql("DELETE FROM idempotency_keys WHERE actor = ? AND idem_key = ? AND created_at = ?")
                            .params(actor, key, Db.ts(row.createdAt()))
                            .update();
                    continue;
                }
                if (!row.requestHash().equals(requestHash)) {
                    return new Claim.Reused();
                }
                if (row.status() == null) {
                    return new Claim.InProgress();
                }
                byte[] body =
                        row.body() == null ? new byte[0] : Base64.getDecoder().decode(box.decrypt(row.body()));
                return new Claim.Replay(row.status(), row.type(), body);
            }
        }
        return new Claim.InProgress();
    }

    /** Stores the answer to replay. */
    void complete(String actor, String key, int status, @Nullable String contentType, byte[] body) {
        jdbc.sql(
                        """
                        UPDATE idempotency_keys SET response_status = ?, response_type = ?, response_body = ?
                        WHERE actor = ? AND idem_key = ?""")
                .params(
                        status,
                        contentType,
                        body.length == 0
                                ? null
                                : box.encrypt(Base64.getEncoder().encodeToString(body)),
                        actor,
                        key)
                .update();
    }

    /** Forgets a key whose request failed on the server's side, so a retry acts again. */
    void release(String actor, String key) {
        jdbc.sql("DELETE FROM idempotency_keys WHERE actor = ? AND idem_key = ?")
                .params(actor, key)
                .update();
    }

    /** Removes keys older than 24 hours (they are ignored before that already). */
    @Scheduled(initialDelayString = "PT1M", fixedDelayString = "PT1H")
    @SchedulerLock(name = "idempotency-purge", lockAtMostFor = "PT10M", lockAtLeastFor = "PT5M")
    public void purge() {
        try {
            int purged = jdbc.sql("DELETE FROM idempotency_keys WHERE created_at < ?")
                    .param(Db.ts(clock.instant().minus(TTL)))
                    .update();
            if (purged > 0) {
                log.debug("purged {} expired idempotency keys", purged);
            }
        } catch (RuntimeException e) {
            log.warn("could not purge expired idempotency keys: {}", e.toString());
        }
    }

    private Optional<Row> find(String actor, String key) {
        return jdbc.sql(
                        """
                        SELECT request_hash, response_status, response_type, response_body, created_at
                        FROM idempotency_keys WHERE actor = ? AND idem_key = ?""")
                .params(actor, key)
                .query((rs, n) -> new Row(
                        rs.getString("request_hash"),
                        Db.integer(rs, "response_status"),
                        rs.getString("response_type"),
                        rs.getString("response_body"),
                        Db.instant(rs, "created_at")))
                .optional();
    }
}
