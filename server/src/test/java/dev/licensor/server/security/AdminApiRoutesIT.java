package dev.licensor.server.security;

import static org.assertj.core.api.Assertions.assertThat;

import dev.licensor.server.testing.AbstractIT;
import dev.licensor.server.testing.Http;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.web.bind.annotation.RequestMethod;
import org.springframework.web.servlet.mvc.method.annotation.RequestMappingHandlerMapping;

/**
 * Every admin-API route, enumerated from the application's own mappings, refuses an anonymous
 * caller and a role below its own (every role reads, except backups: ADMIN only). A new route cannot be forgotten: it is in the list by
 * construction, and it must match a rule of its own or fall to the ADMIN-only default.
 */
class AdminApiRoutesIT extends AbstractIT {
    @Autowired
    @Qualifier("requestMappingHandlerMapping")
    private RequestMappingHandlerMapping mappings;

    private String viewer;
    private String support;

    record Route(String method, String path) {}

    @BeforeEach
    void tokens() {
        viewer = "Bearer "
                + admin("POST", "/api/admin/tokens", Map.of("name", "routes-viewer", "role", "VIEWER"))
                        .json()
                        .get("token")
                        .asString();
        support = "Bearer "
                + admin("POST", "/api/admin/tokens", Map.of("name", "routes-support", "role", "SUPPORT"))
                        .json()
                        .get("token")
                        .asString();
    }

    @Test
    void everyAdminRouteRefusesAnonymousCallers() {
        List<Route> routes = adminRoutes();
        assertThat(routes).hasSizeGreaterThan(30);
        assertThat(routes).contains(new Route("GET", "/api/stats"), new Route("GET", "/api/admin/usage-stats"));
        for (Route route : routes) {
            Http.Response response = http.send(route.method(), concrete(route.path()), body(route));
            assertThat(response.status()).as(route + " -> " + response).isEqualTo(401);
            assertThat(response.code()).as(route.toString()).isEqualTo("UNAUTHORIZED");
        }
    }

    @Test
    void aViewerReadsButChangesNothing() {
        for (Route route : adminRoutes()) {
            Http.Response response =
                    http.send(route.method(), concrete(route.path()), body(route), "Authorization", viewer);
            if (route.method().equals("GET") && !adminOnly(route)) {
                assertThat(response.status()).as(route + " -> " + response).isNotIn(401, 403);
            } else {
                assertThat(response.status()).as(route + " -> " + response).isEqualTo(403);
            }
        }
    }

    @Test
    void supportChangesCustomersLicensesAndAllocationsOnly() {
        for (Route route : adminRoutes()) {
            if (route.method().equals("GET") && !adminOnly(route)) {
                continue;
            }
            boolean supportWork = route.path().startsWith("/api/admin/customers")
                    || route.path().startsWith("/api/admin/licenses")
                    || route.path().equals("/api/admin/resources/{id}/allocate")
                    || route.path().equals("/api/admin/resources/{id}/release");
            Http.Response response =
                    http.send(route.method(), concrete(route.path()), body(route), "Authorization", support);
            if (supportWork) {
                assertThat(response.status()).as(route + " -> " + response).isNotIn(401, 403);
            } else {
                assertThat(response.status()).as(route + " -> " + response).isEqualTo(403);
            }
        }
    }

    /** Routes no role but ADMIN may even read: backups hold every hash and encrypted secret. */
    private static boolean adminOnly(Route route) {
        return route.path().startsWith("/api/admin/backups");
    }

    @Test
    void backupsAreForAdministratorsOnly() {
        List<Route> backups =
                adminRoutes().stream().filter(AdminApiRoutesIT::adminOnly).toList();
        assertThat(backups)
                .contains(
                        new Route("GET", "/api/admin/backups"),
                        new Route("POST", "/api/admin/backups"),
                        new Route("GET", "/api/admin/backups/{name}"),
                        new Route("DELETE", "/api/admin/backups/{name}"),
                        new Route("POST", "/api/admin/backups/restore"));
    }

    private List<Route> adminRoutes() {
        List<Route> routes = new ArrayList<>();
        mappings.getHandlerMethods().forEach((info, handler) -> {
            for (String path : info.getPatternValues()) {
                if (!path.startsWith("/api/admin/") && !path.equals("/api/stats")) {
                    continue;
                }
                for (RequestMethod method : info.getMethodsCondition().getMethods()) {
                    routes.add(new Route(method.name(), path));
                }
            }
        });
        return routes;
    }

    /** Path variables filled with values that exist nowhere: the rule must apply before any look-up. */
    private static String concrete(String pattern) {
        // {action:suspend|reinstate|revoke} becomes its first choice; plain variables a made-up id.
        return pattern.replaceAll("\\{\\w+:(\\w+)[^}]*}", "$1").replaceAll("\\{[^}]*}", "999999");
    }

    private static Object body(Route route) {
        return route.method().equals("GET") || route.method().equals("DELETE") ? null : Map.of();
    }
}
