package dev.licensor.server.session;

import dev.licensor.server.support.Db;
import io.micrometer.core.instrument.MeterRegistry;
import jakarta.annotation.PreDestroy;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import javax.sql.DataSource;
import org.jspecify.annotations.Nullable;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.jdbc.support.GeneratedKeyHolder;
import org.springframework.stereotype.Repository;

// Named so as not to clash with Spring Session's "sessionRepository" (the panel's HTTP sessions).
@Repository("licenseSessionRepository")
class SessionRepository {
    /** Liveness (SPEC §1) as a condition on {@code sessions}, with now bound to its one {@code ?}. */
    private static final String LIVE = "ended_at IS NULL AND live_until > ?";

    private static final String COLUMNS =
            """
            id, token, product_id, license_id, device_id, ip, version, started_at, last_heartbeat, live_until,
            ended_at, end_reason""";

    /**
     * The heartbeat: one statement that extends a live session of a usable license and returns
     * what the heartbeat log needs. It matches nothing when the token is unknown, of another
     * license, ended or timed out, or when the license is no longer usable; the caller then finds
     * out which in a transaction of its own. The session is found by its token (unique index), the
     * license by its primary key.
     */
    private static final String BEAT =
            """
            UPDATE sessions s SET last_heartbeat = ?, live_until = ?
            WHERE s.token = ? AND s.product_id = ? AND s.ended_at IS NULL AND s.live_until > ?
              AND EXISTS (SELECT 1 FROM licenses l
                          WHERE l.id = s.license_id AND l.key_lookup = ? AND (l.legacy = TRUE OR ? = FALSE)
                            AND l.status = 'ACTIVE'
                            AND (l.valid_from IS NULL OR l.valid_from <= ?)
                            AND (l.expires_at IS NULL OR l.expires_at > ?))""";

    /**
     * On PostgreSQL the heartbeat commits asynchronously ({@code synchronous_commit = off} for this
     * statement's transaction only, set by {@code set_config(…, true)} so it stays one round trip in
     * autocommit): the commit does not wait for the WAL flush. A database crash can lose the last
     * fraction of a second of heartbeats (sessions then look that much older); nothing else is lost,
     * and every session start still commits durably, flushing every heartbeat before it.
     */
    private static final String BEAT_POSTGRES = BEAT
            + """

              AND (SELECT set_config('synchronous_commit', 'off', true)) IS NOT NULL
            RETURNING s.id, s.license_id, s.device_id, s.version""";

    private static final String VIEW =
            """
            SELECT s.id, s.product_id, l.license_key, COALESCE(NULLIF(c.company, ''), c.name) AS customer, s.device_id,
                d.hardware_hash, d.machine_id, d.name AS device_name, s.ip, s.version, s.started_at, s.last_heartbeat,
                s.live_until, s.ended_at, s.end_reason
            FROM sessions s
            JOIN licenses l ON l.id = s.license_id
            JOIN devices d ON d.id = s.device_id
            LEFT JOIN customers c ON c.id = l.customer_id""";

    private final JdbcClient jdbc;
    private final String beat;
    private final @Nullable HeartbeatBatcher batcher;

    SessionRepository(
            JdbcClient jdbc,
            JdbcTemplate template,
            DataSource dataSource,
            SessionSettings settings,
            LogMaintenance logMaintenance,
            MeterRegistry meters) {
        this.jdbc = jdbc;
        this.batcher = Db.postgres(dataSource) && settings.heartbeatBatching()
                ? new HeartbeatBatcher(
                        template, logMaintenance::ensurePartitions, settings.heartbeatBatchLinger(), meters)
                : null;
        // PostgreSQL returns the updated row with RETURNING; H2 reads it from the data-change table.
        this.beat = Db.postgres(dataSource)
                ? BEAT_POSTGRES
                : "SELECT id, license_id, device_id, version FROM FINAL TABLE (" + BEAT + ")";
    }

    @PreDestroy
    void close() throws InterruptedException {
        if (batcher != null) {
            batcher.stop();
        }
    }

    /**
     * What a successful heartbeat touched, for the heartbeat log; {@code logged} when the statement
     * that applied it has written its heartbeat-log row already.
     */
    record Beat(long sessionId, long licenseId, long deviceId, @Nullable String version, boolean logged) {}

    /** A live session of a license: which device holds it. */
    record Live(long id, long deviceId) {}

    /**
     * Extends a live session by one timeout. {@code expiredBefore} is now minus the product's
     * expiry grace: a license expiring at or before it is no longer usable. The result is empty
     * when the statement matched nothing. With batching it is completed by the batch writer;
     * without, the statement runs on {@code blocking} (the caller's thread if that is {@code
     * Runnable::run}).
     */
    CompletableFuture<Optional<Beat>> beat(
            UUID token,
            long productId,
            String keyLookup,
            boolean legacy,
            Instant now,
            Instant liveUntil,
            Instant expiredBefore,
            @Nullable String ip,
            Executor blocking) {
        if (batcher != null) {
            return batcher.submit(token, productId, keyLookup, legacy, now, liveUntil, expiredBefore, ip);
        }
        return CompletableFuture.supplyAsync(
                () -> jdbc.sql(beat)
                        .params(
                                Db.ts(now),
                                Db.ts(liveUntil),
                                token,
                                productId,
                                Db.ts(now),
                                keyLookup,
                                legacy,
                                Db.ts(now),
                                Db.ts(expiredBefore))
                        .query((rs, n) -> new Beat(
                                rs.getLong("id"),
                                rs.getLong("license_id"),
                                rs.getLong("device_id"),
                                rs.getString("version"),
                                false))
                        .optional(),
                blocking);
    }

    long insert(
            UUID token,
            long productId,
            long licenseId,
            long deviceId,
            @Nullable String ip,
            @Nullable String version,
            Instant now,
            Instant liveUntil) {
        GeneratedKeyHolder keys = new GeneratedKeyHolder();
        jdbc.sql(
                        """
                        INSERT INTO sessions (token, product_id, license_id, device_id, ip, version, started_at,
                            last_heartbeat, live_until)
                        VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)""")
                .params(token, productId, licenseId, deviceId, ip, version, Db.ts(now), Db.ts(now), Db.ts(liveUntil))
                .update(keys, "id");
        return keys.getKeyAs(Long.class);
    }

    /** Extends a session inside a transaction that already holds its row. */
    void touch(long id, Instant now, Instant liveUntil) {
        jdbc.sql("UPDATE sessions SET last_heartbeat = ?, live_until = ? WHERE id = ?")
                .params(Db.ts(now), Db.ts(liveUntil), id)
                .update();
    }

    /** Whether a typed key's look-up names this license (legacy look-ups only match legacy keys). */
    boolean licenseMatches(long licenseId, dev.licensor.server.license.LicenseKeys.Lookup lookup) {
        return jdbc.sql(
                                "SELECT COUNT(*) FROM licenses WHERE id = ? AND key_lookup = ? AND (legacy = TRUE OR ? = FALSE)")
                        .params(licenseId, lookup.compact(), lookup.legacy())
                        .query(Integer.class)
                        .single()
                > 0;
    }

    Optional<SessionRow> findByToken(UUID token) {
        return jdbc.sql("SELECT " + COLUMNS + " FROM sessions WHERE token = ?")
                .param(token)
                .query(SessionRepository::map)
                .optional();
    }

    Optional<SessionRow> lockByToken(UUID token) {
        return jdbc.sql("SELECT " + COLUMNS + " FROM sessions WHERE token = ? FOR UPDATE")
                .param(token)
                .query(SessionRepository::map)
                .optional();
    }

    Optional<SessionRow> lock(long id) {
        return jdbc.sql("SELECT " + COLUMNS + " FROM sessions WHERE id = ? FOR UPDATE")
                .param(id)
                .query(SessionRepository::map)
                .optional();
    }

    /** The live sessions of a license at {@code now}. */
    List<Live> live(long licenseId, Instant now) {
        return jdbc.sql("SELECT id, device_id FROM sessions WHERE license_id = ? AND " + LIVE)
                .params(licenseId, Db.ts(now))
                .query((rs, n) -> new Live(rs.getLong("id"), rs.getLong("device_id")))
                .list();
    }

    long countAllLive(Instant now) {
        return jdbc.sql("SELECT COUNT(*) FROM sessions WHERE " + LIVE)
                .param(Db.ts(now))
                .query(Long.class)
                .single();
    }

    /** {@link #countLive}, as a scalar sub-query for the license id column {@code licenseId}; binds now. */
    static String countLiveSubquery(String licenseId) {
        return "(SELECT COUNT(*) FROM sessions WHERE license_id = " + licenseId + " AND " + LIVE + ")";
    }

    int countLive(long licenseId, Instant now) {
        return jdbc.sql("SELECT " + countLiveSubquery("?"))
                .params(licenseId, Db.ts(now))
                .query(Integer.class)
                .single();
    }

    /**
     * Ends the sessions of a license whose timeout has passed as {@code timeout}, at the moment they
     * stopped being live.
     */
    int endTimedOut(long licenseId, Instant now) {
        return jdbc.sql(
                        """
                        UPDATE sessions SET ended_at = live_until, end_reason = 'timeout'
                        WHERE license_id = ? AND ended_at IS NULL AND live_until <= ?""")
                .params(licenseId, Db.ts(now))
                .update();
    }

    /** Ends one session if it is not ended yet; whether it did. */
    boolean end(long id, EndReason reason, Instant at) {
        return jdbc.sql("UPDATE sessions SET ended_at = ?, end_reason = ? WHERE id = ? AND ended_at IS NULL")
                        .params(Db.ts(at), reason.wire(), id)
                        .update()
                > 0;
    }

    /** Ends every unended session of a device (the caller has ended the timed-out ones first). */
    int endOfDevice(long deviceId, EndReason reason, Instant at) {
        return jdbc.sql("UPDATE sessions SET ended_at = ?, end_reason = ? WHERE device_id = ? AND ended_at IS NULL")
                .params(Db.ts(at), reason.wire(), deviceId)
                .update();
    }

    /** Ends every unended session of a license (the caller has ended the timed-out ones first). */
    int endOfLicense(long licenseId, EndReason reason, Instant at) {
        return jdbc.sql("UPDATE sessions SET ended_at = ?, end_reason = ? WHERE license_id = ? AND ended_at IS NULL")
                .params(Db.ts(at), reason.wire(), licenseId)
                .update();
    }

    /**
     * Ends up to {@code limit} timed-out sessions of any license as {@code timeout}. Rows another
     * transaction holds (a session start deciding on that license) are skipped, not waited for:
     * that transaction ends them itself, and the reaper never takes part in a lock cycle.
     */
    int reap(Instant now, int limit) {
        return jdbc.sql(
                        """
                        UPDATE sessions SET ended_at = live_until, end_reason = 'timeout'
                        WHERE ended_at IS NULL AND live_until <= ? AND id IN (
                            SELECT id FROM sessions WHERE ended_at IS NULL AND live_until <= ?
                            LIMIT ? FOR UPDATE SKIP LOCKED)""")
                .params(Db.ts(now), Db.ts(now), limit)
                .update();
    }

    /** Filters of the admin lists; null means "any". */
    record Filter(
            boolean live,
            Instant now,
            @Nullable String keyLookup,
            @Nullable Long productId,
            @Nullable Instant since,
            @Nullable Instant until,
            @Nullable EndReason endReason) {}

    List<SessionView> list(Filter filter, int offset, int limit) {
        Map<String, Object> params = new HashMap<>();
        String where = where(filter, params);
        params.put("limit", limit);
        params.put("offset", offset);
        String order =
                filter.live() ? " ORDER BY s.started_at DESC, s.id DESC" : " ORDER BY s.ended_at DESC, s.id DESC";
        return jdbc.sql(VIEW + where + order + " LIMIT :limit OFFSET :offset")
                .params(params)
                .query((rs, n) -> view(rs, filter.now()))
                .list();
    }

    long count(Filter filter) {
        Map<String, Object> params = new HashMap<>();
        return jdbc.sql("SELECT COUNT(*) FROM sessions s JOIN licenses l ON l.id = s.license_id"
                        + where(filter, params))
                .params(params)
                .query(Long.class)
                .single();
    }

    /** The matching rows, counted up to {@code limit}. */
    long count(Filter filter, long limit) {
        Map<String, Object> params = new HashMap<>();
        params.put("countLimit", limit);
        return jdbc.sql("SELECT COUNT(*) FROM (SELECT 1 FROM sessions s JOIN licenses l ON l.id = s.license_id"
                        + where(filter, params) + " LIMIT :countLimit) c")
                .params(params)
                .query(Long.class)
                .single();
    }

    Optional<SessionView> view(long id, Instant now) {
        return jdbc.sql(VIEW + " WHERE s.id = ?")
                .param(id)
                .query((rs, n) -> view(rs, now))
                .optional();
    }

    private static String where(Filter f, Map<String, Object> params) {
        List<String> clauses = new ArrayList<>();
        params.put("now", Db.ts(f.now()));
        if (f.live()) {
            clauses.add("s.ended_at IS NULL AND s.live_until > :now");
        } else {
            clauses.add("s.ended_at IS NOT NULL");
        }
        if (f.keyLookup() != null) {
            clauses.add("l.key_lookup = :keyLookup");
            params.put("keyLookup", f.keyLookup());
        }
        if (f.productId() != null) {
            clauses.add("s.product_id = :productId");
            params.put("productId", f.productId());
        }
        if (f.since() != null) {
            clauses.add(f.live() ? "s.started_at >= :since" : "s.ended_at >= :since");
            params.put("since", Db.ts(f.since()));
        }
        if (f.until() != null) {
            clauses.add(f.live() ? "s.started_at < :until" : "s.ended_at < :until");
            params.put("until", Db.ts(f.until()));
        }
        if (f.endReason() != null) {
            clauses.add("s.end_reason = :endReason");
            params.put("endReason", f.endReason().wire());
        }
        return " WHERE " + String.join(" AND ", clauses);
    }

    private static SessionView view(ResultSet rs, Instant now) throws SQLException {
        Instant endedAt = Db.instant(rs, "ended_at");
        Instant liveUntil = Db.instant(rs, "live_until");
        return new SessionView(
                rs.getLong("id"),
                rs.getLong("product_id"),
                rs.getString("license_key"),
                rs.getString("customer"),
                rs.getLong("device_id"),
                rs.getString("hardware_hash"),
                rs.getString("machine_id"),
                rs.getString("device_name"),
                rs.getString("ip"),
                rs.getString("version"),
                Db.instant(rs, "started_at"),
                Db.instant(rs, "last_heartbeat"),
                endedAt == null && liveUntil != null && liveUntil.isAfter(now),
                endedAt,
                rs.getString("end_reason"));
    }

    private static SessionRow map(ResultSet rs, int row) throws SQLException {
        String reason = rs.getString("end_reason");
        return new SessionRow(
                rs.getLong("id"),
                rs.getObject("token", UUID.class),
                rs.getLong("product_id"),
                rs.getLong("license_id"),
                rs.getLong("device_id"),
                rs.getString("ip"),
                rs.getString("version"),
                Db.instant(rs, "started_at"),
                Db.instant(rs, "last_heartbeat"),
                Db.instant(rs, "live_until"),
                Db.instant(rs, "ended_at"),
                reason == null ? null : EndReason.parse(reason).orElseThrow());
    }
}
