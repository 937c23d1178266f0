package dev.licensor.server.session;

import dev.licensor.server.support.Db;
import javax.sql.DataSource;

/** Which database the server runs on, for the few statements that differ (PostgreSQL or H2). */
final class Vendor {
    private Vendor() {}

    static boolean postgres(DataSource dataSource) {
        return Db.postgres(dataSource);
    }
}
