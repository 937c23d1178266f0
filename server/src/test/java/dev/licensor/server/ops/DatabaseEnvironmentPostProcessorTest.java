package dev.licensor.server.ops;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import org.springframework.boot.SpringApplication;
import org.springframework.mock.env.MockEnvironment;

class DatabaseEnvironmentPostProcessorTest {
    private final DatabaseEnvironmentPostProcessor processor = new DatabaseEnvironmentPostProcessor();

    @Test
    void translatesAPostgresqlUrlWithCredentials() {
        MockEnvironment env = new MockEnvironment()
                .withProperty(
                        "DATABASE_URL", "postgresql://lic%40user:p%3Ass@db.example:6543/licensor?sslmode=require");

        processor.postProcessEnvironment(env, new SpringApplication());

        assertThat(env.getProperty("spring.datasource.url"))
                .isEqualTo("jdbc:postgresql://db.example:6543/licensor?sslmode=require");
        assertThat(env.getProperty("spring.datasource.username")).isEqualTo("lic@user");
        assertThat(env.getProperty("spring.datasource.password")).isEqualTo("p:ss");
    }

    @Test
    void acceptsTheHerokuStyleSchemeAndADefaultPort() {
        assertThat(DatabaseEnvironmentPostProcessor.datasource("postgres://u@host/db"))
                .containsEntry("spring.datasource.url", "jdbc:postgresql://host:5432/db")
                .containsEntry("spring.datasource.username", "u")
                .containsEntry("spring.datasource.password", "");
    }

    @Test
    void explicitSpringDatasourceSettingsWin() {
        MockEnvironment env = new MockEnvironment()
                .withProperty("DATABASE_URL", "postgresql://u:p@host:5432/db")
                .withProperty("SPRING_DATASOURCE_URL", "jdbc:postgresql://other/db");

        processor.postProcessEnvironment(env, new SpringApplication());

        assertThat(env.getPropertySources().contains("licensorEnvironment")).isFalse();
    }

    @Test
    void mapsRedisAndTheSeedEraVariables() {
        MockEnvironment env = new MockEnvironment()
                .withProperty("REDIS_URL", "redis://cache:6379")
                .withProperty("API_RATE_LIMIT", "250")
                .withProperty("MAX_LOGIN_ATTEMPTS", "7")
                .withProperty("SESSION_LIFETIME_MINUTES", "45");

        processor.postProcessEnvironment(env, new SpringApplication());

        assertThat(env.getProperty("spring.data.redis.url")).isEqualTo("redis://cache:6379");
        assertThat(env.getProperty("licensor.redis.enabled")).isEqualTo("true");
        assertThat(env.getProperty("licensor.rate-limit.license-per-minute")).isEqualTo("250");
        assertThat(env.getProperty("licensor.admin.max-login-attempts")).isEqualTo("7");
        assertThat(env.getProperty("licensor.admin.session-lifetime-minutes")).isEqualTo("45");
    }

    @Test
    void refusesSomethingThatIsNotAPostgresqlUrl() {
        assertThatThrownBy(() -> DatabaseEnvironmentPostProcessor.datasource("mysql://u@h/db"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("postgresql://");
    }
}
