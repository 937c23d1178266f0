package dev.licensor.server.settings;

import dev.licensor.server.audit.AuditLog;
import dev.licensor.server.security.Actor;
import dev.licensor.server.support.Db;
import java.time.Clock;
import java.util.EnumMap;
import java.util.Map;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/** Feature toggles, stored in the {@code settings} table; an absent row means the default. */
@Service
public class Settings {
    private final JdbcClient jdbc;
    private final AuditLog audit;
    private final Clock clock;

    Settings(JdbcClient jdbc, AuditLog audit, Clock clock) {
        this.jdbc = jdbc;
        this.audit = audit;
        this.clock = clock;
    }

    public boolean enabled(Toggle toggle) {
        return jdbc.sql("SELECT setting_value FROM settings WHERE name = ?")
                .param(toggle.key())
                .query(String.class)
                .optional()
                .map(Boolean::parseBoolean)
                .orElse(toggle.defaultValue());
    }

    public Map<Toggle, Boolean> toggles() {
        Map<Toggle, Boolean> all = new EnumMap<>(Toggle.class);
        for (Toggle t : Toggle.values()) {
            all.put(t, enabled(t));
        }
        return all;
    }

    @Transactional
    public void set(Toggle toggle, boolean enabled) {
        boolean before = enabled(toggle);
        if (before == enabled) {
            return;
        }
        int updated = jdbc.sql("UPDATE settings SET setting_value = ?, updated_at = ?, updated_by = ? WHERE name = ?")
                .params(
                        String.valueOf(enabled),
                        Db.ts(clock.instant()),
                        Actor.current().label(),
                        toggle.key())
                .update();
        if (updated == 0) {
            jdbc.sql("INSERT INTO settings (name, setting_value, updated_at, updated_by) VALUES (?, ?, ?, ?)")
                    .params(
                            toggle.key(),
                            String.valueOf(enabled),
                            Db.ts(clock.instant()),
                            Actor.current().label())
                    .update();
        }
        audit.record("setting.update", "setting", toggle.key(), Map.of("value", before), Map.of("value", enabled));
    }
}
