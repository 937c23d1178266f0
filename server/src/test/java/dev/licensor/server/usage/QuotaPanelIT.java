package dev.licensor.server.usage;

import static org.assertj.core.api.Assertions.assertThat;

import dev.licensor.server.testing.AbstractPanelIT;
import dev.licensor.server.testing.Http;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.Alert;
import org.openqa.selenium.By;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.Select;
import org.openqa.selenium.support.ui.WebDriverWait;
import org.springframework.test.context.TestPropertySource;
import tools.jackson.databind.JsonNode;

/**
 * The usage quotas on the license page, in a real Chromium: SUPPORT and ADMIN set, replace and
 * remove quotas and see what the program used ({@code POST /api/license/usage}); a VIEWER sees
 * them and cannot change them; wrong input is refused with the reason and changes nothing. The
 * per-IP login limit is raised because every login of this class comes from 127.0.0.1.
 */
@TestPropertySource(properties = "licensor.rate-limit.login-per-minute=1000")
class QuotaPanelIT extends AbstractPanelIT {
    private static final DateTimeFormatter WHEN =
            DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm").withZone(ZoneOffset.UTC);

    // ---- helpers ----

    private Http.Response report(TestProduct product, String key, String metric, long amount) {
        return client(product, "/api/license/usage", Map.of("license_key", key, "metric", metric, "amount", amount));
    }

    /** Fills in and sends the set-quota form; {@code checked: false} skips the browser's own checks. */
    private void setQuota(String metric, String limit, String period, boolean checked) {
        browser.type("#quota-metric", metric);
        browser.type("#quota-limit", limit);
        new Select(browser.find("#quota-period")).selectByValue(period);
        if (!checked) {
            browser.driver.executeScript("document.getElementById('set-quota').noValidate = true");
        }
        browser.click("#set-quota-submit");
    }

    private String cell(String metric, String column) {
        return browser.text("tr.quota[data-metric='" + metric + "'] ." + column);
    }

    private Alert confirmation() {
        return new WebDriverWait(browser.driver, java.time.Duration.ofSeconds(5))
                .until(ExpectedConditions.alertIsPresent());
    }

    private JsonNode quotas(String key) {
        return items(adminGet("/api/admin/licenses/" + key + "/quotas"));
    }

    private List<String> actors(long licenseId, String action) {
        return jdbc.sql(
                        "SELECT actor FROM audit_log WHERE entity_type = 'license' AND entity_id = ? AND action = ? ORDER BY id")
                .params(String.valueOf(licenseId), action)
                .query(String.class)
                .list();
    }

    /** A POST a page does not offer, sent from the logged-in page with its CSRF token; the HTTP status. */
    private Object forcedPost(String path, String form) {
        return browser.driver.executeAsyncScript(
                """
                const done = arguments[arguments.length - 1];
                const token = document.querySelector('meta[name="csrf-token"]').content;
                fetch(arguments[0], {method: 'POST', redirect: 'manual',
                    headers: {'X-CSRF-TOKEN': token, 'Content-Type': 'application/x-www-form-urlencoded'},
                    body: arguments[1]}).then(r => done(r.status));""",
                path,
                form);
    }

    // ---- tests ----

    @Test
    void supportAndAdminSetSeeReplaceAndRemoveQuotas() {
        TestProduct product = product();
        JsonNode license = license(product, Map.of());
        String key = license.get("license_key").asString();
        long id = license.get("id").asLong();

        String support = logInAsNew(Role.SUPPORT);
        browser.open("/admin/licenses/" + key);
        assertThat(browser.text("#quotas-none")).contains("counted without a limit");
        setQuota("exports", "10", "MONTH", true);
        browser.waitForText("#flash", "Quota for exports saved.");
        assertThat(cell("exports", "limit")).isEqualTo("10");
        assertThat(cell("exports", "used")).isEqualTo("0");

        // The program uses some of it; a report past the quota is refused and counts nothing.
        assertThat(ok(report(product, key, "exports", 2)).get("used").asLong()).isEqualTo(2);
        JsonNode counted = ok(report(product, key, "exports", 3));
        assertThat(report(product, key, "exports", 6).code()).isEqualTo("QUOTA_EXCEEDED");
        browser.open("/admin/licenses/" + key);
        assertThat(cell("exports", "metric")).isEqualTo("exports");
        assertThat(cell("exports", "period")).isEqualTo("Month");
        assertThat(cell("exports", "limit")).isEqualTo("10");
        assertThat(cell("exports", "used")).isEqualTo("5");
        assertThat(cell("exports", "remaining")).isEqualTo("5");
        assertThat(cell("exports", "resets-at"))
                .isEqualTo(WHEN.format(Instant.parse(counted.get("resets_at").asString())));
        browser.screenshot("license-quotas");

        // An administrator replaces it with a lower limit (the count stays) and adds a lifetime quota.
        asAdmin();
        browser.open("/admin/licenses/" + key);
        setQuota("exports", "4", "MONTH", true);
        browser.waitForText("#flash", "Quota for exports saved.");
        assertThat(browser.driver.findElements(By.cssSelector("tr.quota"))).hasSize(1);
        assertThat(cell("exports", "limit")).isEqualTo("4");
        assertThat(cell("exports", "used")).isEqualTo("5");
        assertThat(cell("exports", "remaining")).isEqualTo("0");
        assertThat(report(product, key, "exports", 1).code()).isEqualTo("QUOTA_EXCEEDED");
        setQuota("seats", "1500", "TOTAL", true);
        browser.waitForText("#flash", "Quota for seats saved.");
        assertThat(cell("seats", "period")).isEqualTo("Total (lifetime)");
        assertThat(cell("seats", "limit")).isEqualTo("1,500");
        assertThat(cell("seats", "resets-at")).isEqualTo("never");
        JsonNode seats = ok(report(product, key, "seats", 1));
        assertThat(seats.get("limit").asLong()).isEqualTo(1500);
        assertThat(seats.get("period").asString()).isEqualTo("TOTAL");

        // Removing asks first; saying no keeps the quota.
        browser.click("tr.quota[data-metric='exports'] .quota-remove");
        Alert question = confirmation();
        assertThat(question.getText()).contains("Remove the quota for exports?");
        question.dismiss();
        assertThat(quotas(key)).hasSize(2);
        browser.click("tr.quota[data-metric='exports'] .quota-remove");
        confirmation().accept();
        browser.waitForText("#flash", "Quota for exports removed.");
        assertThat(browser.driver.findElements(By.cssSelector("tr.quota[data-metric='exports']")))
                .isEmpty();
        assertThat(cell("seats", "used")).isEqualTo("1");
        JsonNode left = quotas(key);
        assertThat(left).hasSize(1);
        assertThat(left.get(0).get("metric").asString()).isEqualTo("seats");
        // Without its quota the metric is counted without a limit again.
        assertThat(ok(report(product, key, "exports", 100)).get("limit").isNull())
                .isTrue();

        // Audited as the panel users who did it.
        assertThat(actors(id, "license.quota.set")).containsExactly("user:" + support, "user:admin", "user:admin");
        assertThat(actors(id, "license.quota.delete")).containsExactly("user:admin");
        browser.open("/admin/licenses/" + key);
        assertThat(browser.text(".audit-table")).contains("license.quota.delete");
    }

    @Test
    void aViewerSeesTheQuotasButNoFormAndCannotChangeThem() {
        TestProduct product = product();
        String key = licenseKey(product, Map.of());
        ok(admin("PUT", "/api/admin/licenses/" + key + "/quotas/exports", Map.of("limit", 10, "period", "DAY")));
        ok(report(product, key, "exports", 7));

        logInAsNew(Role.VIEWER);
        browser.open("/admin/licenses/" + key);
        assertThat(cell("exports", "period")).isEqualTo("Day");
        assertThat(cell("exports", "used")).isEqualTo("7");
        assertThat(cell("exports", "remaining")).isEqualTo("3");
        assertThat(browser.driver.findElements(By.id("set-quota"))).isEmpty();
        assertThat(browser.driver.findElements(By.cssSelector(".quota-remove"))).isEmpty();

        // Changes forced past the page (with a valid CSRF token) are refused by the server.
        assertThat(forcedPost("/admin/licenses/" + key + "/quotas", "metric=exports&limit=1&period=DAY"))
                .isEqualTo(403L);
        assertThat(forcedPost("/admin/licenses/" + key + "/quotas/exports/delete", ""))
                .isEqualTo(403L);
        JsonNode unchanged = quotas(key);
        assertThat(unchanged).hasSize(1);
        assertThat(unchanged.get(0).get("limit").asLong()).isEqualTo(10);

        // The German page names the section and its columns in German.
        Http.Response german =
                http.get("/admin/licenses/" + key, "Cookie", browser.cookieHeader(), "Accept-Language", "de-DE");
        assertThat(german.body())
                .contains("Nutzungskontingente")
                .contains("Verbraucht im Zeitraum")
                .contains("Tag");
    }

    @Test
    void wrongInputShowsTheReasonAndChangesNothing() {
        TestProduct product = product();
        JsonNode license = license(product, Map.of());
        String key = license.get("license_key").asString();
        long id = license.get("id").asLong();
        ok(admin("PUT", "/api/admin/licenses/" + key + "/quotas/exports", Map.of("limit", 10, "period", "MONTH")));
        int audited = auditActions("license", id).size();
        logInAsNew(Role.SUPPORT);

        // The browser's own checks would stop these; switched off, the server's rules answer.
        browser.open("/admin/licenses/" + key);
        setQuota("exports", "-5", "DAY", false);
        browser.waitForText("#flash", "limit: must be between 0 and 2000000000");
        assertThat(browser.find("#flash").getDomAttribute("class")).contains("alert-danger");
        assertThat(browser.path()).isEqualTo("/admin/licenses/" + key);

        browser.open("/admin/licenses/" + key);
        setQuota("exports", "3000000000", "DAY", false);
        browser.waitForText("#flash", "limit: must be between 0 and 2000000000");

        browser.open("/admin/licenses/" + key);
        setQuota("bad metric", "5", "DAY", false);
        browser.waitForText("#flash", "metric: letters, digits and _ . : - only");

        JsonNode unchanged = quotas(key);
        assertThat(unchanged).hasSize(1);
        assertThat(unchanged.get(0).get("limit").asLong()).isEqualTo(10);
        assertThat(unchanged.get(0).get("period").asString()).isEqualTo("MONTH");
        assertThat(cell("exports", "limit")).isEqualTo("10");
        assertThat(cell("exports", "period")).isEqualTo("Month");
        assertThat(auditActions("license", id)).hasSize(audited);

        // A quota removed elsewhere while the page was open: the remove button says so.
        browser.open("/admin/licenses/" + key);
        browser.find("tr.quota[data-metric='exports'] .quota-remove");
        assertThat(admin("DELETE", "/api/admin/licenses/" + key + "/quotas/exports", null)
                        .status())
                .isEqualTo(204);
        browser.click("tr.quota[data-metric='exports'] .quota-remove");
        confirmation().accept();
        browser.waitForText("#flash", "This license has no quota for exports.");
        assertThat(browser.text("#quotas-none")).contains("counted without a limit");
        // Only the admin API's removal was audited; the refused one changed nothing.
        assertThat(auditActions("license", id)).hasSize(audited + 1);
    }
}
