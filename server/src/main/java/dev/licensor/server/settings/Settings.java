package dev.licensor.server.settings;

import dev.licensor.server.audit.AuditLog;
import dev.licensor.server.security.Actor;
import dev.licensor.server.support.Db;
import java.time.Clock;
import java.util.EnumMap;
import java.util.Map;
import org.springframework.core.env.Environment;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/**
 * Feature toggles, stored in the {@code settings} table. A stored value wins; without one the
 * toggle's configuration property decides (when it has one), else its built-in default — so the
 * panel always shows what is in force.
 */
@Service
public class Settings {
    private final JdbcClient jdbc;
    private final AuditLog audit;
    private final Clock clock;
    private final Environment environment;

    Settings(JdbcClient jdbc, AuditLog audit, Clock clock, Environment environment) {
        this.jdbc = jdbc;
        this.audit = audit;
        this.clock = clock;
        this.environment = environment;
    }

    /** Whether a toggle is on now. */
    public boolean enabled(Toggle toggle) {
        return jdbc.sql("SELECT setting_value FROM settings WHERE name = ?")
                .param(toggle.key())
                .query(String.class)
                .optional()
                .map(Boolean::parseBoolean)
                .orElseGet(() -> defaultValue(toggle));
    }

    private boolean defaultValue(Toggle toggle) {
        String property = toggle.property();
        return property == null
                ? toggle.defaultValue()
                : environment.getProperty(property, Boolean.class, toggle.defaultValue());
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
