package dev.licensor.server;

import dev.licensor.server.backup.BackupCommand;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.context.properties.ConfigurationPropertiesScan;
import org.springframework.boot.security.autoconfigure.UserDetailsServiceAutoConfiguration;
import org.springframework.scheduling.annotation.EnableScheduling;

/**
 * The Licensor server. Spring Boot's default in-memory user is excluded: panel users live in the
 * database and the APIs use keys and tokens, so the random "security password" it would log at
 * every start is of no use and only misleads. {@code restore <backup.zip>} restores a backup instead
 * of starting the server ({@link BackupCommand}).
 */
@SpringBootApplication(exclude = UserDetailsServiceAutoConfiguration.class)
@ConfigurationPropertiesScan
@EnableScheduling
public class LicensorApplication {
    public static void main(String[] args) {
        if (BackupCommand.requested(args)) {
            System.exit(BackupCommand.run(args));
        }
        SpringApplication.run(LicensorApplication.class, args);
    }
}
