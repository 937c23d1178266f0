package dev.licensor.server.web.admin;

import static org.assertj.core.api.Assertions.assertThat;
import static org.springframework.security.test.web.servlet.request.SecurityMockMvcRequestPostProcessors.csrf;
import static org.springframework.security.test.web.servlet.request.SecurityMockMvcRequestPostProcessors.user;

import dev.licensor.server.security.Role;
import dev.licensor.server.testing.AbstractIT;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.boot.webmvc.test.autoconfigure.AutoConfigureMockMvc;
import org.springframework.http.HttpMethod;
import org.springframework.test.web.servlet.MockMvc;
import org.springframework.test.web.servlet.MvcResult;
import org.springframework.test.web.servlet.request.MockHttpServletRequestBuilder;
import org.springframework.test.web.servlet.request.MockMvcRequestBuilders;
import org.springframework.web.bind.annotation.RequestMethod;
import org.springframework.web.servlet.mvc.method.annotation.RequestMappingHandlerMapping;

/**
 * Every {@code /admin/**} route, enumerated from the handler mappings, refuses an anonymous
 * request (redirect to the login page) and a role below its own (403). The role a route needs
 * follows SPEC §4: every role reads; SUPPORT changes customers, licenses and devices (and a
 * license's resources and usage quotas, under {@code /admin/licenses}); the rest (products, API keys, sessions,
 * users, settings, the resource pool, leads) is ADMIN work; users and backups are ADMIN-only to read too; one's own account
 * is everyone's.
 */
@AutoConfigureMockMvc
class PanelRoutesIT extends AbstractIT {
    private static final Pattern VARIABLE = Pattern.compile("\\{(\\w+)(?::([^}]*))?}");

    @Autowired
    private MockMvc mvc;

    @Autowired
    @Qualifier("requestMappingHandlerMapping")
    private RequestMappingHandlerMapping mappings;

    record Route(HttpMethod method, String path) {}

    private List<Route> routes() {
        List<Route> routes = new ArrayList<>();
        mappings.getHandlerMethods().forEach((info, handler) -> {
            for (String pattern : info.getPatternValues()) {
                if (!pattern.equals("/admin") && !pattern.startsWith("/admin/")) {
                    continue;
                }
                var methods = info.getMethodsCondition().getMethods();
                for (RequestMethod m : methods.isEmpty() ? java.util.Set.of(RequestMethod.GET) : methods) {
                    routes.add(new Route(HttpMethod.valueOf(m.name()), concrete(pattern)));
                }
            }
        });
        return routes;
    }

    /** A concrete path: variables become 1, or the first alternative of their regular expression. */
    private static String concrete(String pattern) {
        Matcher m = VARIABLE.matcher(pattern);
        StringBuilder out = new StringBuilder();
        while (m.find()) {
            String value = m.group(2) == null ? "1" : m.group(2).split("\\|")[0];
            m.appendReplacement(out, Matcher.quoteReplacement(value));
        }
        m.appendTail(out);
        return out.toString();
    }

    /** The least role a route needs; empty for the login pages. */
    static Optional<Role> needed(Route route) {
        String p = route.path();
        if (p.equals("/admin/login") || p.startsWith("/admin/login/")) {
            return Optional.empty();
        }
        if (p.startsWith("/admin/users") || p.startsWith("/admin/backups")) {
            return Optional.of(Role.ADMIN);
        }
        if (route.method() == HttpMethod.GET || p.startsWith("/admin/account/")) {
            return Optional.of(Role.VIEWER);
        }
        if (p.startsWith("/admin/customers") || p.startsWith("/admin/licenses")) {
            return Optional.of(Role.SUPPORT);
        }
        return Optional.of(Role.ADMIN);
    }

    private MockHttpServletRequestBuilder request(Route route) {
        return MockMvcRequestBuilders.request(route.method(), route.path()).with(csrf());
    }

    @Test
    void everyPanelRouteNeedsALoginAndItsRole() throws Exception {
        List<Route> routes = routes();
        assertThat(routes).hasSizeGreaterThan(40);
        List<String> checked = new ArrayList<>();
        for (Route route : routes) {
            Optional<Role> role = needed(route);
            if (role.isEmpty()) {
                continue;
            }
            MvcResult anonymous = mvc.perform(request(route)).andReturn();
            assertThat(anonymous.getResponse().getStatus())
                    .as("anonymous %s", route)
                    .isEqualTo(302);
            assertThat(anonymous.getResponse().getRedirectedUrl())
                    .as("anonymous %s", route)
                    .endsWith("/admin/login");
            for (Role below : Role.values()) {
                if (below.ordinal() <= role.get().ordinal()) {
                    continue; // ADMIN=0 < SUPPORT=1 < VIEWER=2: only weaker roles must be refused
                }
                MvcResult refused = mvc.perform(
                                request(route).with(user("u-" + below).roles(below.name())))
                        .andReturn();
                assertThat(refused.getResponse().getStatus())
                        .as("%s as %s", route, below)
                        .isEqualTo(403);
            }
            checked.add(route.method() + " " + route.path());
        }
        // The rules are not simply "refuse everything": the page lists open to their role.
        MvcResult viewerReads = mvc.perform(MockMvcRequestBuilders.get("/admin/settings")
                        .with(user("v").roles("VIEWER")))
                .andReturn();
        assertThat(viewerReads.getResponse().getStatus()).isEqualTo(200);
        assertThat(checked)
                .contains(
                        "POST /admin/sessions/1/terminate",
                        "POST /admin/licenses/bulk",
                        "GET /admin/users",
                        "GET /admin/backups",
                        "GET /admin/backups/1",
                        "POST /admin/backups",
                        "POST /admin/backups/1/delete",
                        "POST /admin/backups/restore",
                        "GET /admin/blocked-ips",
                        "POST /admin/blocked-ips",
                        "POST /admin/blocked-ips/1/delete",
                        "GET /admin/anomalies",
                        "POST /admin/anomalies/1/resolve",
                        "GET /admin/products/1/webhooks",
                        "POST /admin/products/1/webhooks",
                        "POST /admin/products/1/webhooks/1/enable",
                        "POST /admin/products/1/webhooks/1/delete",
                        "POST /admin/products/1/webhooks/1/test",
                        "GET /admin/webhooks/deliveries",
                        "GET /admin/webhooks/deliveries/export.csv",
                        "POST /admin/webhooks/deliveries/1/retry",
                        "GET /admin/resources",
                        "POST /admin/resources/batch",
                        "POST /admin/resources/1/make-available",
                        "POST /admin/resources/import",
                        "POST /admin/licenses/1/resources/allocate",
                        "POST /admin/licenses/1/resources/1/release",
                        "POST /admin/licenses/1/quotas",
                        "POST /admin/licenses/1/quotas/1/delete",
                        "POST /admin/products/1/license-types",
                        "GET /admin/products/1/license-types/export.csv",
                        "POST /admin/products/1/license-types/1/delete",
                        "GET /admin/leads",
                        "GET /admin/leads/export.csv",
                        "POST /admin/leads",
                        "POST /admin/leads/1",
                        "POST /admin/leads/1/delete",
                        "POST /admin/leads/1/convert",
                        "POST /admin/leads/1/tags",
                        "POST /admin/leads/1/notes/1",
                        "GET /admin/leads/1/notes/1",
                        "POST /admin/leads/1/activities",
                        "GET /admin/usage-stats",
                        "GET /admin/usage-stats/export.csv",
                        "GET /admin/usage-stats/chart");
    }
}
