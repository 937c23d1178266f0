package dev.licensor.server.audit;

import dev.licensor.server.security.Actor;
import dev.licensor.server.support.Db;
import dev.licensor.server.support.RequestInfo;
import java.time.Clock;
import org.jspecify.annotations.Nullable;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Propagation;
import org.springframework.transaction.annotation.Transactional;
import tools.jackson.databind.json.JsonMapper;

/**
 * The audit log: one row per change made by a person or an admin token, written in the same
 * transaction as the change, so a change is never without its row. Never deleted by the
 * application.
 */
@Service
public class AuditLog {
    private final JdbcClient jdbc;
    private final JsonMapper json;
    private final Clock clock;

    AuditLog(JdbcClient jdbc, JsonMapper json, Clock clock) {
        this.jdbc = jdbc;
        this.json = json;
        this.clock = clock;
    }

    /** Records a change by the current actor; old and new values are stored as JSON. */
    @Transactional(propagation = Propagation.MANDATORY)
    public void record(
            String action,
            String entityType,
            @Nullable Object entityId,
            @Nullable Object oldValue,
            @Nullable Object newValue) {
        record(Actor.current(), action, entityType, entityId, oldValue, newValue);
    }

    @Transactional(propagation = Propagation.MANDATORY)
    public void record(
            Actor actor,
            String action,
            String entityType,
            @Nullable Object entityId,
            @Nullable Object oldValue,
            @Nullable Object newValue) {
        RequestInfo request = RequestInfo.current();
        jdbc.sql(
                        """
                        INSERT INTO audit_log (at, actor, action, entity_type, entity_id, old_value, new_value, ip, user_agent)
                        VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)""")
                .params(
                        Db.ts(clock.instant()),
                        actor.label(),
                        action,
                        entityType,
                        entityId == null ? null : String.valueOf(entityId),
                        oldValue == null ? null : json.writeValueAsString(oldValue),
                        newValue == null ? null : json.writeValueAsString(newValue),
                        request.ip(),
                        request.userAgent())
                .update();
    }
}
