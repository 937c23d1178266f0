package dev.licensor.server.ops;

import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;
import org.springframework.boot.EnvironmentPostProcessor;
import org.springframework.boot.SpringApplication;
import org.springframework.core.env.ConfigurableEnvironment;
import org.springframework.core.env.MapPropertySource;

/**
 * Translates the environment variables operators already know into Spring properties:
 * {@code DATABASE_URL=postgresql://user:pass@host:5432/db}, {@code REDIS_URL}, and the seed-era
 * variables ({@code SESSION_LIFETIME_MINUTES}, {@code LOGIN_RATE_LIMIT}, {@code API_RATE_LIMIT},
 * {@code MAX_LOGIN_ATTEMPTS}, {@code LOGIN_LOCKOUT_DURATION}). Explicit {@code SPRING_DATASOURCE_*}
 * settings win over {@code DATABASE_URL}.
 */
public class DatabaseEnvironmentPostProcessor implements EnvironmentPostProcessor {
    static final String SOURCE = "licensorEnvironment";

    @Override
    public void postProcessEnvironment(ConfigurableEnvironment env, SpringApplication application) {
        Map<String, Object> props = new HashMap<>();
        String databaseUrl = env.getProperty("DATABASE_URL");
        if (databaseUrl != null && !databaseUrl.isBlank() && env.getProperty("SPRING_DATASOURCE_URL") == null) {
            props.putAll(datasource(databaseUrl.strip()));
        }
        String redisUrl = env.getProperty("REDIS_URL");
        if (redisUrl != null && !redisUrl.isBlank()) {
            props.put("spring.data.redis.url", redisUrl.strip());
            props.put("licensor.redis.enabled", "true");
        }
        alias(env, props, "SESSION_LIFETIME_MINUTES", "licensor.admin.session-lifetime-minutes");
        alias(env, props, "LOGIN_RATE_LIMIT", "licensor.rate-limit.login-per-minute");
        alias(env, props, "API_RATE_LIMIT", "licensor.rate-limit.license-per-minute");
        alias(env, props, "MAX_LOGIN_ATTEMPTS", "licensor.admin.max-login-attempts");
        alias(env, props, "LOGIN_LOCKOUT_DURATION", "licensor.admin.lockout-minutes");
        if (!props.isEmpty()) {
            env.getPropertySources().addFirst(new MapPropertySource(SOURCE, props));
        }
    }

    /** The datasource properties for a {@code postgresql://user:pass@host:port/db?params} URL. */
    static Map<String, Object> datasource(String databaseUrl) {
        String normalized = databaseUrl.startsWith("postgres://")
                ? "postgresql://" + databaseUrl.substring("postgres://".length())
                : databaseUrl;
        if (normalized.startsWith("jdbc:")) {
            return Map.of("spring.datasource.url", normalized);
        }
        URI uri = URI.create(normalized);
        if (!"postgresql".equals(uri.getScheme()) || uri.getHost() == null) {
            throw new IllegalArgumentException("DATABASE_URL must look like postgresql://user:pass@host:5432/database");
        }
        Map<String, Object> props = new HashMap<>();
        int port = uri.getPort() > 0 ? uri.getPort() : 5432;
        String query = uri.getRawQuery() == null ? "" : "?" + uri.getRawQuery();
        props.put(
                "spring.datasource.url", "jdbc:postgresql://" + uri.getHost() + ":" + port + uri.getRawPath() + query);
        String userInfo = uri.getRawUserInfo();
        if (userInfo != null) {
            int colon = userInfo.indexOf(':');
            String user = colon >= 0 ? userInfo.substring(0, colon) : userInfo;
            props.put("spring.datasource.username", URLDecoder.decode(user, StandardCharsets.UTF_8));
            props.put(
                    "spring.datasource.password",
                    colon >= 0 ? URLDecoder.decode(userInfo.substring(colon + 1), StandardCharsets.UTF_8) : "");
        }
        return props;
    }

    private static void alias(
            ConfigurableEnvironment env, Map<String, Object> props, String variable, String property) {
        String value = env.getProperty(variable);
        if (value != null && !value.isBlank() && env.getProperty(property) == null) {
            props.put(property, value.strip());
        }
    }
}
