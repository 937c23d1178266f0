package dev.licensor.server.testing;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.HashMap;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicBoolean;
import org.springframework.context.ApplicationContextInitializer;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.core.env.MapPropertySource;

/**
 * Points a test context at the database of the current failsafe execution: a fresh in-memory H2
 * per context ({@code licensor.test.db=h2}, the default) or the real PostgreSQL
 * ({@code licensor.test.db=postgres}), whose schema is dropped once per JVM so every run starts
 * empty. A PostgreSQL that cannot be reached fails the tests: never a silent skip.
 */
public class TestDatabase implements ApplicationContextInitializer<ConfigurableApplicationContext> {
    public static final String ADMIN_TOKEN = "test-bootstrap-admin-token-0123456789";
    public static final String ADMIN_PASSWORD = "test-admin-password-123";

    private static final AtomicBoolean POSTGRES_RESET = new AtomicBoolean();

    /** Whether this run's integration tests use PostgreSQL. */
    public static boolean postgres() {
        return "postgres".equals(System.getProperty("licensor.test.db", "h2"));
    }

    /** The JDBC URL of the test PostgreSQL. */
    public static String postgresUrl() {
        String url = System.getenv("LICENSOR_TEST_POSTGRES_URL");
        return url == null || url.isBlank() ? "jdbc:postgresql://127.0.0.1:5432/test?user=postgres" : url;
    }

    /** Properties for a context on this run's database; {@code dataDir} holds secrets and files. */
    public static Map<String, Object> properties(Path dataDir) {
        Map<String, Object> props = new HashMap<>();
        if (postgres()) {
            resetPostgresOnce();
            props.put("spring.datasource.url", postgresUrl());
            props.put("spring.datasource.username", "");
            props.put("spring.datasource.password", "");
        } else {
            props.put(
                    "spring.datasource.url",
                    "jdbc:h2:mem:licensor-" + UUID.randomUUID()
                            + ";MODE=PostgreSQL;DATABASE_TO_LOWER=TRUE;DEFAULT_NULL_ORDERING=HIGH;DB_CLOSE_DELAY=-1");
        }
        // Several cached test contexts (and second instances) share one PostgreSQL: keep each pool
        // small and let idle connections go, or the server's max_connections runs out.
        props.put("spring.datasource.hikari.maximum-pool-size", "12");
        props.put("spring.datasource.hikari.minimum-idle", "1");
        if (postgres()) {
            props.put("spring.datasource.hikari.idle-timeout", "10000");
        } else {
            // H2 2.4 compiles a CHECK ... IN (...) constraint against the session that created it
            // (Flyway's connection): once the pool retires that connection, every insert into the
            // table fails with "Check constraint invalid ... database has been closed". In-memory
            // connections cost nothing, so the pool never retires one.
            props.put("spring.datasource.hikari.idle-timeout", "0");
            props.put("spring.datasource.hikari.max-lifetime", "0");
        }
        props.put("licensor.data-dir", dataDir.toString());
        props.put("LICENSOR_BOOTSTRAP_ADMIN_TOKEN", ADMIN_TOKEN);
        props.put("LICENSOR_BOOTSTRAP_ADMIN_PASSWORD", ADMIN_PASSWORD);
        props.put("LICENSOR_SECRET", "integration-test-secret-0123456789abcdef");
        return props;
    }

    /**
     * Defaults a test may override with its own properties: every test calls from 127.0.0.1, so the
     * production rate limits and the periodic anomaly scan (which would block a key-enumerating
     * address) are relaxed; the tests of those features set their own values and run the scan.
     */
    public static Map<String, Object> defaults() {
        Map<String, Object> props = new HashMap<>();
        props.put("licensor.rate-limit.ip-per-hour", "10000000");
        props.put("licensor.rate-limit.license-per-minute", "10000000");
        props.put("licensor.anomaly.scan-enabled", "false");
        return props;
    }

    @Override
    public void initialize(ConfigurableApplicationContext context) {
        try {
            Path dataDir = Files.createTempDirectory("licensor-it-");
            context.getEnvironment()
                    .getPropertySources()
                    .addFirst(new MapPropertySource("licensorTestDatabase", properties(dataDir)));
            context.getEnvironment()
                    .getPropertySources()
                    .addLast(new MapPropertySource("licensorTestDefaults", defaults()));
        } catch (java.io.IOException e) {
            throw new IllegalStateException(e);
        }
    }

    private static void resetPostgresOnce() {
        if (!POSTGRES_RESET.compareAndSet(false, true)) {
            return;
        }
        try (Connection c = DriverManager.getConnection(postgresUrl());
                Statement s = c.createStatement()) {
            s.execute("DROP SCHEMA IF EXISTS public CASCADE");
            s.execute("CREATE SCHEMA public");
        } catch (SQLException e) {
            throw new IllegalStateException(
                    "The integration tests need PostgreSQL at " + postgresUrl()
                            + " (set LICENSOR_TEST_POSTGRES_URL, or skip with -DskipPostgresITs)",
                    e);
        }
    }
}
