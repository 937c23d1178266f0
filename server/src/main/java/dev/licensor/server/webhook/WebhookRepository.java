package dev.licensor.server.webhook;

import dev.licensor.server.support.Db;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.jspecify.annotations.Nullable;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.jdbc.support.GeneratedKeyHolder;
import org.springframework.stereotype.Repository;
import tools.jackson.databind.json.JsonMapper;

@Repository
class WebhookRepository {
    private static final String ENDPOINT_COLUMNS = "id, product_id, url, events, enabled, created_at, updated_at";
    private static final String DELIVERY_VIEW =
            """
            SELECT d.id, d.endpoint_id, d.product_id, e.url, d.event_type, d.event_id, d.status, d.attempts,
                d.next_attempt_at, d.last_status, d.last_error, d.created_at, d.delivered_at, d.payload
            FROM webhook_deliveries d JOIN webhook_endpoints e ON e.id = d.endpoint_id""";
    private static final String INSERT_DELIVERY =
            """
            INSERT INTO webhook_deliveries (endpoint_id, product_id, event_type, event_id, payload, status, attempts,
                next_attempt_at, created_at)
            VALUES (?, ?, ?, ?, ?, 'PENDING', 0, ?, ?)""";

    private final JdbcClient jdbc;
    private final JdbcTemplate template;
    private final JsonMapper json;

    WebhookRepository(JdbcClient jdbc, JdbcTemplate template, JsonMapper json) {
        this.jdbc = jdbc;
        this.template = template;
        this.json = json;
    }

    // Endpoints.

    List<Webhook> endpoints(long productId) {
        return jdbc.sql("SELECT " + ENDPOINT_COLUMNS + " FROM webhook_endpoints WHERE product_id = ? ORDER BY id")
                .param(productId)
                .query(WebhookRepository::endpoint)
                .list();
    }

    /** One page of the product's endpoints, in the order {@link #endpoints(long)} gives them. */
    List<Webhook> endpoints(long productId, int offset, int limit) {
        return jdbc.sql("SELECT " + ENDPOINT_COLUMNS
                        + " FROM webhook_endpoints WHERE product_id = ? ORDER BY id LIMIT ? OFFSET ?")
                .params(productId, limit, offset)
                .query(WebhookRepository::endpoint)
                .list();
    }

    long countEndpoints(long productId) {
        return jdbc.sql("SELECT COUNT(*) FROM webhook_endpoints WHERE product_id = ?")
                .param(productId)
                .query(Long.class)
                .single();
    }

    Optional<Webhook> endpoint(long productId, long id) {
        return jdbc.sql("SELECT " + ENDPOINT_COLUMNS + " FROM webhook_endpoints WHERE product_id = ? AND id = ?")
                .params(productId, id)
                .query(WebhookRepository::endpoint)
                .optional();
    }

    /** The ids of products with an enabled endpoint subscribed to the event. */
    List<Long> productsReceiving(EventType type) {
        return jdbc
                .sql("SELECT DISTINCT product_id, events FROM webhook_endpoints WHERE enabled = TRUE")
                .query((rs, n) -> Map.entry(rs.getLong("product_id"), events(rs.getString("events"))))
                .list()
                .stream()
                .filter(e -> e.getValue().contains(type.wire()))
                .map(Map.Entry::getKey)
                .distinct()
                .toList();
    }

    long insertEndpoint(long productId, String url, List<String> events, boolean enabled, Instant now) {
        GeneratedKeyHolder keys = new GeneratedKeyHolder();
        jdbc.sql(
                        """
                        INSERT INTO webhook_endpoints (product_id, url, events, enabled, created_at, updated_at)
                        VALUES (?, ?, ?, ?, ?, ?)""")
                .params(productId, url, String.join(",", events), enabled, Db.ts(now), Db.ts(now))
                .update(keys, "id");
        return keys.getKeyAs(Long.class);
    }

    void updateEndpoint(long id, String url, List<String> events, boolean enabled, Instant now) {
        jdbc.sql("UPDATE webhook_endpoints SET url = ?, events = ?, enabled = ?, updated_at = ? WHERE id = ?")
                .params(url, String.join(",", events), enabled, Db.ts(now), id)
                .update();
    }

    void deleteEndpoint(long id) {
        jdbc.sql("DELETE FROM webhook_endpoints WHERE id = ?").param(id).update();
    }

    // The outbox.

    /** A delivery to queue: one event for one endpoint. */
    record Outgoing(long endpointId, long productId, EventType type, UUID eventId, String payload) {}

    void insert(List<Outgoing> rows, Instant now) {
        if (rows.size() == 1) {
            Outgoing o = rows.getFirst();
            jdbc.sql(INSERT_DELIVERY)
                    .params(
                            o.endpointId(),
                            o.productId(),
                            o.type().wire(),
                            o.eventId(),
                            o.payload(),
                            Db.ts(now),
                            Db.ts(now))
                    .update();
            return;
        }
        template.batchUpdate(INSERT_DELIVERY, rows, 500, (ps, o) -> {
            ps.setLong(1, o.endpointId());
            ps.setLong(2, o.productId());
            ps.setString(3, o.type().wire());
            ps.setObject(4, o.eventId());
            ps.setString(5, o.payload());
            ps.setObject(6, Db.ts(now));
            ps.setObject(7, Db.ts(now));
        });
    }

    /** Inserts the delivery unless the endpoint already has one of this event; whether it did. */
    boolean insertOnce(Outgoing o, Instant now) {
        boolean exists = jdbc.sql("SELECT COUNT(*) FROM webhook_deliveries WHERE endpoint_id = ? AND event_id = ?")
                        .params(o.endpointId(), o.eventId())
                        .query(Long.class)
                        .single()
                > 0;
        if (exists) {
            return false;
        }
        insert(List.of(o), now);
        return true;
    }

    /** A claimed delivery, ready to send: its attempt number counts this attempt. */
    record Claimed(long id, String url, EventType type, UUID eventId, String payload, int attempt) {}

    /**
     * Claims up to {@code limit} due deliveries of enabled endpoints: counts the attempt and leases
     * them until {@code leaseUntil}. Rows another transaction holds are skipped (several instances
     * never claim the same row); the caller's transaction must commit before sending.
     */
    List<Claimed> claim(Instant now, int limit, Instant leaseUntil) {
        List<Long> ids = jdbc.sql(
                        """
                        SELECT id FROM webhook_deliveries
                        WHERE status = 'PENDING' AND next_attempt_at <= ?
                            AND endpoint_id IN (SELECT id FROM webhook_endpoints WHERE enabled = TRUE)
                        ORDER BY next_attempt_at, id
                        LIMIT ? FOR UPDATE SKIP LOCKED""")
                .params(Db.ts(now), limit)
                .query(Long.class)
                .list();
        if (ids.isEmpty()) {
            return List.of();
        }
        jdbc.sql("UPDATE webhook_deliveries SET attempts = attempts + 1, next_attempt_at = :lease WHERE id IN (:ids)")
                .param("lease", Db.ts(leaseUntil))
                .param("ids", ids)
                .update();
        return jdbc.sql(
                        """
                        SELECT d.id, e.url, d.event_type, d.event_id, d.payload, d.attempts
                        FROM webhook_deliveries d JOIN webhook_endpoints e ON e.id = d.endpoint_id
                        WHERE d.id IN (:ids) ORDER BY d.next_attempt_at, d.id""")
                .param("ids", ids)
                .query((rs, n) -> new Claimed(
                        rs.getLong("id"),
                        rs.getString("url"),
                        EventType.of(rs.getString("event_type")).orElse(EventType.TEST),
                        rs.getObject("event_id", UUID.class),
                        rs.getString("payload"),
                        rs.getInt("attempts")))
                .list();
    }

    /** Records a successful attempt, unless the row moved on meanwhile (retried by hand). */
    void delivered(long id, int attempt, int status, Instant now) {
        jdbc.sql(
                        """
                        UPDATE webhook_deliveries SET status = 'DELIVERED', delivered_at = ?, last_status = ?,
                            last_error = NULL
                        WHERE id = ? AND attempts = ? AND status = 'PENDING'""")
                .params(Db.ts(now), status, id, attempt)
                .update();
    }

    /** Records a failed attempt: due again at {@code next}, or {@code FAILED} when {@code next} is null. */
    void failed(long id, int attempt, @Nullable Integer status, String error, @Nullable Instant next) {
        jdbc.sql(
                        """
                        UPDATE webhook_deliveries SET status = ?, next_attempt_at = COALESCE(?, next_attempt_at),
                            last_status = ?, last_error = ?
                        WHERE id = ? AND attempts = ? AND status = 'PENDING'""")
                .params(
                        next == null ? Delivery.FAILED : Delivery.PENDING,
                        Db.ts(next),
                        status,
                        truncate(error, 500),
                        id,
                        attempt)
                .update();
    }

    /** Queues a delivery again, due now, with a fresh count of attempts. */
    void requeue(long id, Instant now) {
        jdbc.sql(
                        """
                        UPDATE webhook_deliveries SET status = 'PENDING', attempts = 0, next_attempt_at = ?,
                            delivered_at = NULL
                        WHERE id = ?""")
                .params(Db.ts(now), id)
                .update();
    }

    /** Deletes up to {@code limit} delivered or failed deliveries created before {@code before}; how many. */
    int purge(Instant before, int limit) {
        return jdbc.sql(
                        """
                        DELETE FROM webhook_deliveries WHERE id IN (
                            SELECT id FROM webhook_deliveries WHERE created_at < ? AND status <> 'PENDING' LIMIT ?)""")
                .params(Db.ts(before), limit)
                .update();
    }

    // The delivery log.

    record Filter(@Nullable Long productId, @Nullable Long webhookId, @Nullable String status) {}

    Optional<Delivery> delivery(long id) {
        return jdbc.sql(DELIVERY_VIEW + " WHERE d.id = ?")
                .param(id)
                .query(this::mapDelivery)
                .optional();
    }

    Optional<Delivery> delivery(long endpointId, UUID eventId) {
        return jdbc.sql(DELIVERY_VIEW + " WHERE d.endpoint_id = ? AND d.event_id = ?")
                .params(endpointId, eventId)
                .query(this::mapDelivery)
                .optional();
    }

    List<Delivery> deliveries(Filter filter, int offset, int limit) {
        Map<String, Object> params = new HashMap<>();
        String where = where(filter, params);
        params.put("limit", limit);
        params.put("offset", offset);
        return jdbc.sql(DELIVERY_VIEW + where + " ORDER BY d.created_at DESC, d.id DESC LIMIT :limit OFFSET :offset")
                .params(params)
                .query(this::mapDelivery)
                .list();
    }

    long count(Filter filter) {
        Map<String, Object> params = new HashMap<>();
        return jdbc.sql("SELECT COUNT(*) FROM webhook_deliveries d" + where(filter, params))
                .params(params)
                .query(Long.class)
                .single();
    }

    private static String where(Filter filter, Map<String, Object> params) {
        List<String> conditions = new ArrayList<>();
        if (filter.productId() != null) {
            conditions.add("d.product_id = :productId");
            params.put("productId", filter.productId());
        }
        if (filter.webhookId() != null) {
            conditions.add("d.endpoint_id = :webhookId");
            params.put("webhookId", filter.webhookId());
        }
        if (filter.status() != null) {
            conditions.add("d.status = :status");
            params.put("status", filter.status());
        }
        return conditions.isEmpty() ? "" : " WHERE " + String.join(" AND ", conditions);
    }

    private Delivery mapDelivery(ResultSet rs, int row) throws SQLException {
        String status = rs.getString("status");
        return new Delivery(
                rs.getLong("id"),
                rs.getLong("endpoint_id"),
                rs.getLong("product_id"),
                rs.getString("url"),
                rs.getString("event_type"),
                rs.getObject("event_id", UUID.class),
                status,
                rs.getInt("attempts"),
                Delivery.PENDING.equals(status) ? Db.instant(rs, "next_attempt_at") : null,
                Db.integer(rs, "last_status"),
                rs.getString("last_error"),
                Db.instant(rs, "created_at"),
                Db.instant(rs, "delivered_at"),
                json.readTree(rs.getString("payload")));
    }

    private static Webhook endpoint(ResultSet rs, int row) throws SQLException {
        return new Webhook(
                rs.getLong("id"),
                rs.getLong("product_id"),
                rs.getString("url"),
                events(rs.getString("events")),
                rs.getBoolean("enabled"),
                Db.instant(rs, "created_at"),
                Db.instant(rs, "updated_at"));
    }

    private static List<String> events(@Nullable String text) {
        return text == null || text.isBlank() ? List.of() : Arrays.asList(text.split(","));
    }

    static String truncate(String text, int max) {
        return text.length() <= max ? text : text.substring(0, max - 1) + "…";
    }
}
