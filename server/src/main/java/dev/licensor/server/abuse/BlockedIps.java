package dev.licensor.server.abuse;

import dev.licensor.protocol.ErrorCode;
import dev.licensor.server.audit.AuditLog;
import dev.licensor.server.security.Actor;
import dev.licensor.server.support.Db;
import dev.licensor.server.support.Refreshing;
import dev.licensor.server.web.ApiException;
import dev.licensor.server.web.JsonFields;
import dev.licensor.server.web.PageResponse;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.jspecify.annotations.Nullable;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.jdbc.support.GeneratedKeyHolder;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;
import tools.jackson.databind.JsonNode;

/**
 * Addresses and CIDR ranges refused on the client API with {@code 403 IP_BLOCKED}, permanently or
 * until a time. Added and removed by administrators (audited) or by the key-enumeration rule. The
 * check uses an in-memory copy re-read every 5 s ({@link Refreshing}), so it costs a request no
 * query; a change takes effect at once on the instance that made it and within 10 s elsewhere.
 */
@Service
public class BlockedIps {
    private static final Duration REFRESH = Duration.ofSeconds(5);
    private static final Set<String> FIELDS = Set.of("address", "reason", "until");

    private final JdbcClient jdbc;
    private final AuditLog audit;
    private final Clock clock;
    private final Refreshing.Value<List<Entry>> cache =
            new Refreshing.Value<>(REFRESH, REFRESH.multipliedBy(2), this::load);

    BlockedIps(JdbcClient jdbc, AuditLog audit, Clock clock) {
        this.jdbc = jdbc;
        this.audit = audit;
        this.clock = clock;
    }

    /** A blocked address or range as the admin API shows it. */
    public record BlockedIp(
            long id,
            String address,
            @Nullable String reason,
            @Nullable Instant until,
            Instant createdAt,
            String createdBy) {}

    private record Entry(IpRange range, @Nullable Instant until) {}

    /** Whether a caller's address is blocked now. */
    public boolean isBlocked(String address) {
        Instant now = clock.instant();
        for (Entry entry : entries()) {
            if ((entry.until() == null || entry.until().isAfter(now))
                    && entry.range().contains(address)) {
                return true;
            }
        }
        return false;
    }

    /** Blocks currently in force (or all, with expired ones), newest first. */
    public PageResponse<BlockedIp> list(boolean includeExpired, PageResponse.Paging paging) {
        String where = includeExpired ? "" : " WHERE blocked_until IS NULL OR blocked_until > :now";
        List<BlockedIp> items = jdbc.sql("SELECT * FROM blocked_ips" + where
                        + " ORDER BY created_at DESC, id DESC LIMIT :limit OFFSET :offset")
                .param("now", Db.ts(clock.instant()))
                .param("limit", paging.size())
                .param("offset", paging.offset())
                .query(BlockedIps::map)
                .list();
        long total = jdbc.sql("SELECT COUNT(*) FROM blocked_ips" + where)
                .param("now", Db.ts(clock.instant()))
                .query(Long.class)
                .single();
        return PageResponse.of(items, paging, total);
    }

    /** {@code POST /api/admin/blocked-ips}: {@code {address, reason?, until?}}. */
    @Transactional
    public BlockedIp create(JsonNode body) {
        JsonFields fields = new JsonFields(body, FIELDS);
        String address = fields.string("address", 64, false);
        String reason = fields.string("reason", 500, true);
        Instant until = fields.instant("until", true);
        Optional<IpRange> range = address == null ? Optional.empty() : IpRange.parse(address);
        if (address != null && range.isEmpty()) {
            fields.error("address", "must be an IPv4 or IPv6 address or CIDR range such as 203.0.113.0/24");
        }
        if (until != null && !until.isAfter(clock.instant())) {
            fields.error("until", "must be in the future");
        }
        fields.validate();
        BlockedIp created = insert(
                range.orElseThrow().text(), reason, until, Actor.current().label());
        audit.record("blocked_ip.create", "blocked_ip", created.id(), null, created);
        return created;
    }

    /** Blocks an address on behalf of a detection rule (audited as the system). */
    @Transactional
    public BlockedIp blockByRule(String address, String reason, Instant until, String rule) {
        IpRange range = IpRange.parse(address).orElseThrow(() -> new IllegalArgumentException(address));
        BlockedIp created = insert(range.text(), reason, until, "rule:" + rule);
        audit.record(Actor.SYSTEM, "blocked_ip.create", "blocked_ip", created.id(), null, created);
        return created;
    }

    @Transactional
    public void delete(long id) {
        BlockedIp existing = jdbc.sql("SELECT * FROM blocked_ips WHERE id = ?")
                .param(id)
                .query(BlockedIps::map)
                .optional()
                .orElseThrow(() -> ApiException.of(ErrorCode.NOT_FOUND));
        jdbc.sql("DELETE FROM blocked_ips WHERE id = ?").param(id).update();
        clear(existing.address());
        audit.record("blocked_ip.delete", "blocked_ip", id, existing, null);
        cache.invalidate();
    }

    /**
     * Remembers that an administrator let the address in again, so that the key-enumeration rule
     * counts only its attempts from now on (see {@code Anomalies}).
     */
    private void clear(String address) {
        Instant now = clock.instant();
        int updated = jdbc.sql("UPDATE blocked_ip_clearances SET cleared_at = ? WHERE address = ?")
                .params(Db.ts(now), address)
                .update();
        if (updated == 0) {
            jdbc.sql("INSERT INTO blocked_ip_clearances (address, cleared_at) VALUES (?, ?)")
                    .params(address, Db.ts(now))
                    .update();
        }
    }

    private BlockedIp insert(String address, @Nullable String reason, @Nullable Instant until, String createdBy) {
        Instant now = clock.instant();
        GeneratedKeyHolder keys = new GeneratedKeyHolder();
        jdbc.sql(
                        """
                        INSERT INTO blocked_ips (address, reason, blocked_until, created_at, created_by)
                        VALUES (?, ?, ?, ?, ?)""")
                .params(address, reason, Db.ts(until), Db.ts(now), createdBy)
                .update(keys, "id");
        cache.invalidate();
        return new BlockedIp(keys.getKeyAs(Long.class), address, reason, until, now, createdBy);
    }

    private List<Entry> entries() {
        return cache.get();
    }

    private List<Entry> load() {
        return jdbc
                .sql("SELECT address, blocked_until FROM blocked_ips WHERE blocked_until IS NULL OR blocked_until > ?")
                .param(Db.ts(clock.instant()))
                .query((rs, n) -> IpRange.parse(rs.getString("address"))
                        .map(range -> {
                            try {
                                return new Entry(range, Db.instant(rs, "blocked_until"));
                            } catch (SQLException e) {
                                throw new IllegalStateException(e);
                            }
                        })
                        .orElse(null))
                .list()
                .stream()
                .filter(java.util.Objects::nonNull)
                .toList();
    }

    private static BlockedIp map(ResultSet rs, int row) throws SQLException {
        return new BlockedIp(
                rs.getLong("id"),
                rs.getString("address"),
                rs.getString("reason"),
                Db.instant(rs, "blocked_until"),
                Db.instant(rs, "created_at"),
                rs.getString("created_by"));
    }
}
