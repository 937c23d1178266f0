package dev.licensor.server.web.admin;

import static org.assertj.core.api.Assertions.assertThat;

import dev.licensor.server.abuse.Anomalies;
import dev.licensor.server.abuse.BlockedIps;
import dev.licensor.server.security.Totp;
import dev.licensor.server.support.Db;
import dev.licensor.server.testing.AbstractPanelIT;
import dev.licensor.server.testing.Http;
import dev.licensor.server.testing.TestDatabase;
import dev.licensor.server.web.PageResponse;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.Select;
import org.openqa.selenium.support.ui.WebDriverWait;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.test.context.TestPropertySource;
import tools.jackson.databind.JsonNode;

/**
 * The admin panel in a real headless Chromium: what an operator does, click by click. One browser
 * for the class; each test logs in as the user it needs. The per-IP login limit is raised here
 * because every login of this class comes from 127.0.0.1 (it has its own unit test).
 */
@TestPropertySource(properties = "licensor.rate-limit.login-per-minute=1000")
class PanelIT extends AbstractPanelIT {
    @Autowired
    Anomalies anomalies;

    @Autowired
    BlockedIps blockedIps;

    /** Creates a user through the users page (as admin) and logs out. */
    private void createUser(String username, String password, String role) {
        asAdmin();
        browser.open("/admin/users");
        browser.type("#new-username", username);
        browser.type("#new-password", password);
        new Select(browser.find("#new-role")).selectByValue(role);
        browser.click("#create-user");
        browser.waitForText("#flash", username);
        browser.logout();
    }

    @Test
    void firstLoginWithTheBootstrapPasswordShowsTheDashboard() {
        browser.logout();
        browser.open("/admin/licenses");
        browser.waitForPath("/admin/login");
        browser.login("admin", "wrong-password-1");
        assertThat(browser.text("#login-error")).contains("Wrong user name or password");

        browser.login("admin", TestDatabase.ADMIN_PASSWORD);
        // Back to the page that asked for the login.
        browser.waitForPath("/admin/licenses");
        browser.open("/admin");
        assertThat(browser.find("#fig-live-sessions").getText()).matches("\\d+");
        new WebDriverWait(browser.driver, Duration.ofSeconds(10))
                .until(d -> "true".equals(browser.find("#chart-activity").getDomAttribute("data-drawn")));
        browser.screenshot("dashboard");
    }

    @Test
    void createsAProductAndAnApiKeyThatTheClientApiAccepts() {
        asAdmin();
        String prefix = uniquePrefix();
        browser.open("/admin/products");
        browser.type("#name", "Panel Product " + prefix);
        browser.type("#keyPrefix", prefix);
        browser.type("#currentVersion", "1.2.0");
        browser.click("#create-product");
        browser.waitForText("#flash", "Panel Product " + prefix);

        browser.click("#create-api-key");
        String apiKey = browser.text("#new-api-key");
        assertThat(apiKey).startsWith(prefix + "-");
        browser.screenshot("product");
        Http.Response check = http.post("/api/version/check", Map.of("version", "1.0.0"), "X-API-Key", apiKey);
        assertThat(check.status()).as(check.toString()).isEqualTo(200);
        assertThat(check.json().get("update_available").asBoolean()).isTrue();

        // The key is shown once: after a reload only its hint is listed.
        browser.driver.navigate().refresh();
        assertThat(browser.driver.findElements(By.id("new-api-key"))).isEmpty();
        assertThat(browser.text("#api-keys")).contains(prefix + "-");
    }

    @Test
    void anAdminChangesTheKeyPrefixUntilTheFirstLicenseIsIssued() {
        TestProduct product = product();
        TestProduct other = product();
        String renamed = uniquePrefix();
        String path = "/admin/products/" + product.id();
        asAdmin();
        browser.open(path);
        assertThat(browser.find("#keyPrefix").getDomAttribute("readonly")).isNull();
        assertThat(browser.text("#key-prefix-hint")).contains("until the first license is issued");

        browser.type("#keyPrefix", renamed.toLowerCase(java.util.Locale.ROOT));
        browser.click("#save-product");
        browser.waitForText("#flash", "Saved.");
        assertThat(browser.find("#keyPrefix").getDomProperty("value")).isEqualTo(renamed);
        assertThat(prefixOf(product)).isEqualTo(renamed);

        // Another product's prefix: refused on the page, nothing changed.
        browser.type("#keyPrefix", other.prefix());
        browser.click("#save-product");
        browser.waitForText("#flash", "key_prefix: is already used by another product");
        assertThat(prefixOf(product)).isEqualTo(renamed);

        // A license issued while the page is open: the change is refused with the reason.
        browser.open(path);
        String key = licenseKey(product, Map.of());
        assertThat(key).startsWith(renamed + "-");
        browser.type("#keyPrefix", uniquePrefix());
        browser.click("#save-product");
        browser.waitForText("#flash", "the prefix can no longer be changed");
        assertThat(prefixOf(product)).isEqualTo(renamed);

        // From now on the page shows it read-only, says why, and sends it no more.
        browser.open(path);
        WebElement locked = browser.find("#keyPrefix");
        assertThat(locked.getDomAttribute("readonly")).isNotNull();
        assertThat(locked.getDomAttribute("name")).isNull();
        assertThat(locked.getDomProperty("value")).isEqualTo(renamed);
        assertThat(browser.text("#key-prefix-hint"))
                .isEqualTo("1 license key carries it, so it can no longer be changed.");
        browser.type("#currentVersion", "3.1.0");
        browser.click("#save-product");
        browser.waitForText("#flash", "Saved.");
        assertThat(ok(adminGet("/api/admin/products/" + product.id()))
                        .get("current_version")
                        .asString())
                .isEqualTo("3.1.0");
        assertThat(prefixOf(product)).isEqualTo(renamed);
        assertThat(auditActions("product", product.id()))
                .containsExactly("product.create", "product.update", "product.update");
    }

    private String prefixOf(TestProduct product) {
        return ok(adminGet("/api/admin/products/" + product.id()))
                .get("key_prefix")
                .asString();
    }

    @Test
    void createsACustomerAndABatchOfLicensesThenEditsAndSuspendsOne() {
        TestProduct product = product();
        asAdmin();
        browser.open("/admin/customers");
        browser.type("#customer-name", "Ada Lovelace " + product.prefix());
        browser.type("#customer-email", "ada-" + product.prefix().toLowerCase() + "@example.com");
        browser.click("#create-customer");
        browser.waitForText("#customer-title", "Ada Lovelace " + product.prefix());

        browser.click("a[href^='/admin/licenses/new']");
        new Select(browser.find("#productId")).selectByValue(String.valueOf(product.id()));
        browser.type("#count", "3");
        browser.type("#deviceLimit", "2");
        browser.click("#create-license");
        browser.waitForText("#flash", "3 licenses created");
        assertThat(browser.text("#pager-summary")).isEqualTo("1–3 of 3");
        List<WebElement> keys = browser.driver.findElements(By.cssSelector("#licenses td.key a"));
        assertThat(keys).hasSize(3);
        String key = keys.getFirst().getText();
        assertThat(key).startsWith(product.prefix() + "-");
        assertThat(browser.text("#licenses")).contains("Ada Lovelace " + product.prefix());

        // Quick inline edit of limits and notes, without leaving the list.
        WebElement row = browser.find("tr[id='row-" + key + "']");
        row.findElement(By.cssSelector(".quick-edit")).click();
        WebElement editRow = browser.find("tr.table-warning[id='row-" + key + "']");
        WebElement limit = editRow.findElement(By.name("deviceLimit"));
        limit.clear();
        limit.sendKeys("5");
        editRow.findElement(By.name("notes")).sendKeys("bought at the fair");
        browser.screenshot("licenses-inline-edit");
        editRow.findElement(By.cssSelector(".quick-save")).click();
        browser.waitForText("tr[id='row-" + key + "'] td.devices", "0 / 5");
        assertThat(browser.text("tr[id='row-" + key + "'] td.notes")).isEqualTo("bought at the fair");
        browser.screenshot("licenses");

        browser.open("/admin/licenses/" + key);
        browser.click("#suspend");
        browser.waitForText("#flash", "License suspended");
        assertThat(browser.text("#license-status")).isEqualTo("Suspended");
        browser.screenshot("license-detail");
        Http.Response api = adminGet("/api/admin/licenses/" + key);
        assertThat(api.json().get("status").asString()).isEqualTo("SUSPENDED");
        assertThat(api.json().get("device_limit").asInt()).isEqualTo(5);
        // The change is audited with the panel user as the actor.
        assertThat(browser.text(".audit-table")).contains("user:admin").contains("license.suspend");
    }

    @Test
    void showsALiveSessionStartedThroughTheClientApiAndTerminatesIt() {
        TestProduct product = product();
        String key = licenseKey(product, Map.of());
        Http.Response started = client(
                product,
                "/api/license/session/start",
                Map.of("license_key", key, "machine_id", "m-1", "hardware_hash", "hw-panel-1", "version", "1.0.0"));
        assertThat(started.status()).as(started.toString()).isEqualTo(200);
        String token = started.json().get("session_token").asString();

        asAdmin();
        browser.open("/admin/sessions");
        WebElement row = browser.find("a[href='/admin/licenses/" + key + "']").findElement(By.xpath("./ancestor::tr"));
        browser.screenshot("sessions");
        row.findElement(By.cssSelector(".terminate")).click();
        new WebDriverWait(browser.driver, Duration.ofSeconds(5)).until(ExpectedConditions.alertIsPresent());
        browser.driver.switchTo().alert().accept();
        browser.waitForText("#flash", "terminated");

        Http.Response beat =
                client(product, "/api/license/session/heartbeat", Map.of("session_token", token, "license_key", key));
        assertThat(beat.status()).as(beat.toString()).isEqualTo(410);
        assertThat(beat.json().get("end_reason").asString()).isEqualTo("forced");
        browser.open("/admin/sessions/history?licenseKey=" + key);
        assertThat(browser.text(".end-reason")).isEqualTo("forced");
    }

    @Test
    void aViewerSeesButCannotChange() {
        createUser("viewer1", "viewer-password-1", "VIEWER");
        browser.login("viewer1", "viewer-password-1");
        browser.waitForPath("/admin");
        browser.open("/admin/customers");
        assertThat(browser.driver.findElements(By.id("new-customer"))).isEmpty();
        // A change forced past the page (with a valid CSRF token) is refused by the server.
        Object status = browser.driver.executeAsyncScript(
                """
                const done = arguments[arguments.length - 1];
                const token = document.querySelector('meta[name="csrf-token"]').content;
                fetch('/admin/customers', {method: 'POST', redirect: 'manual',
                    headers: {'X-CSRF-TOKEN': token, 'Content-Type': 'application/x-www-form-urlencoded'},
                    body: 'name=Sneaky'}).then(r => done(r.status));""");
        assertThat(status).isEqualTo(403L);
        browser.open("/admin/users");
        assertThat(browser.driver.getPageSource()).doesNotContain("new-username");
        Http.Response customers = adminGet("/api/admin/customers?q=Sneaky");
        assertThat(customers.json().get("total").asLong()).isZero();
    }

    @Test
    void locksAnAccountAfterFiveFailedLogins() {
        createUser("locky", "locky-password-1", "SUPPORT");
        for (int i = 0; i < 5; i++) {
            browser.login("locky", "not-the-password-" + i);
        }
        assertThat(browser.find("#login-locked").getText()).contains("locked");
        browser.login("locky", "locky-password-1");
        assertThat(browser.find("#login-locked").getText()).contains("locked");
        assertThat(browser.path()).isEqualTo("/admin/login");

        // An administrator lifts the lock.
        asAdmin();
        browser.open("/admin/users");
        browser.find("#user-locky form[action$='/unlock'] button").click();
        browser.waitForText("#flash", "Saved");
        browser.logout();
        browser.login("locky", "locky-password-1");
        browser.waitForPath("/admin");
    }

    @Test
    void enrolsTotpAndLogsInWithACodeThenWithARecoveryCode() {
        createUser("totpuser", "totp-password-1", "ADMIN");
        browser.login("totpuser", "totp-password-1");
        browser.waitForPath("/admin");
        browser.open("/admin/account");
        browser.click("#totp-start");
        String secret = browser.text("#totp-secret");
        Boolean qrLoaded = (Boolean) browser.driver.executeScript(
                "const i = document.getElementById('totp-qr'); return i.complete && i.naturalWidth > 0;");
        assertThat(qrLoaded).isTrue();
        browser.screenshot("totp-enrolment");
        browser.type("#totp-code", Totp.code(secret, Totp.step(Instant.now())));
        browser.click("#totp-confirm");
        assertThat(browser.find("#totp-on").getText()).contains("on");
        List<String> codes = browser.driver.findElements(By.cssSelector("#recovery-codes li")).stream()
                .map(WebElement::getText)
                .toList();
        assertThat(codes).hasSize(10);

        browser.logout();
        browser.login("totpuser", "totp-password-1");
        browser.waitForPath("/admin/login/totp");
        browser.type("#code", "000000".equals(Totp.code(secret, 0)) ? "111111" : "000000");
        browser.click("#totp-submit");
        assertThat(browser.find("#totp-error").isDisplayed()).isTrue();
        // The enrolment used the current time step; a step is accepted once, so use the next one.
        browser.type("#code", Totp.code(secret, Totp.step(Instant.now()) + 1));
        browser.click("#totp-submit");
        browser.waitForPath("/admin");

        browser.logout();
        browser.login("totpuser", "totp-password-1");
        browser.waitForPath("/admin/login/totp");
        browser.type("#code", codes.getFirst());
        browser.click("#totp-submit");
        browser.waitForPath("/admin");

        // A recovery code works only once.
        browser.logout();
        browser.login("totpuser", "totp-password-1");
        browser.waitForPath("/admin/login/totp");
        browser.type("#code", codes.getFirst());
        browser.click("#totp-submit");
        assertThat(browser.find("#totp-error").isDisplayed()).isTrue();
    }

    @Test
    void exportsCustomersAsCsvAndImportsCustomersAndLegacyLicensesAllOrNothing() throws IOException {
        TestProduct product = product();
        String tag = product.prefix();
        asAdmin();

        Path bad = Files.createTempFile("customers-", ".csv");
        Files.writeString(bad, "name,email,company\nGrace " + tag + ",grace@example.com,Navy\n,nobody@example.com,\n");
        browser.open("/admin/customers/import");
        browser.find("#import-file").sendKeys(bad.toString());
        browser.click("#import-preview");
        assertThat(browser.text("#import-summary")).isEqualTo("2 rows, 1 errors");
        assertThat(browser.text("#import-rows tr.table-danger")).contains("name");
        assertThat(browser.driver.findElements(By.id("import-commit"))).isEmpty();
        assertThat(adminGet("/api/admin/customers?q=Grace%20" + tag)
                        .json()
                        .get("total")
                        .asLong())
                .isZero();

        Path good = Files.createTempFile("customers-", ".csv");
        Files.writeString(
                good,
                "name,email,company,test\nGrace " + tag + ",grace@example.com,\"Navy, US\",false\nAlan " + tag
                        + ",alan@example.com,Bletchley,true\n");
        browser.open("/admin/customers/import");
        browser.find("#import-file").sendKeys(good.toString());
        browser.click("#import-preview");
        assertThat(browser.text("#import-summary")).isEqualTo("2 rows, 0 errors");
        browser.screenshot("import-preview");
        browser.click("#import-commit");
        browser.waitForText("#flash", "2 rows imported");

        // Search as you type narrows the list without a page load.
        browser.open("/admin/customers");
        browser.type("#customer-search", "Grace " + tag);
        browser.waitForText("#customer-rows", "Navy, US");
        new WebDriverWait(browser.driver, Duration.ofSeconds(10))
                .until(d -> !browser.text("#customer-rows").contains("Alan " + tag));

        Http.Response csv = http.get("/admin/customers/export.csv?q=" + tag, "Cookie", browser.cookieHeader());
        assertThat(csv.status()).isEqualTo(200);
        assertThat(csv.header("Content-Type")).startsWith("text/csv");
        assertThat(csv.body().lines().findFirst().orElseThrow()).startsWith("id,name,email,company");
        assertThat(csv.body()).contains("Grace " + tag + ",grace@example.com,\"Navy, US\"");
        assertThat(csv.body()).contains("Alan " + tag);

        Path licenses = Files.createTempFile("licenses-", ".csv");
        Files.writeString(
                licenses,
                "product_id,license_key,device_limit,notes\n" + product.id() + ",OLD-" + tag
                        + "-1234,2,from the old shop\n" + product.id() + ",,1,\n");
        browser.open("/admin/licenses/import");
        browser.find("#import-file").sendKeys(licenses.toString());
        browser.click("#import-preview");
        assertThat(browser.text("#import-summary")).isEqualTo("2 rows, 0 errors");
        assertThat(browser.text("#import-rows")).contains("(legacy)");
        browser.click("#import-commit");
        browser.waitForText("#flash", "2 rows imported");
        Http.Response legacy = adminGet("/api/admin/licenses/OLD-" + tag + "-1234");
        assertThat(legacy.status()).as(legacy.toString()).isEqualTo(200);
        assertThat(legacy.json().get("legacy").asBoolean()).isTrue();

        Http.Response licenseCsv =
                http.get("/admin/licenses/export.csv?product=" + product.id(), "Cookie", browser.cookieHeader());
        assertThat(licenseCsv.body()).contains("OLD-" + tag + "-1234").contains("from the old shop");
    }

    @Test
    void anExportListsEveryRowOverManyPagesOfTheList() {
        String key = "EXPORT-" + uniquePrefix();
        int rows = 2 * PageResponse.MAX_SIZE + 234;
        Instant at = Instant.parse("2026-11-01T12:00:00Z");
        for (int i = 0; i < rows; i++) {
            jdbc.sql("INSERT INTO validation_log (at, license_key, action, result_code) VALUES (?, ?, 'verify', ?)")
                    .params(Db.ts(at.plusSeconds(i)), key, "CODE_" + i)
                    .update();
        }
        asAdmin();

        Http.Response csv =
                http.get("/admin/validations/export.csv?licenseKey=" + key, "Cookie", browser.cookieHeader());

        assertThat(csv.status()).isEqualTo(200);
        List<String> lines = csv.body().lines().toList();
        assertThat(lines).hasSize(rows + 1);
        assertThat(lines.get(1)).contains("CODE_" + (rows - 1)); // newest first
        assertThat(lines.getLast()).contains("CODE_0");
        assertThat(lines.stream().skip(1).distinct()).hasSize(rows);
    }

    @Test
    void speaksGermanWhenTheBrowserDoes() {
        asAdmin();
        // The panel follows Accept-Language; fetch a page as a German browser would.
        Http.Response page = http.get("/admin/licenses", "Cookie", browser.cookieHeader(), "Accept-Language", "de-DE");
        assertThat(page.body()).contains("Lizenzen").contains("CSV exportieren").doesNotContain("Export CSV");
    }

    @Test
    void tabletLayoutScreenshots() {
        asAdmin();
        browser.driver.manage().window().setSize(new org.openqa.selenium.Dimension(820, 1180));
        try {
            browser.open("/admin/licenses");
            browser.find("#licenses");
            browser.screenshot("licenses-tablet");
            browser.open("/admin/customers");
            browser.find("#customers");
            browser.screenshot("customers");
        } finally {
            browser.driver.manage().window().setSize(new org.openqa.selenium.Dimension(1366, 900));
        }
    }

    @Test
    void anAdminBlocksAnAddressRangeAndLiftsTheBlock() {
        String range = "198.51.100." + (16 * (int) (System.nanoTime() % 15)) + "/28";
        String inside = range.substring(0, range.lastIndexOf('.') + 1)
                + (Integer.parseInt(range.substring(range.lastIndexOf('.') + 1, range.indexOf('/'))) + 5);
        asAdmin();
        browser.open("/admin");
        browser.click("#nav-trust");
        browser.click("#nav-blocked-ips");
        browser.waitForPath("/admin/blocked-ips");
        browser.type("#block-address", range);
        browser.type("#block-reason", "scraping " + range);
        browser.click("#create-block");
        browser.waitForText("#flash", range + " blocked");
        WebElement row =
                browser.find("#blocked-ips").findElement(By.xpath(".//td[text()='" + range + "']/ancestor::tr"));
        assertThat(row.getText())
                .contains("scraping " + range)
                .contains("user:admin")
                .contains("permanent");
        assertThat(blockedIps.isBlocked(inside)).isTrue();
        browser.screenshot("blocked-ips");

        Http.Response csv = http.get("/admin/blocked-ips/export.csv", "Cookie", browser.cookieHeader());
        assertThat(csv.body().lines().findFirst().orElseThrow())
                .isEqualTo("id,address,reason,until,created_at,created_by");
        assertThat(csv.body()).contains(range + ",scraping " + range);

        row.findElement(By.cssSelector(".lift")).click();
        new WebDriverWait(browser.driver, Duration.ofSeconds(5)).until(ExpectedConditions.alertIsPresent());
        browser.driver.switchTo().alert().accept();
        browser.waitForText("#flash", "Block lifted");
        assertThat(browser.text("#blocked-ips")).doesNotContain(range);
        assertThat(blockedIps.isBlocked(inside)).isFalse();
        assertThat(jdbc.sql("SELECT actor FROM audit_log WHERE action = ? AND old_value LIKE ?")
                        .params("blocked_ip.delete", "%" + range + "%")
                        .query(String.class)
                        .list())
                .containsExactly("user:admin");
    }

    @Test
    void autoSuspendSwitchedOnInTheSettingsDrivesTheScanAndAnAdminResolvesTheAnomaly() {
        TestProduct product = product();
        JsonNode created = license(product, Map.of());
        long id = created.get("id").asLong();
        String key = created.get("license_key").asString();
        verifiedFrom(null, id, key, Instant.now().minus(Duration.ofMinutes(30)), "198.19.7.", 6);
        try {
            asAdmin();
            browser.open("/admin/settings");
            WebElement toggle = browser.find("[id='anomalies.auto-suspend']");
            assertThat(toggle.isSelected()).as("off by default").isFalse();
            toggle.click();
            browser.click("#save-settings");
            browser.waitForText("#flash", "Saved");

            anomalies.scan();
            assertThat(adminGet("/api/admin/licenses/" + key)
                            .json()
                            .get("status")
                            .asString())
                    .isEqualTo("SUSPENDED");

            browser.open("/admin");
            assertThat(Long.parseLong(browser.text("#fig-open-anomalies"))).isPositive();
            browser.open("/admin/licenses/" + key);
            assertThat(browser.text("#license-anomalies")).contains("too_many_ips");

            browser.open("/admin/anomalies");
            WebElement row =
                    browser.find("a[href='/admin/licenses/" + key + "']").findElement(By.xpath("./ancestor::tr"));
            assertThat(row.findElement(By.cssSelector(".rule")).getText()).isEqualTo("too_many_ips");
            assertThat(row.findElement(By.cssSelector(".evidence")).getText()).contains("distinct_ips");
            browser.screenshot("anomalies");
            row.findElement(By.cssSelector(".resolve")).click();
            browser.waitForText("#flash", "Anomaly on " + key + " resolved");
            assertThat(browser.driver.findElements(By.cssSelector("a[href='/admin/licenses/" + key + "']")))
                    .as("the open list no longer shows it")
                    .isEmpty();
            new Select(browser.find("#anomaly-status")).selectByValue("RESOLVED");
            browser.click("#anomaly-filter");
            WebElement resolved =
                    browser.find("a[href='/admin/licenses/" + key + "']").findElement(By.xpath("./ancestor::tr"));
            assertThat(resolved.getText()).contains("Resolved").contains("user:admin");
            assertThat(adminGet("/api/admin/licenses/" + key)
                            .json()
                            .get("suspicious")
                            .asBoolean())
                    .isFalse();
        } finally {
            jdbc.sql("DELETE FROM settings WHERE name = 'anomalies.auto-suspend'")
                    .update();
            // The scan may block addresses that tried unknown keys; never the test client's own.
            blockedIps.list(false, new PageResponse.Paging(0, 100)).items().stream()
                    .filter(b -> b.address().equals("127.0.0.1") || b.address().equals("0:0:0:0:0:0:0:1"))
                    .forEach(b -> blockedIps.delete(b.id()));
        }
    }
}
