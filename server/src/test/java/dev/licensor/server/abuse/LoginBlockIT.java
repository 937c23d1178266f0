package dev.licensor.server.abuse;

import static org.assertj.core.api.Assertions.assertThat;
import static org.springframework.security.test.web.servlet.request.SecurityMockMvcRequestPostProcessors.csrf;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.post;

import dev.licensor.server.testing.AbstractIT;
import dev.licensor.server.testing.TestDatabase;
import dev.licensor.server.web.PageResponse;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.webmvc.test.autoconfigure.AutoConfigureMockMvc;
import org.springframework.test.context.TestPropertySource;
import org.springframework.test.web.servlet.MockMvc;

/**
 * The panel login goes through the trust layer's limiter: attempts per minute per address, and an
 * address that keeps failing lands on the blocked-IP list (visible, liftable) and may not log in.
 */
@AutoConfigureMockMvc
@TestPropertySource(
        properties = {"licensor.rate-limit.login-per-minute=3", "licensor.rate-limit.login-failures-per-hour=3"})
class LoginBlockIT extends AbstractIT {
    private static final String ATTACKER = "203.0.113.77";

    @Autowired
    MockMvc mvc;

    @Autowired
    RateLimiter limiter;

    @Autowired
    BlockedIps blockedIps;

    @BeforeEach
    @AfterEach
    void clean() {
        limiter.clearLocal();
        jdbc.sql("DELETE FROM blocked_ips WHERE address IN ('203.0.113.77', '203.0.113.78')")
                .update();
    }

    /** Where a password login from {@code ip} is sent. */
    private String login(String ip, String password) throws Exception {
        return mvc.perform(post("/admin/login")
                        .param("username", "admin")
                        .param("password", password)
                        .with(csrf())
                        .with(request -> {
                            request.setRemoteAddr(ip);
                            return request;
                        }))
                .andReturn()
                .getResponse()
                .getRedirectedUrl();
    }

    @Test
    void limitsLoginAttemptsPerAddressPerMinute() throws Exception {
        for (int i = 0; i < 3; i++) {
            assertThat(login("203.0.113.78", TestDatabase.ADMIN_PASSWORD)).isEqualTo("/admin");
        }
        assertThat(login("203.0.113.78", TestDatabase.ADMIN_PASSWORD)).endsWith("/admin/login?throttled");
        assertThat(login("203.0.113.79", TestDatabase.ADMIN_PASSWORD)).isEqualTo("/admin");
    }

    @Test
    void repeatedFailuresPutTheAddressOnTheBlockedListUntilAnOperatorLiftsIt() throws Exception {
        for (int i = 0; i < 3; i++) {
            assertThat(login(ATTACKER, "wrong-" + i)).endsWith("/admin/login?error");
        }
        BlockedIps.BlockedIp block = blockedIps.list(false, new PageResponse.Paging(0, 100)).items().stream()
                .filter(b -> b.address().equals(ATTACKER))
                .findFirst()
                .orElseThrow();
        assertThat(block.createdBy()).isEqualTo("rule:login-failures");
        assertThat(block.until())
                .isBetween(
                        Instant.now().plus(Duration.ofMinutes(59)),
                        Instant.now().plus(Duration.ofMinutes(61)));

        // Even the right password is refused from a blocked address; other addresses log in.
        assertThat(login(ATTACKER, TestDatabase.ADMIN_PASSWORD)).endsWith("/admin/login?blocked");
        limiter.clearLocal();
        assertThat(login("203.0.113.80", TestDatabase.ADMIN_PASSWORD)).isEqualTo("/admin");

        blockedIps.delete(block.id());
        assertThat(login(ATTACKER, TestDatabase.ADMIN_PASSWORD)).isEqualTo("/admin");
    }
}
