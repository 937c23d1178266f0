package dev.licensor.server.web.admin;

import static org.assertj.core.api.Assertions.assertThat;
import static org.springframework.security.test.web.servlet.request.SecurityMockMvcRequestPostProcessors.user;

import dev.licensor.server.testing.AbstractIT;
import dev.licensor.server.testing.Http;
import dev.licensor.server.testing.TestDatabase;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.webmvc.test.autoconfigure.AutoConfigureMockMvc;
import org.springframework.test.web.servlet.MockMvc;
import org.springframework.test.web.servlet.request.MockMvcRequestBuilders;

/**
 * A measurement, not a pass/fail timing: with 100 000 licenses stored, how long the panel's list
 * pages take on the server (controller, queries and template, without the network). Runs only
 * with {@code -Dpanel.timing=true}; the figures go to stdout and {@code target/panel-timings.txt}
 * and are recorded in docs/PERFORMANCE.md.
 */
@AutoConfigureMockMvc
class PanelListTimingIT extends AbstractIT {
    private static final int LICENSES = 100_000;
    private static final int RUNS = 30;

    @Autowired
    private MockMvc mvc;

    @Test
    void listPagesWithOneHundredThousandLicenses() throws Exception {
        Assumptions.assumeTrue(Boolean.getBoolean("panel.timing"), "a measurement: run with -Dpanel.timing=true");
        TestProduct product = product();
        Http.Response customer = admin("POST", "/api/admin/customers", Map.of("name", "Timing Customer"));
        long customerId = customer.json().get("id").asLong();
        long start = System.nanoTime();
        for (int done = 0; done < LICENSES; done += 10_000) {
            Http.Response batch = admin(
                    "POST",
                    "/api/admin/licenses/batch",
                    Map.of("product_id", product.id(), "count", 10_000, "customer_id", customerId, "device_limit", 3));
            assertThat(batch.status()).as(batch.toString()).isEqualTo(201);
        }
        long insertMs = (System.nanoTime() - start) / 1_000_000;
        if (TestDatabase.postgres()) {
            jdbc.sql("ANALYZE").update();
        }
        String key = jdbc.sql("SELECT license_key FROM licenses ORDER BY id DESC LIMIT 1")
                .query(String.class)
                .single();
        List<String> report = new ArrayList<>();
        report.add((TestDatabase.postgres() ? "PostgreSQL" : "H2") + ": inserted " + LICENSES + " licenses in "
                + insertMs + " ms");
        for (String path : List.of(
                "/admin/licenses",
                "/admin/licenses?page=1000",
                "/admin/licenses?status=ACTIVE&product=" + product.id(),
                "/admin/licenses?expiring=30",
                "/admin/licenses?q=" + key.substring(0, 12),
                "/admin/customers/" + customerId,
                "/admin/licenses/" + key,
                "/admin")) {
            List<Double> ms = new ArrayList<>();
            for (int i = 0; i < RUNS + 3; i++) {
                long t = System.nanoTime();
                int status = mvc.perform(MockMvcRequestBuilders.get(path)
                                .with(user("timing").roles("ADMIN")))
                        .andReturn()
                        .getResponse()
                        .getStatus();
                assertThat(status).as(path).isEqualTo(200);
                if (i >= 3) {
                    ms.add((System.nanoTime() - t) / 1e6);
                }
            }
            Collections.sort(ms);
            report.add(String.format(
                    "%-50s median %6.1f ms   p95 %6.1f ms   max %6.1f ms",
                    path.replace(key.substring(0, 12), "<key prefix>"),
                    ms.get(ms.size() / 2),
                    ms.get((int) (ms.size() * 0.95) - 1),
                    ms.getLast()));
        }
        report.forEach(System.out::println);
        write(report);
    }

    private static void write(List<String> lines) throws IOException {
        Path file = Path.of("target/panel-timings.txt");
        Files.write(file, lines, StandardOpenOption.CREATE, StandardOpenOption.APPEND);
    }
}
