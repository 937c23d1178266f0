package dev.licensor.server.resource;

import static org.assertj.core.api.Assertions.assertThat;

import dev.licensor.server.testing.AbstractPanelIT;
import dev.licensor.server.testing.Http;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.Select;
import org.openqa.selenium.support.ui.WebDriverWait;
import org.springframework.test.context.TestPropertySource;

/**
 * The resource pool's pages in a real Chromium, as an operator uses them: add one resource and a
 * pasted batch, quarantine one and make it available again, allocate it to a license from the
 * license page and release it there; a viewer sees the pool without a single write control.
 */
@TestPropertySource(properties = "licensor.rate-limit.login-per-minute=1000")
class ResourcePanelIT extends AbstractPanelIT {
    private final String run = UUID.randomUUID().toString().substring(0, 8);

    @Test
    void anAdministratorFillsThePoolAndAllocatesFromTheLicensePage() {
        String domain = "panel-" + run + ".example";
        asAdmin();
        browser.open("/admin/resources");
        new Select(browser.find("#resource-kind")).selectByValue("DOMAIN");
        browser.type("#resource-value", domain);
        browser.type("#resource-notes", "for the panel test");
        browser.click("#create-resource");
        browser.waitForText("#flash", domain);

        new Select(browser.find("#batch-kind")).selectByValue("DOMAIN");
        browser.type("#batch-values", "a-" + run + ".example\nb-" + run + ".example\n");
        browser.click("#create-batch");
        browser.waitForText("#flash", "2 resources added");
        browser.type("#resource-search", run);
        browser.click("#apply-filter");
        browser.waitForText("#resources", "b-" + run + ".example");
        assertThat(browser.text("#resources")).contains(domain, "a-" + run + ".example");

        // Quarantined and back on the resource's own page.
        browser.driver.findElement(By.linkText(domain)).click();
        browser.waitForText("#resource-status", "Available");
        String resourcePath = browser.path();
        browser.click("#quarantine");
        browser.waitForText("#resource-status", "Quarantined");
        browser.click("#make-available");
        browser.waitForText("#resource-status", "Available");

        // Allocated to a license from its page, then released there.
        TestProduct product = product();
        String key = licenseKey(product, Map.of());
        browser.open("/admin/licenses/" + key);
        new Select(browser.find("#allocate-resource-id")).selectByVisibleText("Domain: " + domain);
        browser.click("#allocate");
        browser.waitForText("#flash", "Resource allocated");
        assertThat(browser.text("#allocated-resources")).contains(domain);

        browser.open(resourcePath);
        assertThat(browser.text("#resource-status")).isEqualTo("Allocated");
        assertThat(browser.text("#allocations")).contains(key);

        browser.open("/admin/licenses/" + key);
        browser.find("#allocated-resources button").click();
        new WebDriverWait(browser.driver, Duration.ofSeconds(5)).until(ExpectedConditions.alertIsPresent());
        browser.driver.switchTo().alert().accept();
        browser.waitForText("#flash", "Resource released");
        assertThat(browser.text("#license-resources")).doesNotContain(domain);
        browser.open(resourcePath);
        assertThat(browser.text("#resource-status")).isNotEqualTo("Allocated");
        browser.screenshot("resource");
    }

    @Test
    void aViewerSeesThePoolWithoutWriteControls() {
        String domain = "viewer-" + run + ".example";
        Http.Response created = admin("POST", "/api/admin/resources", Map.of("kind", "DOMAIN", "value", domain));
        assertThat(created.status()).as(created.toString()).isEqualTo(201);
        String key = licenseKey(product(), Map.of());

        logInAsNew(Role.VIEWER);
        browser.open("/admin/resources?q=" + domain);
        browser.waitForText("#resources", domain);
        for (String control : List.of("#new-resource", "#batch-resources", "#import-resources", "#resources form")) {
            assertThat(browser.driver.findElements(By.cssSelector(control)))
                    .as(control)
                    .isEmpty();
        }
        browser.driver.findElement(By.linkText(domain)).click();
        browser.waitForText("#resource-status", "Available");
        for (String control : List.of("#save-resource", "#quarantine", "#make-available", "#delete")) {
            assertThat(browser.driver.findElements(By.cssSelector(control)))
                    .as(control)
                    .isEmpty();
        }
        browser.open("/admin/licenses/" + key);
        assertThat(browser.driver.findElements(By.cssSelector("#allocate-resource")))
                .isEmpty();
    }
}
