package dev.licensor.server.testing;

import dev.licensor.server.security.AdminUsers;
import java.util.Locale;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.TestInstance;
import org.springframework.beans.factory.annotation.Autowired;

/**
 * Admin-panel tests in a real headless Chromium: one browser for the class, each test logging in
 * as the user it needs. Every log-in of a class comes from 127.0.0.1, so a class logging in more
 * than five times a minute raises {@code licensor.rate-limit.login-per-minute}.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
public abstract class AbstractPanelIT extends AbstractAdminIT {
    /** The password of the users {@link #logInAsNew} creates. */
    protected static final String PANEL_PASSWORD = "panel-password-123";

    protected Browser browser;

    @Autowired
    private AdminUsers users;

    @BeforeAll
    void startBrowser() {
        browser = new Browser(port);
    }

    @AfterAll
    void stopBrowser() {
        if (browser != null) {
            browser.close();
        }
    }

    /** Logs out, logs in as the user and waits for the dashboard. */
    protected void logIn(String username, String password) {
        browser.logout();
        browser.login(username, password);
        browser.waitForPath("/admin");
    }

    /** Logged in as the bootstrap administrator. */
    protected void asAdmin() {
        logIn("admin", TestDatabase.ADMIN_PASSWORD);
    }

    /** Follows the link {@code selector} (an export) with the browser's log-in, outside the browser. */
    protected Http.Response download(String selector) {
        java.net.URI href = java.net.URI.create(browser.find(selector).getAttribute("href"));
        String query = href.getRawQuery();
        return http.get(href.getRawPath() + (query == null ? "" : "?" + query), "Cookie", browser.cookieHeader());
    }

    /** A new panel user of the role (password {@link #PANEL_PASSWORD}), logged in; its username. */
    protected String logInAsNew(Role role) {
        String username = role.name().toLowerCase(Locale.ROOT) + "-"
                + UUID.randomUUID().toString().substring(0, 8);
        users.create(username, PANEL_PASSWORD, dev.licensor.server.security.Role.valueOf(role.name()));
        logIn(username, PANEL_PASSWORD);
        return username;
    }
}
