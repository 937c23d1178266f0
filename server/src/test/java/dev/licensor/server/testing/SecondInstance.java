package dev.licensor.server.testing;

import dev.licensor.server.LicensorApplication;
import java.nio.file.Files;
import java.util.HashMap;
import java.util.Map;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.core.env.Environment;
import org.springframework.core.env.MapPropertySource;

/** Another server instance on another port, sharing the first one's database (as in a cluster). */
public final class SecondInstance implements AutoCloseable {
    private final ConfigurableApplicationContext context;
    private final boolean sharesInMemoryDatabase;

    private SecondInstance(ConfigurableApplicationContext context, boolean sharesInMemoryDatabase) {
        this.context = context;
        this.sharesInMemoryDatabase = sharesInMemoryDatabase;
    }

    /** Starts an instance on the database of {@code first}, with {@code extra} properties on top. */
    public static SecondInstance start(Environment first, Map<String, Object> extra) {
        Map<String, Object> props = new HashMap<>(extra);
        String url = first.getRequiredProperty("spring.datasource.url");
        props.put("spring.datasource.url", url);
        return run(props, url.startsWith("jdbc:h2:mem:"));
    }

    /**
     * Starts an instance on a database of its own (a fresh in-memory H2, or this run's
     * PostgreSQL), for tests that stop a server: closing an instance that shares an in-memory H2
     * database would close that database under the first instance too.
     */
    public static SecondInstance startAlone(Map<String, Object> extra) {
        return run(extra, false);
    }

    private static SecondInstance run(Map<String, Object> extra, boolean sharesInMemoryDatabase) {
        try {
            Map<String, Object> props =
                    new HashMap<>(TestDatabase.properties(Files.createTempDirectory("licensor-it2-")));
            props.put("server.port", "0");
            props.putAll(extra);
            ConfigurableApplicationContext context = new SpringApplicationBuilder(LicensorApplication.class)
                    .initializers(c -> {
                        c.getEnvironment()
                                .getPropertySources()
                                .addFirst(new MapPropertySource("secondInstance", props));
                        c.getEnvironment()
                                .getPropertySources()
                                .addLast(new MapPropertySource("licensorTestDefaults", TestDatabase.defaults()));
                    })
                    .run();
            return new SecondInstance(context, sharesInMemoryDatabase);
        } catch (java.io.IOException e) {
            throw new IllegalStateException(e);
        }
    }

    public int port() {
        return ((WebServerApplicationContext) context).getWebServer().getPort();
    }

    public Http http() {
        return new Http(port());
    }

    public <T> T bean(Class<T> type) {
        return context.getBean(type);
    }

    /**
     * Stops the instance. One that shares the first instance's in-memory H2 database only stops
     * serving: closing its context shuts that database down under the first instance (and every
     * later test of its context), so the context is closed when the test JVM exits.
     */
    @Override
    public void close() {
        if (sharesInMemoryDatabase) {
            ((WebServerApplicationContext) context).getWebServer().stop();
            context.registerShutdownHook();
        } else {
            context.close();
        }
    }
}
