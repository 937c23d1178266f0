package dev.licensor.server.testing;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.jspecify.annotations.Nullable;
import tools.jackson.databind.JsonNode;

/** Helpers for admin-API tests: tokens of each role, customers, and audit rows. */
public abstract class AbstractAdminIT extends AbstractIT {
    /** The admin roles, as the token API names them. */
    public enum Role {
        ADMIN,
        SUPPORT,
        VIEWER
    }

    private final Map<Role, String> tokens = new EnumMap<>(Role.class);

    /** A fresh bearer token of the role (made once per test). */
    protected String token(Role role) {
        return tokens.computeIfAbsent(role, r -> {
            Http.Response created = admin(
                    "POST",
                    "/api/admin/tokens",
                    Map.of("name", r.name().toLowerCase() + "-" + UUID.randomUUID(), "role", r.name()));
            assertThat(created.status()).as(created.toString()).isEqualTo(201);
            return created.json().get("token").asString();
        });
    }

    /** An admin-API call with a token of the role. */
    protected Http.Response as(Role role, String method, String path, @Nullable Object body, String... headers) {
        String[] all = new String[headers.length + 2];
        all[0] = "Authorization";
        all[1] = "Bearer " + token(role);
        System.arraycopy(headers, 0, all, 2, headers.length);
        return http.send(method, path, body, all);
    }

    /** An admin-API call with the bootstrap ADMIN token and extra headers. */
    protected Http.Response adminWith(String method, String path, @Nullable Object body, String... headers) {
        String[] all = new String[headers.length + 2];
        all[0] = "Authorization";
        all[1] = "Bearer " + TestDatabase.ADMIN_TOKEN;
        System.arraycopy(headers, 0, all, 2, headers.length);
        return http.send(method, path, body, all);
    }

    /**
     * Sends every body to every write ({@code {method, path}}; an empty body as an empty JSON
     * request) and reads every path with the ADMIN token: one line for each write whose answer
     * {@code acceptable} refuses and each read answered with a server error.
     */
    protected List<String> oddInputFailures(
            List<String[]> writes, List<String> bodies, Acceptable acceptable, List<String> reads) {
        List<String> failures = new ArrayList<>();
        for (String[] target : writes) {
            for (String body : bodies) {
                Http.Response response = body.isEmpty()
                        ? adminWith(target[0], target[1], null, "Content-Type", "application/json")
                        : admin(target[0], target[1], body);
                if (!acceptable.test(target, body, response.status())) {
                    failures.add(target[0] + " " + target[1] + " " + body + " -> " + response);
                }
            }
        }
        for (String path : reads) {
            Http.Response response = adminGet(path);
            if (response.status() >= 500) {
                failures.add("GET " + path + " -> " + response);
            }
        }
        return failures;
    }

    /** Whether a write ({@code {method, path}}) of an odd body was answered as it should be. */
    @FunctionalInterface
    protected interface Acceptable {
        boolean test(String[] target, String body, int status);
    }

    protected long customer(String name, Map<String, Object> fields) {
        Map<String, Object> body = new java.util.HashMap<>(fields);
        body.put("name", name);
        Http.Response created = admin("POST", "/api/admin/customers", body);
        assertThat(created.status()).as(created.toString()).isEqualTo(201);
        return created.json().get("id").asLong();
    }

    /** Audit actions recorded for an entity, oldest first. */
    protected List<String> auditActions(String entityType, Object entityId) {
        return jdbc.sql("SELECT action FROM audit_log WHERE entity_type = ? AND entity_id = ? ORDER BY id")
                .params(entityType, String.valueOf(entityId))
                .query(String.class)
                .list();
    }

    protected long auditCount() {
        return jdbc.sql("SELECT COUNT(*) FROM audit_log").query(Long.class).single();
    }

    /** Asserts a 400 INVALID_REQUEST naming the field. */
    protected static void assertInvalid(Http.Response response, String field) {
        assertThat(response.status()).as(response.toString()).isEqualTo(400);
        assertThat(response.code()).isEqualTo("INVALID_REQUEST");
        assertThat(response.header("Content-Type")).startsWith("application/problem+json");
        List<String> fields = response.json()
                .path("errors")
                .valueStream()
                .map(e -> e.path("field").asString())
                .toList();
        assertThat(fields).as(response.toString()).contains(field);
    }

    /** The items of a list answer, after asserting it is a 200 with the {@code {items, page, size, total}} envelope. */
    protected static JsonNode items(Http.Response response) {
        JsonNode page = ok(response);
        assertThat(page.isObject()).as(response.toString()).isTrue();
        assertThat(page.get("items").isArray()).as(response.toString()).isTrue();
        assertThat(page.has("page") && page.has("size") && page.has("total"))
                .as(response.toString())
                .isTrue();
        return page.get("items");
    }

    /**
     * Asserts that the list at {@code path} pages as every admin list does: the envelope with page 0
     * and size 50 by default, {@code total} counting all rows, pages of one that read the (first
     * ten) rows in the same order as the whole list, an empty page past the end, and {@code page}/{@code size}
     * out of range refused with 400 naming them. Returns the whole list's items.
     */
    protected JsonNode assertPagedList(String path, long total) {
        String query = path.contains("?") ? "&" : "?";
        Http.Response first = adminGet(path);
        JsonNode all = items(first);
        assertThat(first.json().get("page").asInt()).isZero();
        assertThat(first.json().get("size").asInt()).isEqualTo(50);
        assertThat(first.json().get("total").asLong()).as(first.toString()).isEqualTo(total);
        assertThat(all.size()).isEqualTo((int) Math.min(total, 50));
        for (int i = 0; i < Math.min(all.size(), 10); i++) {
            Http.Response one = adminGet(path + query + "page=" + i + "&size=1");
            JsonNode items = items(one);
            assertThat(one.json().get("page").asInt()).isEqualTo(i);
            assertThat(one.json().get("size").asInt()).isEqualTo(1);
            assertThat(one.json().get("total").asLong()).isEqualTo(total);
            assertThat(items.size()).as(one.toString()).isEqualTo(1);
            assertThat(items.get(0)).as("item %d of %s", i, path).isEqualTo(all.get(i));
        }
        assertThat(items(adminGet(path + query + "page=" + total + "&size=1"))).isEmpty();
        assertInvalid(adminGet(path + query + "size=0"), "size");
        assertInvalid(adminGet(path + query + "size=501"), "size");
        assertInvalid(adminGet(path + query + "page=-1"), "page");
        return all;
    }

    protected static JsonNode ok(Http.Response response) {
        assertThat(response.status()).as(response.toString()).isEqualTo(200);
        return response.json();
    }
}
