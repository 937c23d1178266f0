package dev.licensor.server;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.context.properties.ConfigurationPropertiesScan;
import org.springframework.scheduling.annotation.EnableScheduling;

/** The Licensor server. */
@SpringBootApplication
@ConfigurationPropertiesScan
@EnableScheduling
public class LicensorApplication {
    public static void main(String[] args) {
        SpringApplication.run(LicensorApplication.class, args);
    }
}
