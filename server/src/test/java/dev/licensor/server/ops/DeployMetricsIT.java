package dev.licensor.server.ops;

import static org.assertj.core.api.Assertions.assertThat;

import dev.licensor.server.testing.AbstractIT;
import dev.licensor.server.testing.Http;
import dev.licensor.server.testing.TestDatabase;
import io.micrometer.core.instrument.MeterRegistry;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.flywaydb.core.Flyway;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

/**
 * The alert rules and the Grafana dashboard shipped under deploy/ name only metrics a server
 * exports: a renamed metric would otherwise leave an alert that can never fire. The values the
 * alerts' own tests (deploy/prometheus/alerts.test.yml) assume are checked here where they come
 * from the server.
 */
class DeployMetricsIT extends AbstractIT {
    @Autowired
    DatabaseMetrics metrics;

    @Autowired
    MeterRegistry meters;

    @Autowired
    Flyway flyway;

    private static final Path DEPLOY = Path.of("..", "deploy");
    /** A series selector in a PromQL expression: a metric name directly followed by its labels. */
    private static final Pattern SELECTOR = Pattern.compile("([a-z_:][a-z0-9_:]*)\\{");
    /** Made by Prometheus itself, not by the server. */
    private static final Set<String> PROMETHEUS_OWN = Set.of("up");
    /** Only on PostgreSQL, where heartbeats are batched. */
    private static final Set<String> POSTGRES_ONLY = Set.of(
            "licensor_sessions_heartbeat_batch_size_heartbeats_sum",
            "licensor_sessions_heartbeat_batch_size_heartbeats_count");

    static Set<String> metricsNamedIn(Path file) throws IOException {
        Set<String> names = new TreeSet<>();
        Matcher m = SELECTOR.matcher(Files.readString(file));
        while (m.find()) {
            names.add(m.group(1));
        }
        names.removeAll(PROMETHEUS_OWN);
        return names;
    }

    @Test
    void everyMetricTheAlertsAndTheDashboardUseIsExported() throws IOException {
        // Traffic, so that the per-call metrics have their first series.
        TestProduct product = product(Map.of("auto_activate_on_session", true));
        String key = licenseKey(product, Map.of("concurrent_sessions_limit", 1));
        client(product, "/api/license/verify", Map.of("license_key", key));
        Http.Response started = client(
                product,
                "/api/license/session/start",
                Map.of("license_key", key, "machine_id", "m", "hardware_hash", "hw-metrics", "version", "1.0.0"));
        assertThat(started.status()).as(started.toString()).isEqualTo(200);
        Http.Response beat = client(
                product,
                "/api/license/session/heartbeat",
                Map.of("session_token", started.json().get("session_token").asString(), "license_key", key));
        assertThat(beat.status()).as(beat.toString()).isEqualTo(200);

        String exported = "\n" + http.get("/actuator/prometheus").body();

        Set<String> alerts = metricsNamedIn(DEPLOY.resolve("prometheus/alerts.yml"));
        Set<String> dashboard = metricsNamedIn(DEPLOY.resolve("grafana/dashboards/licensor.json"));
        assertThat(alerts).contains("licensor_database_up", "licensor_validations_total", "process_cpu_usage");
        assertThat(dashboard).contains("licensor_sessions_live", "licensor_sessions_heartbeats_total");
        for (String name : union(alerts, dashboard)) {
            if (POSTGRES_ONLY.contains(name) && !TestDatabase.postgres()) {
                continue;
            }
            assertThat(exported.contains("\n" + name + "{") || exported.contains("\n" + name + " "))
                    .as("%s is named in deploy/ but not exported", name)
                    .isTrue();
        }
    }

    @Test
    void theDatabaseTellsItsAgeSoAFreshInstallRaisesNoBackupAlert() {
        metrics.check();

        double created =
                meters.get("licensor.database.created.timestamp").gauge().value();
        Instant firstMigration = flyway.info().applied()[0].getInstalledOn().toInstant();
        assertThat((long) created).isEqualTo(firstMigration.getEpochSecond());
        assertThat(Instant.ofEpochSecond((long) created)).isBefore(Instant.now().plusSeconds(1));
    }

    private static List<String> union(Set<String> a, Set<String> b) {
        Set<String> all = new TreeSet<>(a);
        all.addAll(b);
        return List.copyOf(all);
    }
}
