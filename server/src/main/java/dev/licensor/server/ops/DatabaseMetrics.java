package dev.licensor.server.ops;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.sql.Connection;
import java.util.Arrays;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import javax.sql.DataSource;
import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.MigrationInfo;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;

/**
 * {@code licensor_database_up}: 1 while the database answers, 0 when it does not (SPEC §7's
 * "database unreachable" alert in deploy/prometheus/alerts.yml). Checked every 5 s off the scrape
 * (a check waiting for an unreachable database must not make the scrape itself time out).
 *
 * <p>{@code licensor_database_created_timestamp_seconds}: when the schema was created (its first
 * migration), so the missing-backup alert can tell a fresh install, which has had no night for its
 * first backup yet, from one whose backups stopped.
 */
@Component
class DatabaseMetrics {
    private final DataSource dataSource;
    private final ObjectProvider<Flyway> flyway;
    private final AtomicInteger up = new AtomicInteger(1);
    private final AtomicLong created = new AtomicLong();

    DatabaseMetrics(DataSource dataSource, ObjectProvider<Flyway> flyway, MeterRegistry meters) {
        this.dataSource = dataSource;
        this.flyway = flyway;
        Gauge.builder("licensor.database.up", up, AtomicInteger::get)
                .description("1 while the database answers a validity check, 0 when it does not")
                .register(meters);
        Gauge.builder("licensor.database.created.timestamp", created, AtomicLong::get)
                .description("When the database schema was created, by its first migration (Unix time; 0: not known)")
                .baseUnit("seconds")
                .register(meters);
    }

    @Scheduled(fixedDelay = 5_000)
    void check() {
        try (Connection connection = dataSource.getConnection()) {
            up.set(connection.isValid(2) ? 1 : 0);
        } catch (Exception e) {
            up.set(0);
        }
        if (created.get() == 0 && up.get() == 1) {
            created.set(schemaCreated());
        }
    }

    /** The time of the first applied migration, in Unix seconds; 0 if there is none (or no Flyway). */
    long schemaCreated() {
        Flyway migrations = flyway.getIfAvailable();
        if (migrations == null) {
            return 0;
        }
        try {
            return Arrays.stream(migrations.info().applied())
                    .map(MigrationInfo::getInstalledOn)
                    .filter(Objects::nonNull)
                    .mapToLong(date -> date.toInstant().getEpochSecond())
                    .min()
                    .orElse(0);
        } catch (RuntimeException e) {
            return 0; // asked again at the next check
        }
    }
}
