package dev.licensor.server.testing;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import org.openqa.selenium.By;
import org.openqa.selenium.Dimension;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * A real headless Chromium (Debian's {@code chromium} and {@code chromium-driver}) driven by
 * Selenium, one per test class. Screenshots go to {@code target/screenshots}, or to the directory
 * named by {@code -Dpanel.screenshots=...} (how {@code docs/screenshots} is refreshed).
 */
public final class Browser implements AutoCloseable {
    public final ChromeDriver driver;
    private final String base;
    private final Path userData;

    public Browser(int port) {
        System.setProperty("webdriver.chrome.driver", "/usr/bin/chromedriver");
        try {
            userData = Files.createTempDirectory("licensor-chromium-");
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
        ChromeOptions options = new ChromeOptions();
        options.setBinary("/usr/bin/chromium");
        options.addArguments(
                "--headless=new",
                "--no-sandbox",
                "--disable-gpu",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
                "--lang=en-US",
                "--user-data-dir=" + userData);
        driver = new ChromeDriver(options);
        driver.manage().window().setSize(new Dimension(1366, 900));
        base = "http://127.0.0.1:" + port;
    }

    public void open(String path) {
        driver.get(base + path);
    }

    public WebElement find(String css) {
        return new WebDriverWait(driver, Duration.ofSeconds(10))
                .until(ExpectedConditions.presenceOfElementLocated(By.cssSelector(css)));
    }

    public String text(String css) {
        return find(css).getText();
    }

    public void type(String css, String text) {
        WebElement e = find(css);
        e.clear();
        e.sendKeys(text);
    }

    /** Clicks the element once it is clickable; returns it. */
    public WebElement click(String css) {
        WebElement element = new WebDriverWait(driver, Duration.ofSeconds(10))
                .until(ExpectedConditions.elementToBeClickable(By.cssSelector(css)));
        // Long lists (a shared PostgreSQL holds every test's rows) put buttons far down the page:
        // bring the element to the middle so nothing at the viewport's edge covers it. Instantly:
        // Bootstrap makes scrolling smooth, and a click during the animation lands where the
        // element was ("element click intercepted").
        driver.executeScript("arguments[0].scrollIntoView({block: 'center', behavior: 'instant'})", element);
        element.click();
        return element;
    }

    public String path() {
        return java.net.URI.create(driver.getCurrentUrl()).getPath();
    }

    /** Waits until the page at {@code path} has loaded. */
    public void waitForPath(String path) {
        new WebDriverWait(driver, Duration.ofSeconds(10)).until(d -> path().equals(path));
    }

    public void waitForText(String css, String text) {
        new WebDriverWait(driver, Duration.ofSeconds(10))
                .until(ExpectedConditions.textToBePresentInElementLocated(By.cssSelector(css), text));
    }

    /**
     * Submits the log-in form and waits until its answer has replaced the page. Without the wait, a
     * caller that opens another page at once can cancel a submission the browser has not sent yet,
     * so a failed log-in would go uncounted (the likely cause of an account that once showed no
     * lock after five tries).
     */
    public void login(String username, String password) {
        open("/admin/login");
        type("#username", username);
        type("#password", password);
        WebElement submit = click("#login-submit");
        new WebDriverWait(driver, Duration.ofSeconds(10)).until(ExpectedConditions.stalenessOf(submit));
    }

    public void logout() {
        open("/admin");
        if (!driver.findElements(By.cssSelector("#logout")).isEmpty()) {
            // The button sits in the collapsed menu on narrow windows; submit its form directly.
            driver.executeScript("document.getElementById('logout').form.submit()");
            waitForPath("/admin/login");
        }
        driver.manage().deleteAllCookies();
    }

    /** The session cookie, to fetch downloads with a plain HTTP client. */
    public String cookieHeader() {
        StringBuilder header = new StringBuilder();
        driver.manage().getCookies().forEach(c -> header.append(c.getName())
                .append('=')
                .append(c.getValue())
                .append("; "));
        return header.toString();
    }

    public void screenshot(String name) {
        String dir = System.getProperty("panel.screenshots", "target/screenshots");
        try {
            Path target = Path.of(dir).resolve(name + ".png");
            Files.createDirectories(target.getParent());
            Files.copy(driver.getScreenshotAs(OutputType.FILE).toPath(), target, StandardCopyOption.REPLACE_EXISTING);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    @Override
    public void close() {
        driver.quit();
    }
}
