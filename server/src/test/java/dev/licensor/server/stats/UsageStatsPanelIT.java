package dev.licensor.server.stats;

import static org.assertj.core.api.Assertions.assertThat;

import dev.licensor.server.testing.AbstractPanelIT;
import dev.licensor.server.testing.Http;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalTime;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.support.ui.WebDriverWait;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.test.context.TestPropertySource;

/**
 * The usage statistics in a real Chromium, as a VIEWER sees them: the 30-day chart on the license
 * and product pages and on the dashboard, the usage list it links to, and its CSV export.
 */
@TestPropertySource(properties = "licensor.rate-limit.login-per-minute=1000")
class UsageStatsPanelIT extends AbstractPanelIT {
    @Autowired
    private UsageDaily usage;

    /** The chart's series as drawn: [devices per day, minutes per day], oldest day first. */
    @SuppressWarnings("unchecked")
    private List<List<Number>> chart(String canvasId) {
        new WebDriverWait(browser.driver, Duration.ofSeconds(10))
                .until(d -> "true".equals(browser.find("#" + canvasId).getDomAttribute("data-drawn")));
        return (List<List<Number>>) browser.driver.executeScript(
                "return Chart.getChart(document.getElementById(arguments[0])).data.datasets.map(d => d.data)",
                canvasId);
    }

    private List<String> labels(String canvasId) {
        @SuppressWarnings("unchecked")
        List<String> labels = (List<String>) browser.driver.executeScript(
                "return Chart.getChart(document.getElementById(arguments[0])).data.labels", canvasId);
        return labels;
    }

    private void sessionOf(TestProduct product, long license, long device, Instant start, Duration length) {
        insertEndedSession(product, license, device, start, start.plus(length));
    }

    private long id(String sql, Object... params) {
        return jdbc.sql(sql).params(params).query(Long.class).single();
    }

    @Test
    void aViewerSeesTheLast30DaysOnTheLicenseAndProductPagesAndExportsThem() {
        TestProduct product = product(Map.of("name", "Usage Panel Product"));
        String key = licenseKey(product, Map.of("device_limit", 3, "concurrent_sessions_limit", 3));
        assertThat(activate(product, key, "hw-a").status()).isEqualTo(200);
        assertThat(activate(product, key, "hw-b").status()).isEqualTo(200);
        long license = id("SELECT id FROM licenses WHERE license_key = ?", key);
        long a = id("SELECT id FROM devices WHERE license_id = ? AND hardware_hash = 'hw-a'", license);
        long b = id("SELECT id FROM devices WHERE license_id = ? AND hardware_hash = 'hw-b'", license);
        LocalDate yesterday = usage.yesterday();
        LocalDate dayBefore = yesterday.minusDays(1);
        sessionOf(
                product,
                license,
                a,
                yesterday.atTime(LocalTime.of(10, 0)).toInstant(ZoneOffset.UTC),
                Duration.ofMinutes(90));
        sessionOf(
                product,
                license,
                b,
                yesterday.atTime(LocalTime.of(14, 0)).toInstant(ZoneOffset.UTC),
                Duration.ofMinutes(20));
        sessionOf(
                product,
                license,
                a,
                dayBefore.atTime(LocalTime.of(9, 0)).toInstant(ZoneOffset.UTC),
                Duration.ofMinutes(45));
        usage.computeDay(dayBefore);
        usage.computeDay(yesterday);

        logInAsNew(Role.VIEWER);
        browser.open("/admin/licenses/" + key);
        List<List<Number>> series = chart("license-usage-chart");
        List<String> days = labels("license-usage-chart");
        assertThat(days).hasSize(30).endsWith(dayBefore.toString(), yesterday.toString());
        assertThat(series.get(0)).hasSize(30);
        assertThat(series.get(0).subList(28, 30)).extracting(Number::longValue).containsExactly(1L, 2L);
        assertThat(series.get(1).subList(28, 30)).extracting(Number::longValue).containsExactly(45L, 110L);
        assertThat(series.get(1).subList(0, 28)).extracting(Number::longValue).containsOnly(0L);
        browser.screenshot("license-usage");

        browser.click("#license-usage-details");
        browser.waitForPath("/admin/usage-stats");
        List<WebElement> rows = browser.driver.findElements(By.cssSelector("#usage-rows tr.usage-row"));
        assertThat(rows).hasSize(2);
        assertThat(rows.get(0).findElement(By.cssSelector(".day")).getText()).isEqualTo(yesterday.toString());
        assertThat(rows.get(0).findElement(By.cssSelector(".devices")).getText())
                .isEqualTo("2");
        assertThat(rows.get(0).findElement(By.cssSelector(".minutes")).getText())
                .isEqualTo("110");
        assertThat(rows.get(1).findElement(By.cssSelector(".minutes")).getText())
                .isEqualTo("45");
        assertThat(browser.text("#usage-computed-through")).contains(yesterday.toString());
        assertThat(chart("usage-chart").get(1)).extracting(Number::longValue).endsWith(45L, 110L);
        browser.screenshot("usage-stats");

        String export = browser.find("#export-usage").getDomAttribute("href");
        Http.Response csv = http.get(export, "Cookie", browser.cookieHeader());
        assertThat(csv.status()).as(csv.toString()).isEqualTo(200);
        assertThat(csv.header("Content-Type")).startsWith("text/csv");
        assertThat(csv.body().split("\r\n"))
                .containsExactly(
                        "day,product_id,license_id,license_key,active_devices,session_minutes",
                        yesterday + "," + product.id() + "," + license + "," + key + ",2,110",
                        dayBefore + "," + product.id() + "," + license + "," + key + ",1,45");

        browser.open("/admin/products/" + product.id());
        assertThat(chart("product-usage-chart").get(1).subList(28, 30))
                .extracting(Number::longValue)
                .containsExactly(45L, 110L);
        browser.click("#product-usage-details");
        browser.waitForPath("/admin/usage-stats");
        assertThat(browser.driver.findElements(By.cssSelector("#usage-rows tr.usage-row")))
                .hasSize(2);

        // The dashboard shows every product together (other tests may have used the same days).
        browser.open("/admin");
        List<List<Number>> all = chart("dashboard-usage-chart");
        assertThat(labels("dashboard-usage-chart")).hasSize(30).endsWith(dayBefore.toString(), yesterday.toString());
        assertThat(all.get(0).get(29).longValue()).isGreaterThanOrEqualTo(2L);
        assertThat(all.get(1).get(28).longValue()).isGreaterThanOrEqualTo(45L);
        assertThat(all.get(1).get(29).longValue()).isGreaterThanOrEqualTo(110L);
        browser.screenshot("dashboard-usage");
        browser.click("#dashboard-usage-details");
        browser.waitForPath("/admin/usage-stats");
        assertThat(browser.driver.findElements(By.cssSelector("#usage-rows tr.usage-row")))
                .hasSizeGreaterThanOrEqualTo(2);
    }
}
