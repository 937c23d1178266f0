package dev.licensor.server.ops;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.sql.Connection;
import java.util.concurrent.atomic.AtomicInteger;
import javax.sql.DataSource;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;

/**
 * {@code licensor_database_up}: 1 while the database answers, 0 when it does not (SPEC §7's
 * "database unreachable" alert in deploy/prometheus/alerts.yml). Checked every 5 s off the scrape
 * (a check waiting for an unreachable database must not make the scrape itself time out).
 */
@Component
class DatabaseMetrics {
    private final DataSource dataSource;
    private final AtomicInteger up = new AtomicInteger(1);

    DatabaseMetrics(DataSource dataSource, MeterRegistry meters) {
        this.dataSource = dataSource;
        Gauge.builder("licensor.database.up", up, AtomicInteger::get)
                .description("1 while the database answers a validity check, 0 when it does not")
                .register(meters);
    }

    @Scheduled(fixedDelay = 5_000)
    void check() {
        try (Connection connection = dataSource.getConnection()) {
            up.set(connection.isValid(2) ? 1 : 0);
        } catch (Exception e) {
            up.set(0);
        }
    }
}
