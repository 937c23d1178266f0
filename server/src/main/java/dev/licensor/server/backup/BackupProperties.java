package dev.licensor.server.backup;

import org.jspecify.annotations.Nullable;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * {@code licensor.backup.*}: where backups are kept ({@code dir}, default {@code <data
 * dir>/backups}), whether the daily job runs ({@code enabled}) and when ({@code cron}, Spring's
 * six-field form, server time zone), and for how many days backup files are kept.
 */
@ConfigurationProperties("licensor.backup")
public record BackupProperties(
        @Nullable String dir,
        @DefaultValue("true") boolean enabled,
        @DefaultValue("0 0 3 * * *") String cron,
        @DefaultValue("14") int retentionDays) {
    public BackupProperties {
        if (retentionDays < 1) {
            throw new IllegalArgumentException("licensor.backup.retention-days must be at least 1");
        }
    }
}
