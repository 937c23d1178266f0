package dev.licensor.server.resource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.springframework.security.test.web.servlet.request.SecurityMockMvcRequestPostProcessors.csrf;
import static org.springframework.security.test.web.servlet.request.SecurityMockMvcRequestPostProcessors.user;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.post;

import dev.licensor.server.security.PanelUser;
import dev.licensor.server.support.Db;
import dev.licensor.server.testing.AbstractAdminIT;
import dev.licensor.server.testing.Http;
import dev.licensor.server.testing.MutableClock;
import dev.licensor.server.testing.MutableClockConfig;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.webmvc.test.autoconfigure.AutoConfigureMockMvc;
import org.springframework.context.annotation.Import;
import org.springframework.test.web.servlet.MockMvc;
import org.springframework.test.web.servlet.MvcResult;
import tools.jackson.databind.JsonNode;

/**
 * The resource pool end to end: the admin API, allocation by license type on creation (one, a
 * batch, a race), release on revocation and deletion, the quarantine job, roles, the panel and
 * its CSV import. The pool is shared by the whole database, so each test first parks every
 * resource other tests left available in a quarantine that never ends, and uses values of its own.
 */
@AutoConfigureMockMvc
@Import(MutableClockConfig.class)
class ResourceIT extends AbstractAdminIT {
    private static final AtomicInteger VALUES = new AtomicInteger(1);
    private static final Instant NEVER = Instant.parse("9999-01-01T00:00:00Z");

    private final MutableClock clock = MutableClock.SHARED;

    @Autowired
    private ResourceJobs jobs;

    @Autowired
    private MockMvc mvc;

    @BeforeEach
    void parkOtherTestsResources() {
        jdbc.sql("UPDATE resources SET status = 'QUARANTINED', quarantined_until = ? WHERE status = 'AVAILABLE'")
                .param(Db.ts(NEVER))
                .update();
    }

    // ---- helpers ----

    private static String domain() {
        return "r" + VALUES.getAndIncrement() + ".pool.example";
    }

    private static String ipv4() {
        int n = VALUES.getAndIncrement();
        return "10." + (n >> 16 & 255) + "." + (n >> 8 & 255) + "." + (n & 255);
    }

    private static String phone() {
        return "+4930" + (1_000_000 + VALUES.getAndIncrement());
    }

    private List<String> pool(String kind, int count) {
        List<String> values = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            values.add(
                    switch (kind) {
                        case "DOMAIN" -> domain();
                        case "IPV4" -> ipv4();
                        default -> phone();
                    });
        }
        Http.Response created = admin("POST", "/api/admin/resources/batch", Map.of("kind", kind, "values", values));
        assertThat(created.status()).as(created.toString()).isEqualTo(201);
        assertThat(created.json().get("created").asInt()).isEqualTo(count);
        return values;
    }

    private long type(TestProduct product, int domains, int ipv4, int phones) {
        Http.Response created = admin(
                "POST",
                "/api/admin/license-types",
                Map.of(
                        "product_id",
                        product.id(),
                        "name",
                        "With resources " + System.nanoTime(),
                        "domains",
                        domains,
                        "ipv4_addresses",
                        ipv4,
                        "phone_numbers",
                        phones));
        assertThat(created.status()).as(created.toString()).isEqualTo(201);
        return created.json().get("id").asLong();
    }

    private static JsonNode done(Http.Response response) {
        assertThat(response.status()).as(response.toString()).isBetween(200, 201);
        return response.json();
    }

    private JsonNode resource(String kind, String value) {
        return done(admin("POST", "/api/admin/resources", Map.of("kind", kind, "value", value)));
    }

    private List<String> kindsOf(String key) {
        List<String> kinds = new ArrayList<>();
        items(adminGet("/api/admin/licenses/" + key + "/resources"))
                .forEach(r -> kinds.add(r.get("kind").asString()));
        kinds.sort(null);
        return kinds;
    }

    private long licenses(TestProduct product) {
        return jdbc.sql("SELECT COUNT(*) FROM licenses WHERE product_id = ?")
                .param(product.id())
                .query(Long.class)
                .single();
    }

    private String status(long resourceId) {
        return jdbc.sql("SELECT status FROM resources WHERE id = ?")
                .param(resourceId)
                .query(String.class)
                .single();
    }

    // ---- the pool ----

    @Test
    void valuesAreNormalizedAndBadOrDuplicateOnesRefused() {
        String name = domain();
        JsonNode created = done(admin(
                "POST",
                "/api/admin/resources",
                Map.of("kind", "domain", "value", "  " + name.toUpperCase() + ". ", "notes", "from the shop")));
        assertThat(created.get("kind").asString()).isEqualTo("DOMAIN");
        assertThat(created.get("value").asString()).isEqualTo(name);
        assertThat(created.get("status").asString()).isEqualTo("AVAILABLE");
        assertThat(created.get("license_key").isNull()).isTrue();
        assertThat(resource("PHONE", "+49 (30) 555-" + (1000 + VALUES.getAndIncrement()))
                        .get("value")
                        .asString())
                .matches("\\+4930555\\d{4}");
        assertThat(resource("IPV4", "010.20.030.4" + (VALUES.getAndIncrement() % 10))
                        .get("value")
                        .asString())
                .matches("10\\.20\\.30\\.4\\d");

        long audits = auditCount();
        long before =
                jdbc.sql("SELECT COUNT(*) FROM resources").query(Long.class).single();
        assertInvalid(
                admin("POST", "/api/admin/resources", Map.of("kind", "DOMAIN", "value", "https://x.com/")), "value");
        assertInvalid(admin("POST", "/api/admin/resources", Map.of("kind", "IPV4", "value", "300.1.1.1")), "value");
        assertInvalid(admin("POST", "/api/admin/resources", Map.of("kind", "PHONE", "value", "030 1234567")), "value");
        assertInvalid(admin("POST", "/api/admin/resources", Map.of("kind", "EMAIL", "value", "a@b.c")), "kind");
        assertInvalid(admin("POST", "/api/admin/resources", Map.of("value", name)), "kind");
        assertInvalid(
                admin("POST", "/api/admin/resources", Map.of("kind", "DOMAIN", "value", domain(), "colour", "red")),
                "colour");
        Http.Response duplicate = admin("POST", "/api/admin/resources", Map.of("kind", "DOMAIN", "value", name));
        assertThat(duplicate.status()).isEqualTo(409);
        assertThat(duplicate.code()).isEqualTo("CONFLICT");

        String fresh = domain();
        Http.Response batch = admin(
                "POST",
                "/api/admin/resources/batch",
                Map.of("kind", "DOMAIN", "values", List.of(fresh, "not a domain", name, fresh.toUpperCase())));
        assertInvalid(batch, "values[1]");
        assertInvalid(batch, "values[2]");
        assertInvalid(batch, "values[3]");
        assertThat(batch.body()).contains("already in the pool").contains("given twice");
        assertThat(jdbc.sql("SELECT COUNT(*) FROM resources").query(Long.class).single())
                .isEqualTo(before);
        assertThat(auditCount()).isEqualTo(audits);
    }

    @Test
    void theListFiltersByKindStatusLicenseAndSearch() {
        String marker = "m" + VALUES.getAndIncrement();
        String a = marker + "-a.pool.example";
        String b = marker + "-b.pool.example";
        done(admin("POST", "/api/admin/resources/batch", Map.of("kind", "DOMAIN", "values", List.of(a, b))));
        long idB = done(adminGet("/api/admin/resources?q=" + b))
                .get("items")
                .get(0)
                .get("id")
                .asLong();
        done(admin("POST", "/api/admin/resources/" + idB + "/quarantine", null));

        JsonNode all = done(adminGet("/api/admin/resources?q=" + marker));
        assertThat(all.get("total").asLong()).isEqualTo(2);
        assertThat(all.get("page").asInt()).isZero();
        assertThat(all.get("size").asInt()).isEqualTo(50);
        JsonNode available = done(adminGet("/api/admin/resources?kind=domain&status=AVAILABLE&q=" + marker));
        assertThat(available.get("total").asLong()).isEqualTo(1);
        assertThat(available.get("items").get(0).get("value").asString()).isEqualTo(a);
        assertThat(done(adminGet("/api/admin/resources?kind=PHONE&q=" + marker))
                        .get("total")
                        .asLong())
                .isZero();

        TestProduct product = product();
        String key = licenseKey(product, Map.of());
        long idA = available.get("items").get(0).get("id").asLong();
        done(admin("POST", "/api/admin/resources/" + idA + "/allocate", Map.of("license_key", key)));
        JsonNode ofLicense = done(adminGet("/api/admin/resources?license_key=" + key.toLowerCase()));
        assertThat(ofLicense.get("total").asLong()).isEqualTo(1);
        assertThat(ofLicense.get("items").get(0).get("license_key").asString()).isEqualTo(key);
        assertThat(done(adminGet("/api/admin/resources?license_key=ZZ-NO-SUCH-KEY"))
                        .get("total")
                        .asLong())
                .isZero();
        assertInvalid(adminGet("/api/admin/resources?status=LOST"), "status");
        assertInvalid(adminGet("/api/admin/resources?kind=EMAIL"), "kind");
    }

    // ---- allocation by license type ----

    @Test
    void aTypeAllocatesItsResourcesToEachLicenseItCreatesAloneOrInABatch() {
        pool("DOMAIN", 8);
        pool("IPV4", 4);
        pool("PHONE", 4);
        TestProduct product = product();
        long typeId = type(product, 2, 1, 1);

        String key = licenseKey(product, Map.of("license_type_id", typeId));
        assertThat(kindsOf(key)).containsExactly("DOMAIN", "DOMAIN", "IPV4", "PHONE");

        Http.Response batch = admin(
                "POST",
                "/api/admin/licenses/batch",
                Map.of("product_id", product.id(), "license_type_id", typeId, "count", 3));
        assertThat(batch.status()).as(batch.toString()).isEqualTo(201);
        for (JsonNode k : batch.json().get("license_keys")) {
            assertThat(kindsOf(k.asString())).containsExactly("DOMAIN", "DOMAIN", "IPV4", "PHONE");
        }
        // The pool is used up, every resource went to exactly one license and has one open history row.
        assertThat(done(adminGet("/api/admin/resources?status=AVAILABLE"))
                        .get("total")
                        .asLong())
                .isZero();
        assertThat(jdbc.sql(
                                """
                                SELECT COUNT(*) FROM resources r JOIN licenses l ON l.id = r.license_id
                                WHERE l.product_id = ? AND r.status = 'ALLOCATED'""")
                        .param(product.id())
                        .query(Long.class)
                        .single())
                .isEqualTo(16);
        assertThat(jdbc.sql(
                                """
                                SELECT COUNT(*) FROM resource_allocations a JOIN licenses l ON l.id = a.license_id
                                WHERE l.product_id = ? AND a.released_at IS NULL AND a.license_key = l.license_key""")
                        .param(product.id())
                        .query(Long.class)
                        .single())
                .isEqualTo(16);

        // A license without a type, or of a type without resources, gets none.
        assertThat(kindsOf(licenseKey(product, Map.of()))).isEmpty();
        assertThat(kindsOf(licenseKey(product, Map.of("license_type_id", type(product, 0, 0, 0)))))
                .isEmpty();
    }

    @Test
    void aShortPoolRefusesTheWholeCreationAndCreatesNothing() {
        List<String> domains = pool("DOMAIN", 3);
        pool("PHONE", 5);
        TestProduct product = product();
        long typeId = type(product, 2, 0, 1);
        long before = licenses(product);
        long audits = auditCount();

        Http.Response batch = admin(
                "POST",
                "/api/admin/licenses/batch",
                Map.of("product_id", product.id(), "license_type_id", typeId, "count", 2));
        assertThat(batch.status()).as(batch.toString()).isEqualTo(409);
        assertThat(batch.code()).isEqualTo("CONFLICT");
        assertThat(batch.json().get("kind").asString()).isEqualTo("DOMAIN");
        assertThat(batch.json().get("needed").asInt()).isEqualTo(4);
        assertThat(batch.json().get("available").asInt()).isEqualTo(3);
        assertThat(batch.json().get("detail").asString())
                .contains("DOMAIN")
                .contains("4")
                .contains("3");

        long ipv4Type = type(product, 0, 1, 0);
        Http.Response single =
                admin("POST", "/api/admin/licenses", Map.of("product_id", product.id(), "license_type_id", ipv4Type));
        assertThat(single.status()).as(single.toString()).isEqualTo(409);
        assertThat(single.json().get("kind").asString()).isEqualTo("IPV4");
        assertThat(single.json().get("available").asInt()).isZero();

        assertThat(licenses(product)).isEqualTo(before);
        // Two type creations are audited, nothing else.
        assertThat(auditCount()).isEqualTo(audits + 1);
        assertThat(jdbc.sql("SELECT COUNT(*) FROM resources WHERE status = 'AVAILABLE' AND kind = 'DOMAIN'")
                        .query(Long.class)
                        .single())
                .isEqualTo(domains.size());

        // One license fits.
        String key = licenseKey(product, Map.of("license_type_id", typeId));
        assertThat(kindsOf(key)).containsExactly("DOMAIN", "DOMAIN", "PHONE");
    }

    @Test
    void concurrentCreationsNeverShareAResourceAndStopWhenThePoolIsEmpty() throws Exception {
        List<String> domains = pool("DOMAIN", 10);
        TestProduct product = product();
        long typeId = type(product, 1, 0, 0);
        int threads = 20;
        ExecutorService executor = Executors.newFixedThreadPool(threads);
        CountDownLatch start = new CountDownLatch(1);
        List<Future<Integer>> results = new ArrayList<>();
        for (int i = 0; i < threads; i++) {
            Callable<Integer> create = () -> {
                Http client = new Http(port);
                start.await();
                Map<String, Object> body = new HashMap<>();
                body.put("product_id", product.id());
                body.put("license_type_id", typeId);
                return client.send(
                                "POST",
                                "/api/admin/licenses",
                                body,
                                "Authorization",
                                "Bearer " + dev.licensor.server.testing.TestDatabase.ADMIN_TOKEN)
                        .status();
            };
            results.add(executor.submit(create));
        }
        start.countDown();
        List<Integer> statuses = new ArrayList<>();
        for (Future<Integer> result : results) {
            statuses.add(result.get(60, TimeUnit.SECONDS));
        }
        executor.shutdown();

        assertThat(statuses.stream().filter(s -> s == 201).count())
                .as(statuses.toString())
                .isEqualTo(10);
        assertThat(statuses.stream().filter(s -> s == 409).count())
                .as(statuses.toString())
                .isEqualTo(10);
        assertThat(licenses(product)).isEqualTo(10);
        // From the database: each of the ten domains went to a different license, once.
        List<Long> owners = jdbc.sql(
                        "SELECT r.license_id FROM resources r WHERE r.kind = 'DOMAIN' AND r.identifier IN (:values)")
                .param("values", domains)
                .query(Long.class)
                .list();
        assertThat(owners).hasSize(10).doesNotContainNull().doesNotHaveDuplicates();
        assertThat(jdbc.sql(
                                """
                                SELECT COUNT(*) FROM resource_allocations WHERE kind = 'DOMAIN'
                                    AND identifier IN (:values) AND released_at IS NULL""")
                        .param("values", domains)
                        .query(Long.class)
                        .single())
                .isEqualTo(10);
        assertThat(jdbc.sql("SELECT COUNT(DISTINCT license_id) FROM licenses l JOIN resources r ON r.license_id = l.id"
                                + " WHERE l.product_id = :p")
                        .param("p", product.id())
                        .query(Long.class)
                        .single())
                .isEqualTo(10);
    }

    @Test
    void aLicensesResourcesAreListedAsAPageByKindAndValue() {
        List<String> domains = pool("DOMAIN", 2);
        List<String> addresses = pool("IPV4", 1);
        List<String> phones = pool("PHONE", 2);
        TestProduct product = product();
        String key = licenseKey(product, Map.of("license_type_id", type(product, 2, 1, 1)));
        String other = licenseKey(product, Map.of("license_type_id", type(product, 0, 0, 1)));

        JsonNode held = assertPagedList("/api/admin/licenses/" + key + "/resources", 4);

        assertThat(held.valueStream().map(r -> r.get("kind").asString()))
                .containsExactly("DOMAIN", "DOMAIN", "IPV4", "PHONE");
        assertThat(held.valueStream().map(r -> r.get("value").asString()).limit(2))
                .containsExactlyInAnyOrderElementsOf(domains);
        assertThat(held.get(2).get("value").asString()).isEqualTo(addresses.get(0));
        assertThat(held.valueStream().map(r -> r.get("license_key").asString())).containsOnly(key);
        assertThat(items(adminGet("/api/admin/licenses/" + other + "/resources")))
                .singleElement()
                .satisfies(r -> assertThat(phones).contains(r.get("value").asString()));
        assertThat(adminGet("/api/admin/licenses/" + product.prefix() + "-00000-00000-00000-00000-00000/resources")
                        .status())
                .isEqualTo(404);
    }

    // ---- release with the license ----

    @Test
    void revokingQuarantinesTheResourcesSuspendingKeepsThemAndTheJobReturnsThemLater() {
        pool("DOMAIN", 1);
        pool("PHONE", 1);
        TestProduct product = product();
        String key = licenseKey(product, Map.of("license_type_id", type(product, 1, 0, 1)));
        List<Long> ids = new ArrayList<>();
        items(adminGet("/api/admin/licenses/" + key + "/resources"))
                .forEach(r -> ids.add(r.get("id").asLong()));
        assertThat(ids).hasSize(2);

        done(admin("POST", "/api/admin/licenses/" + key + "/suspend", null));
        assertThat(kindsOf(key)).containsExactly("DOMAIN", "PHONE");

        Instant revokedAt = clock.instant();
        done(admin("POST", "/api/admin/licenses/" + key + "/revoke", null));
        assertThat(kindsOf(key)).isEmpty();
        for (long id : ids) {
            JsonNode r = done(adminGet("/api/admin/resources/" + id));
            assertThat(r.get("status").asString()).isEqualTo("QUARANTINED");
            assertThat(Instant.parse(r.get("quarantined_until").asString()))
                    .isEqualTo(revokedAt.plus(Duration.ofDays(30)));
            JsonNode history = done(adminGet("/api/admin/resources/" + id + "/history"));
            assertThat(history.get("total").asLong()).isEqualTo(1);
            assertThat(history.get("items").get(0).get("license_key").asString())
                    .isEqualTo(key);
            assertThat(history.get("items").get(0).get("release_reason").asString())
                    .isEqualTo("license_revoked");
        }
        assertThat(auditActions(
                        "license",
                        done(adminGet("/api/admin/licenses/" + key)).get("id").asLong()))
                .contains("resource.allocate_on_create", "resource.release");

        clock.advance(Duration.ofDays(30).minusSeconds(1));
        jobs.endQuarantines();
        assertThat(ids).allMatch(id -> status(id).equals("QUARANTINED"));
        clock.advance(Duration.ofSeconds(1));
        jobs.endQuarantines();
        assertThat(ids).allMatch(id -> status(id).equals("AVAILABLE"));
        assertThat(done(adminGet("/api/admin/resources/" + ids.getFirst()))
                        .get("quarantined_until")
                        .isNull())
                .isTrue();
    }

    @Test
    void deletingALicenseReleasesItsResourcesAndTheHistoryKeepsTheKey() {
        pool("IPV4", 1);
        TestProduct product = product();
        String key = licenseKey(product, Map.of("license_type_id", type(product, 0, 1, 0)));
        long id = items(adminGet("/api/admin/licenses/" + key + "/resources"))
                .get(0)
                .get("id")
                .asLong();

        assertThat(admin("DELETE", "/api/admin/licenses/" + key, null).status()).isEqualTo(204);
        assertThat(status(id)).isEqualTo("QUARANTINED");
        JsonNode entry = done(adminGet("/api/admin/resources/" + id + "/history"))
                .get("items")
                .get(0);
        assertThat(entry.get("license_key").asString()).isEqualTo(key);
        assertThat(entry.get("release_reason").asString()).isEqualTo("license_deleted");
        assertThat(entry.get("released_at").isNull()).isFalse();
    }

    // ---- by hand, and roles ----

    @Test
    void supportAllocatesAndReleasesByHandAdminsManageThePoolViewersOnlyRead() {
        TestProduct product = product();
        String key = licenseKey(product, Map.of());
        long id = resource("DOMAIN", domain()).get("id").asLong();

        // VIEWER reads, changes nothing.
        assertThat(as(Role.VIEWER, "GET", "/api/admin/resources", null).status())
                .isEqualTo(200);
        assertThat(as(Role.VIEWER, "GET", "/api/admin/resources/" + id + "/history", null)
                        .status())
                .isEqualTo(200);
        assertThat(as(Role.VIEWER, "GET", "/api/admin/licenses/" + key + "/resources", null)
                        .status())
                .isEqualTo(200);
        assertThat(as(Role.VIEWER, "POST", "/api/admin/resources/" + id + "/allocate", Map.of("license_key", key))
                        .status())
                .isEqualTo(403);
        assertThat(as(Role.VIEWER, "POST", "/api/admin/resources", Map.of("kind", "DOMAIN", "value", domain()))
                        .status())
                .isEqualTo(403);
        // SUPPORT allocates and releases, but does not manage the pool.
        assertThat(as(Role.SUPPORT, "POST", "/api/admin/resources", Map.of("kind", "DOMAIN", "value", domain()))
                        .status())
                .isEqualTo(403);
        assertThat(as(Role.SUPPORT, "POST", "/api/admin/resources/" + id + "/quarantine", null)
                        .status())
                .isEqualTo(403);
        assertThat(as(Role.SUPPORT, "DELETE", "/api/admin/resources/" + id, null)
                        .status())
                .isEqualTo(403);
        Http.Response allocated =
                as(Role.SUPPORT, "POST", "/api/admin/resources/" + id + "/allocate", Map.of("license_key", key));
        assertThat(allocated.status()).as(allocated.toString()).isEqualTo(200);
        assertThat(allocated.json().get("status").asString()).isEqualTo("ALLOCATED");
        assertThat(allocated.json().get("license_key").asString()).isEqualTo(key);
        Http.Response again = admin("POST", "/api/admin/resources/" + id + "/allocate", Map.of("license_key", key));
        assertThat(again.status()).isEqualTo(409);
        assertThat(again.json().get("status").asString()).isEqualTo("ALLOCATED");
        assertThat(admin("DELETE", "/api/admin/resources/" + id, null).status()).isEqualTo(409);
        assertThat(admin("POST", "/api/admin/resources/" + id + "/quarantine", null)
                        .status())
                .isEqualTo(409);
        assertInvalid(admin("POST", "/api/admin/resources/" + id + "/allocate", Map.of()), "license_key");
        assertThat(admin("POST", "/api/admin/resources/" + id + "/allocate", Map.of("license_key", "AB-NOPE-NOPE"))
                        .code())
                .isEqualTo("LICENSE_NOT_FOUND");

        Http.Response released = as(Role.SUPPORT, "POST", "/api/admin/resources/" + id + "/release", null);
        assertThat(released.status()).as(released.toString()).isEqualTo(200);
        assertThat(released.json().get("status").asString()).isEqualTo("QUARANTINED");
        assertThat(released.json().get("license_key").isNull()).isTrue();
        assertThat(admin("POST", "/api/admin/resources/" + id + "/release", null)
                        .status())
                .isEqualTo(409);
        assertThat(as(Role.SUPPORT, "POST", "/api/admin/resources/" + id + "/make-available", null)
                        .status())
                .isEqualTo(403);
        assertThat(done(admin("POST", "/api/admin/resources/" + id + "/make-available", null))
                        .get("status")
                        .asString())
                .isEqualTo("AVAILABLE");
        Instant until = clock.instant().plus(Duration.ofDays(3)).truncatedTo(java.time.temporal.ChronoUnit.SECONDS);
        JsonNode quarantined =
                done(admin("POST", "/api/admin/resources/" + id + "/quarantine", Map.of("until", until.toString())));
        assertThat(Instant.parse(quarantined.get("quarantined_until").asString()))
                .isEqualTo(until);
        assertInvalid(
                admin(
                        "POST",
                        "/api/admin/resources/" + id + "/quarantine",
                        Map.of("until", clock.instant().minusSeconds(60).toString())),
                "until");
        JsonNode patched = done(admin("PATCH", "/api/admin/resources/" + id, Map.of("notes", "spare")));
        assertThat(patched.get("notes").asString()).isEqualTo("spare");

        // A revoked license gets nothing by hand.
        done(admin("POST", "/api/admin/resources/" + id + "/make-available", null));
        done(admin("POST", "/api/admin/licenses/" + key + "/revoke", null));
        assertThat(admin("POST", "/api/admin/resources/" + id + "/allocate", Map.of("license_key", key))
                        .status())
                .isEqualTo(409);

        JsonNode history = done(adminGet("/api/admin/resources/" + id + "/history"));
        assertThat(history.get("total").asLong()).isEqualTo(1);
        assertThat(history.get("items").get(0).get("release_reason").asString()).isEqualTo("released");
        assertThat(history.get("items").get(0).get("allocated_by").asString()).startsWith("token:");
        assertThat(auditActions("resource", id))
                .containsExactly(
                        "resource.create",
                        "resource.allocate",
                        "resource.release",
                        "resource.make_available",
                        "resource.quarantine",
                        "resource.update",
                        "resource.make_available");

        assertThat(admin("DELETE", "/api/admin/resources/" + id, null).status()).isEqualTo(204);
        assertThat(adminGet("/api/admin/resources/" + id).status()).isEqualTo(404);
        // The history outlives the resource.
        assertThat(jdbc.sql("SELECT COUNT(*) FROM resource_allocations WHERE license_key = ?")
                        .param(key)
                        .query(Long.class)
                        .single())
                .isEqualTo(1);
    }

    @Test
    void oddInputNeverCausesAServerErrorNorAChange() {
        TestProduct product = product();
        String key = licenseKey(product, Map.of());
        long available = resource("DOMAIN", domain()).get("id").asLong();
        long allocated = resource("IPV4", ipv4()).get("id").asLong();
        done(admin("POST", "/api/admin/resources/" + allocated + "/allocate", Map.of("license_key", key)));
        long audits = auditCount();
        List<String> bodies = List.of(
                "",
                "null",
                "[]",
                "42",
                "{",
                "{\"kind\": null, \"value\": null}",
                "{\"kind\": \"DOMAIN\", \"value\": \"\\u0000.com\"}",
                "{\"kind\": \"DOMAIN\", \"value\": \"" + "a".repeat(600) + ".com\"}",
                "{\"kind\": [\"DOMAIN\"], \"values\": \"x\"}",
                "{\"kind\": \"PHONE\", \"values\": [1, 2]}",
                "{\"license_key\": 42}",
                "{\"license_key\": \"\\ud800\"}",
                "{\"until\": \"+999999999-12-31T23:59:59Z\"}",
                "{\"until\": \"yesterday\"}",
                "{\"notes\": [\"x\"]}");
        List<String[]> targets = List.of(
                new String[] {"POST", "/api/admin/resources"},
                new String[] {"POST", "/api/admin/resources/batch"},
                new String[] {"PATCH", "/api/admin/resources/" + available},
                new String[] {"POST", "/api/admin/resources/" + available + "/allocate"},
                new String[] {"POST", "/api/admin/resources/" + allocated + "/quarantine"});
        List<String> failures = oddInputFailures(
                targets,
                bodies,
                (target, body, status) -> status >= 400 && status < 500,
                List.of(
                        "/api/admin/resources/1.5",
                        "/api/admin/resources/-1/history",
                        "/api/admin/resources?q=%00",
                        "/api/admin/resources?license_key=%E2%82%AC%E2%82%AC",
                        "/api/admin/resources?page=99999999&size=500",
                        "/api/admin/licenses/%00/resources",
                        "/api/admin/licenses/%00/resources?page=-1"));
        assertThat(failures).isEmpty();
        assertThat(status(available)).isEqualTo("AVAILABLE");
        assertThat(status(allocated)).isEqualTo("ALLOCATED");
        assertThat(auditCount()).isEqualTo(audits);
    }

    // ---- the panel ----

    private static PanelUser panelUser(dev.licensor.server.security.Role role) {
        return new PanelUser(1, "panel-" + role.name().toLowerCase(), role, "x", true, false);
    }

    @Test
    void thePanelListsFiltersExportsAndShowsALicensesResources() throws Exception {
        String marker = "p" + VALUES.getAndIncrement();
        String name = marker + ".pool.example";
        TestProduct product = product();
        long id = resource("DOMAIN", name).get("id").asLong();
        String key = licenseKey(product, Map.of());
        var admin = user(panelUser(dev.licensor.server.security.Role.ADMIN));
        var support = user(panelUser(dev.licensor.server.security.Role.SUPPORT));

        MvcResult list = mvc.perform(get("/admin/resources")
                        .param("q", marker)
                        .param("kind", "DOMAIN")
                        .with(admin))
                .andReturn();
        assertThat(list.getResponse().getStatus()).isEqualTo(200);
        assertThat(list.getResponse().getContentAsString()).contains(name).contains("id=\"new-resource\"");
        MvcResult other = mvc.perform(get("/admin/resources")
                        .param("q", marker)
                        .param("kind", "PHONE")
                        .with(admin))
                .andReturn();
        assertThat(other.getResponse().getContentAsString()).doesNotContain(name);

        MvcResult page =
                mvc.perform(get("/admin/licenses/" + key).with(support)).andReturn();
        assertThat(page.getResponse().getStatus()).isEqualTo(200);
        assertThat(page.getResponse().getContentAsString())
                .contains("id=\"license-resources\"")
                .contains("id=\"allocate-resource\"")
                .contains("Domain: " + name);

        MvcResult allocate = mvc.perform(post("/admin/licenses/" + key + "/resources/allocate")
                        .param("resourceId", String.valueOf(id))
                        .with(support)
                        .with(csrf()))
                .andReturn();
        assertThat(allocate.getResponse().getRedirectedUrl()).isEqualTo("/admin/licenses/" + key);
        assertThat(status(id)).isEqualTo("ALLOCATED");
        assertThat(mvc.perform(get("/admin/licenses/" + key).with(support))
                        .andReturn()
                        .getResponse()
                        .getContentAsString())
                .contains("id=\"allocated-resources\"")
                .contains("/admin/licenses/" + key + "/resources/" + id + "/release");

        MvcResult csv = mvc.perform(
                        get("/admin/resources/export.csv").param("q", marker).with(admin))
                .andReturn();
        assertThat(csv.getResponse().getContentAsString())
                .startsWith("id,kind,value,status,license_key")
                .contains(name + ",ALLOCATED," + key);

        MvcResult detail =
                mvc.perform(get("/admin/resources/" + id).with(admin)).andReturn();
        assertThat(detail.getResponse().getStatus()).isEqualTo(200);
        assertThat(detail.getResponse().getContentAsString())
                .contains("id=\"allocations\"")
                .contains(key);

        mvc.perform(post("/admin/licenses/" + key + "/resources/" + id + "/release")
                        .with(support)
                        .with(csrf()))
                .andReturn();
        assertThat(status(id)).isEqualTo("QUARANTINED");
        // The German panel names the section in German.
        assertThat(mvc.perform(get("/admin/licenses/" + key)
                                .header("Accept-Language", "de")
                                .with(support))
                        .andReturn()
                        .getResponse()
                        .getContentAsString())
                .contains("Zugeteilte Ressourcen");
    }

    @Test
    void thePanelsLicenseTypePageSetsTheResourceCounts() throws Exception {
        var admin = user(panelUser(dev.licensor.server.security.Role.ADMIN));
        TestProduct product = product();
        String base = "/admin/products/" + product.id() + "/license-types";
        MvcResult created = mvc.perform(post(base)
                        .param("name", "Shop")
                        .param("durationDays", "365")
                        .param("expirationBasis", "FROM_CREATION")
                        .param("deviceLimit", "3")
                        .param("concurrentSessionsLimit", "")
                        .param("features", "export, print")
                        .param("domains", "2")
                        .param("ipv4Addresses", "0")
                        .param("phoneNumbers", "1")
                        .with(admin)
                        .with(csrf()))
                .andReturn();
        assertThat(created.getResponse().getRedirectedUrl()).isEqualTo(base);
        JsonNode type = done(adminGet("/api/admin/license-types?product_id=" + product.id()))
                .get("items")
                .get(0);
        assertThat(type.get("domains").asInt()).isEqualTo(2);
        assertThat(type.get("phone_numbers").asInt()).isEqualTo(1);
        assertThat(type.get("concurrent_sessions_limit").asInt()).isEqualTo(3);
        assertThat(type.get("features").toString()).isEqualTo("[\"export\",\"print\"]");
        long id = type.get("id").asLong();
        String csv = mvc.perform(get(base + "/export.csv").with(admin))
                .andReturn()
                .getResponse()
                .getContentAsString();
        assertThat(csv.lines().toList())
                .hasSize(2)
                .startsWith("id,name,duration_days,expiration_basis,device_limit,concurrent_sessions_limit,features,"
                        + "single_use,domains,ipv4_addresses,phone_numbers,created_at,updated_at");
        assertThat(csv.lines().toList().get(1))
                .startsWith(id + ",Shop,365,FROM_CREATION,3,3,export;print,false,2,0,1,");

        mvc.perform(post(base + "/" + id)
                        .param("name", "Shop")
                        .param("durationDays", "")
                        .param("deviceLimit", "3")
                        .param("concurrentSessionsLimit", "2")
                        .param("domains", "2")
                        .param("ipv4Addresses", "1")
                        .param("phoneNumbers", "1")
                        .with(admin)
                        .with(csrf()))
                .andReturn();
        JsonNode edited = done(adminGet("/api/admin/license-types/" + id));
        assertThat(edited.get("ipv4_addresses").asInt()).isEqualTo(1);
        assertThat(edited.get("duration_days").isNull()).isTrue();
        assertThat(edited.get("concurrent_sessions_limit").asInt()).isEqualTo(2);

        String page =
                mvc.perform(get(base).with(admin)).andReturn().getResponse().getContentAsString();
        assertThat(page).contains("id=\"type-" + id + "\"").contains("name=\"ipv4Addresses\"");
        assertThat(mvc.perform(get("/admin/products/" + product.id()).with(admin))
                        .andReturn()
                        .getResponse()
                        .getContentAsString())
                .contains("id=\"license-types-link\"");

        mvc.perform(post(base + "/" + id + "/delete").with(admin).with(csrf())).andReturn();
        assertThat(adminGet("/api/admin/license-types/" + id).status()).isEqualTo(404);
    }

    @Test
    void theCsvImportTakesAllRowsOrNone() throws Exception {
        var admin = user(panelUser(dev.licensor.server.security.Role.ADMIN));
        String good1 = domain();
        String good2 = phone();
        String bad = "kind,value,notes\nDOMAIN," + good1 + ",first\nPHONE," + good2 + ",\nIPV4,999.1.1.1,broken\n";
        long before =
                jdbc.sql("SELECT COUNT(*) FROM resources").query(Long.class).single();

        MvcResult refused = mvc.perform(post("/admin/resources/import")
                        .param("csv", bad)
                        .param("commit", "true")
                        .with(admin)
                        .with(csrf()))
                .andReturn();
        assertThat(refused.getResponse().getStatus()).isEqualTo(200);
        assertThat(refused.getResponse().getContentAsString())
                .contains("id=\"import-rows\"")
                .contains("table-danger")
                .contains("IPv4 address");
        assertThat(jdbc.sql("SELECT COUNT(*) FROM resources").query(Long.class).single())
                .isEqualTo(before);

        // As exported: a phone number carries the apostrophe that keeps spreadsheets from computing it.
        String goodCsv = "kind,value,notes\ndomain," + good1.toUpperCase() + ",first\nPHONE,'" + good2 + ",\n";
        MvcResult preview = mvc.perform(post("/admin/resources/import")
                        .param("csv", goodCsv)
                        .with(admin)
                        .with(csrf()))
                .andReturn();
        assertThat(preview.getResponse().getContentAsString()).contains("id=\"import-commit\"");
        assertThat(jdbc.sql("SELECT COUNT(*) FROM resources").query(Long.class).single())
                .isEqualTo(before);

        MvcResult committed = mvc.perform(post("/admin/resources/import")
                        .param("csv", goodCsv)
                        .param("commit", "true")
                        .with(admin)
                        .with(csrf()))
                .andReturn();
        assertThat(committed.getResponse().getRedirectedUrl()).isEqualTo("/admin/resources");
        assertThat(jdbc.sql("SELECT notes FROM resources WHERE kind = 'DOMAIN' AND identifier = ?")
                        .param(good1)
                        .query(String.class)
                        .single())
                .isEqualTo("first");
        assertThat(jdbc.sql("SELECT COUNT(*) FROM resources").query(Long.class).single())
                .isEqualTo(before + 2);
        assertThat(jdbc.sql("SELECT COUNT(*) FROM resources WHERE kind = 'PHONE' AND identifier = ?")
                        .param(good2)
                        .query(Long.class)
                        .single())
                .isEqualTo(1);

        // A SUPPORT user may not import into the pool.
        assertThat(mvc.perform(post("/admin/resources/import")
                                .param("csv", goodCsv)
                                .with(user(panelUser(dev.licensor.server.security.Role.SUPPORT)))
                                .with(csrf()))
                        .andReturn()
                        .getResponse()
                        .getStatus())
                .isEqualTo(403);
    }
}
