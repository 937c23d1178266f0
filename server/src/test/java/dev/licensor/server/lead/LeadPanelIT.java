package dev.licensor.server.lead;

import static org.assertj.core.api.Assertions.assertThat;

import dev.licensor.server.testing.AbstractPanelIT;
import dev.licensor.server.testing.Http;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.Select;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * The leads pages in a real Chromium: an administrator creates a lead, adds a contact person, a
 * note (edited into a second version, both readable in its history), an activity and a tag,
 * filters and exports the list, and deletes the lead; a viewer sees the same pages without a
 * single write control; the pages speak German to a German browser.
 */
class LeadPanelIT extends AbstractPanelIT {
    private final String run = UUID.randomUUID().toString().substring(0, 8);

    private void acceptConfirm() {
        new WebDriverWait(browser.driver, Duration.ofSeconds(5)).until(ExpectedConditions.alertIsPresent());
        browser.driver.switchTo().alert().accept();
    }

    @Test
    void anAdministratorWorksALeadAndAViewerOnlyReadsIt() {
        asAdmin();
        browser.click("#nav-leads");
        browser.waitForPath("/admin/leads");

        String name = "Gymnasium " + run;
        browser.type("#lead-name", name);
        browser.type("#lead-city", "Hamburg");
        new Select(browser.find("#lead-status")).selectByValue("CONTACTED");
        browser.type("#lead-tags", " School, Pilot-" + run);
        browser.click("#create-lead");
        browser.waitForText("#flash", name);
        String detailPath = browser.path();
        assertThat(detailPath).matches("/admin/leads/\\d+");
        long id = Long.parseLong(detailPath.substring("/admin/leads/".length()));
        assertThat(browser.text("#lead-status-text")).isEqualTo("Contacted");
        assertThat(browser.text("#lead-tags")).contains("school", "pilot-" + run);

        // A contact person, a note edited into a second version, an activity with the person.
        browser.type("#contact-name", "Jane Roe");
        browser.type("#contact-position", "Head teacher");
        browser.type("#contact-email", "jane@school.example");
        browser.click("#add-contact-button");
        browser.waitForText("#flash", "Jane Roe");
        assertThat(browser.text("#contacts")).contains("Jane Roe", "Head teacher", "jane@school.example");

        browser.type("#note-text", "Interested in a pilot");
        browser.click("#add-note-button");
        browser.waitForText("#flash", "Note added");
        browser.click(".edit-note");
        WebElement edit = browser.find(".note-edit textarea");
        edit.clear();
        edit.sendKeys("Pilot starts in March");
        browser.click(".save-note");
        browser.waitForText("#notes", "Pilot starts in March");
        assertThat(browser.text(".note-history")).isEqualTo("2 versions");
        browser.click(".note-history");
        browser.waitForText("#note-versions", "Interested in a pilot");
        assertThat(browser.driver.findElements(By.cssSelector(".note-version .note-text")).stream()
                        .map(WebElement::getText)
                        .toList())
                .containsExactly("Pilot starts in March", "Interested in a pilot");
        browser.screenshot("lead-note-history");

        browser.open(detailPath);
        new Select(browser.find("#activity-kind")).selectByValue("MEETING");
        new Select(browser.find("#activity-contact")).selectByVisibleText("Jane Roe");
        browser.type("#activity-summary", "Demo in the staff room");
        browser.click("#add-activity-button");
        browser.waitForText("#flash", "Activity recorded");
        assertThat(browser.text("#activities")).contains("Meeting", "Jane Roe", "Demo in the staff room", "user:admin");

        browser.type("#new-tag", "Hot");
        browser.click("#add-tag-button");
        browser.waitForText("#lead-tags", "hot");
        browser.click("#lead-tags .remove-tag");
        browser.waitForText("#flash", "removed");
        browser.screenshot("lead");

        // The list: the tag filter and the status filter find it; the search by contact person too.
        browser.open("/admin/leads");
        new Select(browser.find("#filter-tag")).selectByValue("pilot-" + run);
        browser.click("#apply-filter");
        browser.waitForText("#leads", name);
        assertThat(browser.driver.findElements(By.cssSelector("#leads .lead-row")))
                .hasSize(1);
        browser.open("/admin/leads?q=" + run + "&status=WON");
        assertThat(browser.driver.findElements(By.cssSelector("#leads .lead-row")))
                .isEmpty();
        browser.open("/admin/leads?q=" + run + "&status=CONTACTED");
        assertThat(browser.text("#leads")).contains(name, "Hamburg", "Contacted");
        browser.type("#lead-search", "jane roe");
        browser.click("#apply-filter");
        browser.waitForText("#leads", name);
        browser.screenshot("leads");

        Http.Response csv = download("#export-leads");
        assertThat(csv.status()).isEqualTo(200);
        assertThat(csv.header("Content-Type")).startsWith("text/csv");
        assertThat(csv.body()).startsWith("id,name,website,city,country,status,customer_id,tags,created_at,updated_at");
        assertThat(csv.body()).contains(id + "," + name + ",,Hamburg,,CONTACTED,,");

        // German labels for a German browser.
        Http.Response german =
                http.send("GET", detailPath, null, "Cookie", browser.cookieHeader(), "Accept-Language", "de");
        assertThat(german.body()).contains("Ansprechpersonen", "Aktivitäten", "Kontaktiert", "2 Fassungen");

        // A viewer reads the same pages without a write control.
        logInAsNew(Role.VIEWER);
        browser.open(detailPath);
        browser.waitForText("#notes", "Pilot starts in March");
        assertThat(browser.text("#activities")).contains("Demo in the staff room");
        for (String control : List.of(
                "#save-lead",
                "#delete-lead",
                "#convert-lead",
                "#add-tag",
                "#add-contact",
                "#add-note",
                "#add-activity",
                ".edit-note",
                ".delete-note",
                ".delete-contact",
                ".delete-activity")) {
            assertThat(browser.driver.findElements(By.cssSelector(control)))
                    .as(control)
                    .isEmpty();
        }
        assertThat(browser.find("#lead-form fieldset").getAttribute("disabled")).isNotNull();
        browser.open("/admin/leads");
        browser.waitForText("#leads", name);
        assertThat(browser.driver.findElements(By.cssSelector("#new-lead"))).isEmpty();

        // Back as administrator: the lead becomes a customer, once.
        asAdmin();
        browser.open(detailPath);
        browser.click("#convert-lead");
        acceptConfirm();
        browser.waitForText("#flash", "is now a customer");
        assertThat(browser.text("#lead-status-text")).isEqualTo("Won");
        assertThat(browser.text("#lead-customer")).contains(name);
        assertThat(browser.driver.findElements(By.cssSelector("#convert-lead"))).isEmpty();

        // Deleting the lead takes it off the list (the customer stays).
        browser.click("#delete-lead");
        acceptConfirm();
        browser.waitForPath("/admin/leads");
        browser.waitForText("#flash", "Deleted");
        browser.open("/admin/leads?q=" + run);
        assertThat(browser.driver.findElements(By.cssSelector("#leads .lead-row")))
                .isEmpty();
        assertThat(jdbc.sql("SELECT COUNT(*) FROM lead_institutions WHERE id = ?")
                        .param(id)
                        .query(Long.class)
                        .single())
                .isZero();
    }
}
