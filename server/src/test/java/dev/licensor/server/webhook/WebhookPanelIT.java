package dev.licensor.server.webhook;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;
import dev.licensor.server.testing.AbstractPanelIT;
import dev.licensor.server.testing.MutableClockConfig;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.WebDriverWait;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.webmvc.test.autoconfigure.AutoConfigureMockMvc;
import org.springframework.context.annotation.Import;
import org.springframework.test.context.TestPropertySource;

/**
 * The webhooks section of the product page (loaded by htmx) and the delivery log, in a real
 * Chromium: an administrator adds an endpoint, sends a test event, sees it delivered, disables and
 * deletes the endpoint. Same context as {@link WebhookIT}.
 */
@Import(MutableClockConfig.class)
@AutoConfigureMockMvc
@TestPropertySource(
        properties = {
            "licensor.webhooks.poll-interval=1h",
            "licensor.webhooks.expiring-soon-cron=-",
            "licensor.webhooks.max-attempts=3",
            "licensor.webhooks.request-timeout=3s"
        })
class WebhookPanelIT extends AbstractPanelIT {
    private final List<String> received = new CopyOnWriteArrayList<>();
    private HttpServer receiver;

    @Autowired
    WebhookSender sender;

    @BeforeAll
    void start() throws IOException {
        receiver = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        receiver.createContext("/", exchange -> {
            received.add(exchange.getRequestHeaders().getFirst("X-Licensor-Event"));
            exchange.getRequestBody().readAllBytes();
            exchange.sendResponseHeaders(204, -1);
            exchange.close();
        });
        receiver.start();
    }

    @AfterAll
    void stop() {
        receiver.stop(0);
    }

    @Test
    void anAdministratorAddsTestsDisablesAndDeletesAWebhook() {
        TestProduct product = product();
        String url = "http://127.0.0.1:" + receiver.getAddress().getPort() + "/panel-hook";
        asAdmin();

        browser.open("/admin/products/" + product.id());
        browser.type("#webhook-url", url);
        browser.click("input[name=events][value='license.created']");
        browser.click("input[name=events][value='session.limit_reached']");
        browser.click("#create-webhook");
        browser.waitForText("#flash", url);
        browser.waitForText("#webhook-list", "session.limit_reached");
        assertThat(browser.text("#webhook-list"))
                .contains(url, "license.created")
                .doesNotContain("license.activated");
        browser.screenshot("product-webhooks");

        browser.click(".webhook-test");
        browser.waitForText("#flash", "Test event queued");
        sender.deliverDue();
        assertThat(received).containsExactly("webhook.test");

        browser.click("#webhook-log-link");
        browser.waitForText("#deliveries", "webhook.test");
        assertThat(browser.text(".delivery-status")).isEqualTo("Delivered");
        assertThat(browser.text(".attempts")).isEqualTo("1");
        browser.screenshot("webhook-deliveries");
        String csv = download("#export-deliveries").body();
        assertThat(csv.lines().findFirst().orElseThrow())
                .isEqualTo("id,created_at,product_id,webhook_id,url,event_type,event_id,status,attempts,last_status,"
                        + "last_error,next_attempt_at,delivered_at");
        assertThat(csv.lines().filter(line -> line.contains(url)).toList())
                .singleElement()
                .satisfies(line -> assertThat(line).contains(",webhook.test,", ",DELIVERED,1,204,"));

        browser.open("/admin/products/" + product.id());
        browser.click(".webhook-toggle");
        browser.waitForText(".webhook-state", "disabled");
        assertThat(browser.driver.findElements(By.cssSelector(".webhook-test"))).isEmpty();

        browser.click(".webhook-delete");
        new WebDriverWait(browser.driver, Duration.ofSeconds(5)).until(ExpectedConditions.alertIsPresent());
        browser.driver.switchTo().alert().accept();
        browser.waitForText("#flash", "Webhook deleted");
        browser.waitForText("#webhook-list", "None.");
    }
}
