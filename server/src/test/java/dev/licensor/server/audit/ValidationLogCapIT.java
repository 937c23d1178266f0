package dev.licensor.server.audit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.springframework.security.test.web.servlet.request.SecurityMockMvcRequestPostProcessors.user;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;

import dev.licensor.server.testing.AbstractAdminIT;
import dev.licensor.server.web.PageResponse;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.webmvc.test.autoconfigure.AutoConfigureMockMvc;
import org.springframework.test.web.servlet.MockMvc;
import tools.jackson.databind.JsonNode;

/**
 * The validation log can hold hundreds of millions of rows: its list counts at most
 * {@link PageResponse#COUNT_CAP} of them (or one past the page asked for) and says so.
 */
@AutoConfigureMockMvc
class ValidationLogCapIT extends AbstractAdminIT {
    @Autowired
    ValidationLog validationLog;

    @Autowired
    MockMvc mvc;

    @Test
    void countsALongLogOnlyUpToTheCapAndSaysSoInTheApiAndThePanel() throws Exception {
        TestProduct product = product();
        String key = product.prefix() + "-CAPPED-" + UUID.randomUUID();
        for (int i = 0; i <= PageResponse.COUNT_CAP; i++) {
            validationLog.record(product.id(), null, key, "verify", "NOT_FOUND", null, null);
        }
        validationLog.flush();
        String rows = "/api/admin/validations?size=50&license_key=" + key;

        JsonNode first = ok(adminGet(rows));
        assertThat(first.get("total").asLong()).isEqualTo(PageResponse.COUNT_CAP);
        assertThat(first.get("total_capped").asBoolean()).isTrue();
        assertThat(first.get("items").size()).isEqualTo(50);
        // Past the cap the count reaches one row beyond the page asked for; the last page is exact.
        JsonNode last = ok(adminGet(rows + "&page=200"));
        assertThat(last.get("total").asLong()).isEqualTo(PageResponse.COUNT_CAP + 1);
        assertThat(last.has("total_capped")).isFalse();
        assertThat(last.get("items").size()).isEqualTo(1);

        String page = mvc.perform(get("/admin/validations")
                        .param("license_key", key)
                        .with(user("viewer").roles("VIEWER")))
                .andReturn()
                .getResponse()
                .getContentAsString();
        assertThat(page).contains("1–50 of 10,000+");
    }
}
