package dev.licensor.server.license;

import dev.licensor.server.product.Product;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import org.jspecify.annotations.Nullable;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

/** Builds {@link LicenseView}s: one query for the names and the device count. */
@Component
class LicenseViews {
    private final JdbcClient jdbc;
    private final ObjectProvider<LiveSessions> liveSessions;
    private final Clock clock;
    private volatile @Nullable String liveSessionsColumn;

    LicenseViews(JdbcClient jdbc, ObjectProvider<LiveSessions> liveSessions, Clock clock) {
        this.jdbc = jdbc;
        this.liveSessions = liveSessions;
        this.clock = clock;
    }

    record Names(@Nullable String type, @Nullable String licensedTo, int devicesUsed) {}

    /** The view's names and device count, as columns of a query over {@code licenses l}. */
    static final String NAME_COLUMNS =
            """
            t.name AS type_name, c.name AS customer_name, c.company AS customer_company,
            (SELECT COUNT(*) FROM devices d WHERE d.license_id = l.id AND d.status = 'ACTIVE') AS devices_used""";

    /** The joins {@link #NAME_COLUMNS} needs. */
    static final String NAME_JOINS =
            """
            LEFT JOIN license_types t ON t.id = l.license_type_id
            LEFT JOIN customers c ON c.id = l.customer_id""";

    static Names mapNames(ResultSet rs) throws SQLException {
        String company = rs.getString("customer_company");
        String name = rs.getString("customer_name");
        return new Names(
                rs.getString("type_name"),
                company != null && !company.isBlank() ? company : name,
                rs.getInt("devices_used"));
    }

    Names names(License license) {
        return jdbc.sql("SELECT " + NAME_COLUMNS + " FROM licenses l " + NAME_JOINS + " WHERE l.id = ?")
                .param(license.id())
                .query((rs, n) -> mapNames(rs))
                .optional()
                .orElse(new Names(null, null, 0));
    }

    /** Live sessions of a license; zero while no session feature is installed. */
    int liveSessions(long licenseId) {
        LiveSessions sessions = liveSessions.getIfAvailable();
        return sessions == null ? 0 : sessions.count(licenseId);
    }

    /**
     * The live-session count of license {@code l} as a column of a query; binds now (one {@code ?}).
     * Looked up once: verify asks for it on every call.
     */
    String liveSessionsColumn() {
        String column = liveSessionsColumn;
        if (column == null) {
            column = liveSessions.getObject().countSubquery("l.id");
            liveSessionsColumn = column;
        }
        return column;
    }

    LicenseView view(License license, Product product) {
        return view(license, names(license), liveSessions(license.id()), product);
    }

    /**
     * The view from names and a live-session count read together with the license
     * ({@link LicenseRepository#findForVerify}).
     */
    LicenseView view(License license, Names names, int liveSessions, Product product) {
        return new LicenseView(
                license.licenseKey(),
                product.name(),
                names.type(),
                license.displayStatus(clock.instant(), product.expiryGraceDays()),
                names.licensedTo(),
                license.createdAt(),
                license.activatedAt(),
                license.expiresAt(),
                license.deviceLimit(),
                names.devicesUsed(),
                license.concurrentSessionsLimit(),
                liveSessions,
                license.features(),
                license.singleUse());
    }
}
