package dev.licensor.server.backup;

import static org.assertj.core.api.Assertions.assertThat;

import dev.licensor.server.testing.AbstractPanelIT;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.test.context.TestPropertySource;

/**
 * The backups page in a real headless Chromium, as an administrator uses it: found in the
 * navigation, "Back up now", and a restore by upload confirmed with RESTORE. Other roles see no
 * link and are refused the page.
 */
@TestPropertySource(properties = "licensor.rate-limit.login-per-minute=1000")
class BackupPanelIT extends AbstractPanelIT {
    @Autowired
    private Backups backups;

    @Test
    void anAdministratorBacksUpAndRestoresFromThePanel() throws Exception {
        asAdmin();
        browser.click("#nav-backups");
        browser.waitForPath("/admin/backups");

        browser.click("#backup-now");
        browser.waitForText("#flash", "made");
        String name = backups.list(new dev.licensor.server.web.PageResponse.Paging(0, 1))
                .items()
                .getFirst()
                .name();
        assertThat(browser.text("#backups")).contains(name);
        browser.screenshot("backups");

        // A restore needs the typed word; the browser refuses the form without it.
        Path file = backups.file(name);
        Path upload = Files.createTempDirectory("licensor-upload-").resolve(name);
        Files.copy(file, upload);
        browser.find("#restore-file").sendKeys(upload.toAbsolutePath().toString());
        browser.type("#restore-confirm", "RESTORE");
        browser.click("#restore-submit");
        browser.waitForText("#flash", "restored");
        assertThat(browser.text("#flash")).contains("The replaced data is in licensor-backup-");
    }

    @Test
    void otherRolesNeitherSeeNorOpenThePage() {
        logInAsNew(Role.SUPPORT);
        assertThat(browser.driver.findElements(By.cssSelector("#nav-backups"))).isEmpty();
        browser.open("/admin/backups");
        assertThat(browser.driver.getPageSource()).doesNotContain("backup-now");
    }
}
