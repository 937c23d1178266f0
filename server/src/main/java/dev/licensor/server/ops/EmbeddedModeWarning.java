package dev.licensor.server.ops;

import javax.sql.DataSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.context.event.ApplicationReadyEvent;
import org.springframework.context.event.EventListener;
import org.springframework.stereotype.Component;

/** Says clearly, at start-up, when the server runs on the embedded database. */
@Component
class EmbeddedModeWarning {
    private static final Logger log = LoggerFactory.getLogger(EmbeddedModeWarning.class);

    private final DataSource dataSource;

    EmbeddedModeWarning(DataSource dataSource) {
        this.dataSource = dataSource;
    }

    @EventListener(ApplicationReadyEvent.class)
    void warn() throws java.sql.SQLException {
        try (var connection = dataSource.getConnection()) {
            String url = connection.getMetaData().getURL();
            if (url.startsWith("jdbc:h2:")) {
                log.warn(
                        "EMBEDDED MODE: running on the embedded H2 database ({}). Fine for trying Licensor and for small "
                                + "single-instance installs; set DATABASE_URL=postgresql://user:pass@host:5432/db for "
                                + "production and for running several instances.",
                        url);
            }
        }
    }
}
