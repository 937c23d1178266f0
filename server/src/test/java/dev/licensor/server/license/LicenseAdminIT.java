package dev.licensor.server.license;

import static org.assertj.core.api.Assertions.assertThat;

import dev.licensor.server.testing.AbstractAdminIT;
import dev.licensor.server.testing.Http;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import tools.jackson.databind.JsonNode;

class LicenseAdminIT extends AbstractAdminIT {
    /** What an expiry or start field refuses: impossible dates, other formats, out of range, empty. */
    private static final List<String> NOT_DATES = List.of(
            "2031-13-01",
            "2031-02-30",
            "2031-1-1",
            "01.01.2032",
            "2032-01-01T00:00:00",
            "2032-01-01T25:00:00Z",
            "2032-01-01 12:00",
            "next year",
            "+10000-01-01",
            "1969-12-31",
            "");

    @Autowired
    RecordedEvents events;

    private static List<String> keys(JsonNode page) {
        return page.get("items")
                .valueStream()
                .map(l -> l.get("license_key").asString())
                .toList();
    }

    private long licenseId(String key) {
        return ok(adminGet("/api/admin/licenses/" + key)).get("id").asLong();
    }

    @Test
    void getsALicenseByItsKeyAsTypedIgnoringCaseDashesAndConfusables() {
        TestProduct product = product(Map.of("name", "Forger"));
        JsonNode created = license(product, Map.of("device_limit", 2, "notes", "n1"));
        String key = created.get("license_key").asString();

        JsonNode license = ok(
                adminGet("/api/admin/licenses/" + key.toLowerCase(Locale.ROOT).replace("-", "")));
        assertThat(license.get("id").asLong()).isEqualTo(created.get("id").asLong());
        assertThat(license.get("license_key").asString()).isEqualTo(key);
        assertThat(license.get("product").asString()).isEqualTo("Forger");
        assertThat(license.get("status").asString()).isEqualTo("ACTIVE");
        assertThat(license.get("notes").asString()).isEqualTo("n1");
        String body = key.substring(product.prefix().length());
        if (body.contains("0")) {
            String typed = product.prefix() + body.replace('0', 'o');
            assertThat(ok(adminGet("/api/admin/licenses/" + typed))
                            .get("license_key")
                            .asString())
                    .isEqualTo(key);
        }

        String unknown = product.prefix() + "-00000-00000-00000-00000-00000";
        Http.Response missing = adminGet("/api/admin/licenses/" + unknown);
        assertThat(missing.status()).isEqualTo(404);
        assertThat(missing.code()).isEqualTo("LICENSE_NOT_FOUND");
        assertInvalid(adminGet("/api/admin/licenses/ab"), "license_key");
        assertInvalid(adminGet("/api/admin/licenses/" + "A".repeat(129)), "license_key");
        assertInvalid(adminGet("/api/admin/licenses/" + "ABCD%01EF"), "license_key");
    }

    @Test
    void aLicenseInItsGraceDaysIsListedAndCountedAsActiveAsItIsShown() {
        TestProduct product = product(Map.of("expiry_grace_days", 3));
        long customer = customer("Grace Customer " + UUID.randomUUID(), Map.of());
        Instant now = Instant.now();
        String inGrace = licenseKey(
                product,
                Map.of(
                        "customer_id",
                        customer,
                        "expires_at",
                        now.minus(Duration.ofDays(2)).toString()));
        String pastGrace = licenseKey(
                product,
                Map.of(
                        "customer_id",
                        customer,
                        "expires_at",
                        now.minus(Duration.ofDays(4)).toString()));

        String base = "/api/admin/licenses?product_id=" + product.id();
        JsonNode active = ok(adminGet(base + "&status=ACTIVE"));
        assertThat(keys(active)).containsExactly(inGrace);
        assertThat(active.at("/items/0/status").asString()).isEqualTo("ACTIVE");
        JsonNode expired = ok(adminGet(base + "&status=EXPIRED"));
        assertThat(keys(expired)).containsExactly(pastGrace);
        assertThat(expired.at("/items/0/status").asString()).isEqualTo("EXPIRED");
        JsonNode stats =
                ok(adminGet("/api/admin/customers/" + customer + "/licenses")).get("stats");
        assertThat(stats.at("/by_status/ACTIVE").asLong()).isEqualTo(1);
        assertThat(stats.at("/by_status/EXPIRED").asLong()).isEqualTo(1);
    }

    @Test
    void listsWithEveryFilterAndPagination() {
        TestProduct product = product();
        long customer = customer("Filter Customer " + UUID.randomUUID(), Map.of());
        long type = admin("POST", "/api/admin/license-types", Map.of("product_id", product.id(), "name", "T"))
                .json()
                .get("id")
                .asLong();
        Instant now = Instant.now();
        String typed = licenseKey(product, Map.of("customer_id", customer, "license_type_id", type));
        String suspended = licenseKey(product, Map.of());
        String revoked = licenseKey(product, Map.of());
        String expired = licenseKey(
                product, Map.of("expires_at", now.minus(Duration.ofDays(2)).toString()));
        String expiring = licenseKey(
                product, Map.of("expires_at", now.plus(Duration.ofDays(5)).toString()));
        String later = licenseKey(
                product, Map.of("expires_at", now.plus(Duration.ofDays(50)).toString()));
        String suspicious = licenseKey(product, Map.of("notes", "watch this one"));
        Http.Response batch =
                admin("POST", "/api/admin/licenses/batch", Map.of("product_id", product.id(), "count", 3));
        assertThat(batch.status()).isEqualTo(201);
        String batchId = batch.json().get("batch_id").asString();
        admin("POST", "/api/admin/licenses/" + suspended + "/suspend", null);
        admin("POST", "/api/admin/licenses/" + revoked + "/revoke", null);
        jdbc.sql("UPDATE licenses SET suspicious = TRUE, suspicious_reason = 'test' WHERE license_key = ?")
                .param(suspicious)
                .update();

        String base = "/api/admin/licenses?product_id=" + product.id();
        assertThat(ok(adminGet(base)).get("total").asLong()).isEqualTo(10);
        assertThat(ok(adminGet(base + "&status=ACTIVE")).get("total").asLong()).isEqualTo(7);
        assertThat(keys(ok(adminGet(base + "&status=expired")))).containsExactly(expired);
        assertThat(keys(ok(adminGet(base + "&status=SUSPENDED")))).containsExactly(suspended);
        assertThat(keys(ok(adminGet(base + "&status=REVOKED")))).containsExactly(revoked);
        assertThat(keys(ok(adminGet(base + "&customer_id=" + customer)))).containsExactly(typed);
        assertThat(keys(ok(adminGet(base + "&license_type_id=" + type)))).containsExactly(typed);
        assertThat(keys(ok(adminGet(base + "&expiring_within_days=7")))).containsExactly(expiring);
        assertThat(keys(ok(adminGet(base + "&expiring_within_days=60")))).containsExactlyInAnyOrder(expiring, later);
        assertThat(keys(ok(adminGet(base + "&suspicious=true")))).containsExactly(suspicious);
        assertThat(ok(adminGet(base + "&suspicious=false")).get("total").asLong())
                .isEqualTo(9);
        assertThat(ok(adminGet(base + "&batch_id=" + batchId)).get("total").asLong())
                .isEqualTo(3);
        assertThat(keys(ok(adminGet(base + "&q=" + typed.substring(5, 16).toLowerCase(Locale.ROOT)))))
                .containsExactly(typed);
        assertThat(keys(ok(adminGet(base + "&q=filter+customer")))).containsExactly(typed);
        assertThat(keys(ok(adminGet(base + "&q=WATCH")))).containsExactly(suspicious);
        assertThat(ok(adminGet("/api/admin/licenses?batch_id=" + batchId + "&status=ACTIVE"))
                        .get("total")
                        .asLong())
                .isEqualTo(3);

        JsonNode first = ok(adminGet(base + "&size=4"));
        JsonNode third = ok(adminGet(base + "&size=4&page=2"));
        assertThat(first.get("items").size()).isEqualTo(4);
        assertThat(third.get("items").size()).isEqualTo(2);
        assertThat(third.get("total").asLong()).isEqualTo(10);
        // Newest first: the first license created is the last one listed.
        assertThat(keys(third).getLast()).isEqualTo(typed);
        assertThat(first.at("/items/0/licensed_to").isNull()).isTrue();

        assertInvalid(adminGet(base + "&status=BOGUS"), "status");
        assertInvalid(adminGet(base + "&expiring_within_days=-1"), "expiring_within_days");
        assertInvalid(adminGet(base + "&expiring_within_days=x"), "expiring_within_days");
        assertInvalid(adminGet("/api/admin/licenses?product_id=abc"), "product_id");
        assertInvalid(adminGet(base + "&suspicious=maybe"), "suspicious");
        assertInvalid(adminGet(base + "&q=" + "x".repeat(201)), "q");
        assertInvalid(adminGet(base + "&size=501"), "size");
    }

    @Test
    void patchesLimitsExpiryAndMoreWithAnAuditRowAndAnEventInTheTransaction() {
        TestProduct product = product();
        long customer = customer("Patch " + UUID.randomUUID(), Map.of("company", "Patch Co"));
        long type = admin("POST", "/api/admin/license-types", Map.of("product_id", product.id(), "name", "Pro"))
                .json()
                .get("id")
                .asLong();
        String key = licenseKey(product, Map.of("device_limit", 2, "notes", "before"));
        long id = licenseId(key);
        Instant expiry = Instant.now().plus(Duration.ofDays(90)).truncatedTo(ChronoUnit.SECONDS);

        Map<String, Object> patch = new HashMap<>();
        patch.put("customer_id", customer);
        patch.put("license_type_id", type);
        patch.put("device_limit", 5);
        patch.put("concurrent_sessions_limit", 3);
        patch.put("expires_at", expiry.toString());
        patch.put("features", List.of("export"));
        patch.put("single_use", true);
        patch.put("notes", "after");
        JsonNode patched = ok(admin("PATCH", "/api/admin/licenses/" + key, patch));
        assertThat(patched.get("customer_id").asLong()).isEqualTo(customer);
        assertThat(patched.get("licensed_to").asString()).isEqualTo("Patch Co");
        assertThat(patched.get("type").asString()).isEqualTo("Pro");
        assertThat(patched.get("device_limit").asInt()).isEqualTo(5);
        assertThat(patched.get("concurrent_sessions_limit").asInt()).isEqualTo(3);
        assertThat(Instant.parse(patched.get("expires_at").asString())).isEqualTo(expiry);
        assertThat(patched.get("features").get(0).asString()).isEqualTo("export");
        assertThat(patched.get("single_use").asBoolean()).isTrue();
        assertThat(patched.get("notes").asString()).isEqualTo("after");

        JsonNode audit = ok(adminGet("/api/admin/audit?entity_type=license&entity_id=" + id));
        assertThat(audit.at("/items/0/action").asString()).isEqualTo("license.update");
        assertThat(audit.at("/items/0/old_value/device_limit").asInt()).isEqualTo(2);
        assertThat(audit.at("/items/0/new_value/device_limit").asInt()).isEqualTo(5);
        assertThat(audit.at("/items/0/actor").asString()).isEqualTo("token:bootstrap");
        assertThat(events.of(id))
                .contains(new RecordedEvents.Recorded(new LicenseStatusChanged(id, LicenseStatus.ACTIVE), true));

        // null clears: perpetual again, customer detached.
        Map<String, Object> clear = new HashMap<>();
        clear.put("expires_at", null);
        clear.put("customer_id", null);
        clear.put("notes", null);
        JsonNode cleared = ok(admin("PATCH", "/api/admin/licenses/" + key, clear));
        assertThat(cleared.get("expires_at").isNull()).isTrue();
        assertThat(cleared.get("customer_id").isNull()).isTrue();
        assertThat(cleared.get("notes").isNull()).isTrue();
        assertThat(cleared.get("device_limit").asInt()).isEqualTo(5);
    }

    @Test
    void refusesBadPatchesAndChangesNothing() {
        TestProduct product = product();
        TestProduct other = product();
        long otherType = admin("POST", "/api/admin/license-types", Map.of("product_id", other.id(), "name", "Other"))
                .json()
                .get("id")
                .asLong();
        String key = licenseKey(product, Map.of("device_limit", 3, "concurrent_sessions_limit", 2));
        long id = licenseId(key);
        String before = ok(adminGet("/api/admin/licenses/" + key)).toString();
        long audits = auditCount();
        String path = "/api/admin/licenses/" + key;

        assertInvalid(admin("PATCH", path, Map.of("concurrent_sessions_limit", 4)), "concurrent_sessions_limit");
        assertInvalid(admin("PATCH", path, Map.of("device_limit", 1)), "concurrent_sessions_limit");
        assertInvalid(admin("PATCH", path, Map.of("device_limit", 0)), "device_limit");
        assertInvalid(admin("PATCH", path, Map.of("device_limit", 100_001)), "device_limit");
        assertInvalid(admin("PATCH", path, Map.of("device_limit", 1.5)), "device_limit");
        assertInvalid(admin("PATCH", path, Map.of("device_limit", "5")), "device_limit");
        assertInvalid(admin("PATCH", path, "{\"device_limit\": 99999999999999999999}"), "device_limit");
        assertInvalid(admin("PATCH", path, Map.of("customer_id", 999_999_999)), "customer_id");
        assertInvalid(admin("PATCH", path, Map.of("customer_id", -1)), "customer_id");
        assertInvalid(admin("PATCH", path, Map.of("license_type_id", otherType)), "license_type_id");
        assertInvalid(admin("PATCH", path, Map.of("expires_at", "tomorrow")), "expires_at");
        assertInvalid(admin("PATCH", path, Map.of("expires_at", "+20000-01-01T00:00:00Z")), "expires_at");
        assertInvalid(
                admin(
                        "PATCH",
                        path,
                        Map.of("valid_from", "2030-01-01T00:00:00Z", "expires_at", "2029-01-01T00:00:00Z")),
                "expires_at");
        assertInvalid(admin("PATCH", path, Map.of("features", "export")), "features");
        assertInvalid(admin("PATCH", path, Map.of("features", List.of("ok", ""))), "features");
        assertInvalid(admin("PATCH", path, Map.of("single_use", "true")), "single_use");
        assertInvalid(admin("PATCH", path, Map.of("notes", "x".repeat(10_001))), "notes");
        assertInvalid(admin("PATCH", path, Map.of("license_key", "AB-1")), "license_key");
        assertInvalid(admin("PATCH", path, Map.of("status", "REVOKED")), "status");
        assertThat(admin("PATCH", path, "{\"notes\": ").status()).isEqualTo(400);
        assertThat(admin("PATCH", path, "\"text\"").status()).isEqualTo(400);
        assertThat(http.send(
                                "PATCH",
                                path,
                                "notes=x",
                                "Authorization",
                                "Bearer " + dev.licensor.server.testing.TestDatabase.ADMIN_TOKEN,
                                "Content-Type",
                                "text/plain")
                        .status())
                .isBetween(400, 415);
        assertThat(admin(
                                "PATCH",
                                "/api/admin/licenses/" + product.prefix() + "-00000-00000-00000-00000-00000",
                                Map.of("notes", "x"))
                        .status())
                .isEqualTo(404);

        assertThat(ok(adminGet("/api/admin/licenses/" + key)).toString()).isEqualTo(before);
        assertThat(auditCount()).isEqualTo(audits);
        assertThat(events.of(id)).isEmpty();
    }

    @Test
    void loweringTheDeviceLimitBelowTheDevicesInUseKeepsThemWorkingButAdmitsNoNewOne() {
        TestProduct product = product();
        String key = licenseKey(product, Map.of("device_limit", 2));
        assertThat(activate(product, key, "hw-1").status()).isEqualTo(200);
        assertThat(activate(product, key, "hw-2").status()).isEqualTo(200);

        JsonNode lowered = ok(admin(
                "PATCH", "/api/admin/licenses/" + key, Map.of("device_limit", 1, "concurrent_sessions_limit", 1)));
        assertThat(lowered.get("device_limit").asInt()).isEqualTo(1);
        assertThat(lowered.get("devices_used").asInt()).isEqualTo(2);

        for (String hw : List.of("hw-1", "hw-2")) {
            Http.Response verify =
                    client(product, "/api/license/verify", Map.of("license_key", key, "hardware_hash", hw));
            assertThat(verify.json().get("code").asString()).isEqualTo("VALID");
            assertThat(activate(product, key, hw).json().get("new_device").asBoolean())
                    .isFalse();
        }
        Http.Response third = activate(product, key, "hw-3");
        assertThat(third.status()).isEqualTo(409);
        assertThat(third.code()).isEqualTo("DEVICE_LIMIT_REACHED");

        assertThat(client(product, "/api/license/deactivate", Map.of("license_key", key, "hardware_hash", "hw-2"))
                        .status())
                .isEqualTo(200);
        assertThat(activate(product, key, "hw-3").status()).isEqualTo(409);
        assertThat(client(product, "/api/license/deactivate", Map.of("license_key", key, "hardware_hash", "hw-1"))
                        .status())
                .isEqualTo(200);
        assertThat(activate(product, key, "hw-3").status()).isEqualTo(200);
    }

    @Test
    void suspendsReinstatesAndRevokesWithEventsAndAuditRowsAndRevocationIsFinal() {
        TestProduct product = product();
        String key = licenseKey(product, Map.of());
        long id = licenseId(key);
        assertThat(activate(product, key, "hw-1").status()).isEqualTo(200);

        JsonNode suspended = ok(admin("POST", "/api/admin/licenses/" + key + "/suspend", Map.of("reason", "unpaid")));
        assertThat(suspended.get("status").asString()).isEqualTo("SUSPENDED");
        assertThat(client(product, "/api/license/verify", Map.of("license_key", key))
                        .json()
                        .get("code")
                        .asString())
                .isEqualTo("SUSPENDED");
        // Suspending again changes nothing and records nothing.
        assertThat(ok(admin("POST", "/api/admin/licenses/" + key + "/suspend", null))
                        .get("status")
                        .asString())
                .isEqualTo("SUSPENDED");

        assertThat(ok(admin("POST", "/api/admin/licenses/" + key + "/reinstate", Map.of()))
                        .get("status")
                        .asString())
                .isEqualTo("ACTIVE");
        assertThat(client(product, "/api/license/verify", Map.of("license_key", key))
                        .json()
                        .get("code")
                        .asString())
                .isEqualTo("VALID");

        assertThat(ok(admin("POST", "/api/admin/licenses/" + key + "/revoke", null))
                        .get("status")
                        .asString())
                .isEqualTo("REVOKED");
        assertThat(ok(admin("POST", "/api/admin/licenses/" + key + "/revoke", null))
                        .get("status")
                        .asString())
                .isEqualTo("REVOKED");
        for (String action : List.of("reinstate", "suspend")) {
            Http.Response refused = admin("POST", "/api/admin/licenses/" + key + "/" + action, null);
            assertThat(refused.status()).isEqualTo(409);
            assertThat(refused.code()).isEqualTo("CONFLICT");
            assertThat(refused.json().get("status").asString()).isEqualTo("REVOKED");
        }
        Http.Response extend = admin("POST", "/api/admin/licenses/" + key + "/extend", Map.of("days", 30));
        assertThat(extend.status()).isEqualTo(409);
        assertThat(client(product, "/api/license/verify", Map.of("license_key", key))
                        .json()
                        .get("code")
                        .asString())
                .isEqualTo("REVOKED");

        assertThat(auditActions("license", id))
                .containsExactly("license.create", "license.suspend", "license.reinstate", "license.revoke");
        JsonNode audit = ok(adminGet("/api/admin/audit?entity_type=license&entity_id=" + id + "&size=10"));
        assertThat(audit.at("/items/2/new_value/reason").asString()).isEqualTo("unpaid");
        assertThat(events.of(id))
                .containsExactly(
                        new RecordedEvents.Recorded(new LicenseStatusChanged(id, LicenseStatus.SUSPENDED), true),
                        new RecordedEvents.Recorded(new LicenseStatusChanged(id, LicenseStatus.ACTIVE), true),
                        new RecordedEvents.Recorded(new LicenseStatusChanged(id, LicenseStatus.REVOKED), true));

        assertInvalid(admin("POST", "/api/admin/licenses/" + key + "/suspend", Map.of("why", "x")), "why");
        assertThat(admin("POST", "/api/admin/licenses/" + key + "/pause", null).status())
                .isIn(404, 405);
    }

    @Test
    void extendsByDaysFromTheLaterOfNowAndTheExpiryOrToADate() {
        TestProduct product = product();
        Instant inTenDays = Instant.now().plus(Duration.ofDays(10)).truncatedTo(ChronoUnit.SECONDS);
        String running = licenseKey(product, Map.of("expires_at", inTenDays.toString()));
        JsonNode extended = ok(admin("POST", "/api/admin/licenses/" + running + "/extend", Map.of("days", 30)));
        assertThat(Instant.parse(extended.get("expires_at").asString())).isEqualTo(inTenDays.plus(Duration.ofDays(30)));

        String lapsed = licenseKey(product, Map.of("expires_at", "2020-01-01T00:00:00Z"));
        Instant before = Instant.now();
        JsonNode revived = ok(admin("POST", "/api/admin/licenses/" + lapsed + "/extend", Map.of("days", 5)));
        Instant newExpiry = Instant.parse(revived.get("expires_at").asString());
        assertThat(newExpiry)
                .isBetween(
                        before.plus(Duration.ofDays(5)).minusSeconds(5),
                        Instant.now().plus(Duration.ofDays(5)));
        assertThat(revived.get("status").asString()).isEqualTo("ACTIVE");

        Instant until = Instant.parse("2031-06-30T00:00:00Z");
        JsonNode dated =
                ok(admin("POST", "/api/admin/licenses/" + running + "/extend", Map.of("until", until.toString())));
        assertThat(Instant.parse(dated.get("expires_at").asString())).isEqualTo(until);
        assertInvalid(
                admin("POST", "/api/admin/licenses/" + running + "/extend", Map.of("until", "2030-01-01T00:00:00Z")),
                "until");

        // Not activated yet, counting from the first activation: the days go to the duration.
        String pending = licenseKey(product, Map.of("duration_days", 30, "expiration_basis", "FROM_FIRST_ACTIVATION"));
        JsonNode longer = ok(admin("POST", "/api/admin/licenses/" + pending + "/extend", Map.of("days", 15)));
        assertThat(longer.get("duration_days").asInt()).isEqualTo(45);
        assertThat(longer.get("expires_at").isNull()).isTrue();

        String perpetual = licenseKey(product, Map.of());
        Http.Response refused = admin("POST", "/api/admin/licenses/" + perpetual + "/extend", Map.of("days", 5));
        assertThat(refused.status()).isEqualTo(409);
        assertThat(refused.code()).isEqualTo("CONFLICT");
        assertThat(ok(adminGet("/api/admin/licenses/" + perpetual))
                        .get("expires_at")
                        .isNull())
                .isTrue();

        String farFuture = licenseKey(product, Map.of("expires_at", "9999-06-01T00:00:00Z"));
        long audits = auditCount();
        String path = "/api/admin/licenses/" + running + "/extend";
        assertInvalid(admin("POST", path, Map.of()), "days");
        assertInvalid(admin("POST", path, Map.of("days", 5, "until", "2040-01-01T00:00:00Z")), "until");
        assertInvalid(admin("POST", path, Map.of("days", 0)), "days");
        assertInvalid(admin("POST", path, Map.of("days", -3)), "days");
        assertInvalid(admin("POST", path, Map.of("days", 100_000)), "days");
        assertInvalid(admin("POST", path, Map.of("until", "soon")), "until");
        assertInvalid(admin("POST", path, Map.of("weeks", 2)), "weeks");
        assertThat(admin("POST", path, null).status()).isEqualTo(400);
        assertInvalid(admin("POST", "/api/admin/licenses/" + farFuture + "/extend", Map.of("days", 36_500)), "days");
        assertThat(Instant.parse(ok(adminGet("/api/admin/licenses/" + running))
                        .get("expires_at")
                        .asString()))
                .isEqualTo(until);
        assertThat(auditCount()).isEqualTo(audits);
        assertThat(auditActions("license", licenseId(running)))
                .containsExactly("license.create", "license.extend", "license.extend");
    }

    @Test
    void extendsToAPlainDateAsTheLastSecondOfThatDayInUtc() {
        TestProduct product = product();
        String key = licenseKey(product, Map.of("expires_at", "2030-01-01T00:00:00Z"));
        String path = "/api/admin/licenses/" + key + "/extend";

        JsonNode extended = ok(admin("POST", path, Map.of("until", "2031-01-01")));

        assertThat(extended.get("expires_at").asString()).isEqualTo("2031-01-01T23:59:59Z");
        assertThat(extended.get("status").asString()).isEqualTo("ACTIVE");
        JsonNode audit = ok(adminGet("/api/admin/audit?entity_type=license&entity_id=" + licenseId(key)));
        assertThat(audit.at("/items/0/action").asString()).isEqualTo("license.extend");
        assertThat(audit.at("/items/0/new_value/request/until").asString()).isEqualTo("2031-01-01T23:59:59Z");
        // A full timestamp is taken as it is.
        assertThat(ok(admin("POST", path, Map.of("until", "2031-06-30T12:00:00Z")))
                        .get("expires_at")
                        .asString())
                .isEqualTo("2031-06-30T12:00:00Z");

        long audits = auditCount();
        for (String garbage : NOT_DATES) {
            assertInvalid(admin("POST", path, Map.of("until", garbage)), "until");
        }
        assertThat(admin("POST", path, Map.of("until", "2031-13-01"))
                        .json()
                        .at("/errors/0/message")
                        .asString())
                .contains("2026-11-23T12:00:00Z", "a date such as 2026-11-23");
        // Not later than the current expiry (the end of 2031-06-29 is before its noon on 2031-06-30).
        assertInvalid(admin("POST", path, Map.of("until", "2031-06-29")), "until");
        assertThat(ok(adminGet("/api/admin/licenses/" + key)).get("expires_at").asString())
                .isEqualTo("2031-06-30T12:00:00Z");
        assertThat(auditCount()).isEqualTo(audits);

        // The latest day there is, and a license still waiting for its first activation.
        assertThat(ok(admin("POST", path, Map.of("until", "9999-12-31")))
                        .get("expires_at")
                        .asString())
                .isEqualTo("9999-12-31T23:59:59Z");
        String pending = licenseKey(product, Map.of("duration_days", 30, "expiration_basis", "FROM_FIRST_ACTIVATION"));
        assertThat(ok(admin("POST", "/api/admin/licenses/" + pending + "/extend", Map.of("until", "2035-03-01")))
                        .get("expires_at")
                        .asString())
                .isEqualTo("2035-03-01T23:59:59Z");
    }

    @Test
    void createBatchAndPatchTakeADateForExpiresAtAsTheEndAndForValidFromAsTheStartOfThatDayInUtc() {
        TestProduct product = product();

        JsonNode created = license(product, Map.of("valid_from", "2030-06-01", "expires_at", "2031-01-01"));

        assertThat(created.get("valid_from").asString()).isEqualTo("2030-06-01T00:00:00Z");
        assertThat(created.get("expires_at").asString()).isEqualTo("2031-01-01T23:59:59Z");
        // One day is enough: valid from its start through its end.
        Http.Response batch = admin(
                "POST",
                "/api/admin/licenses/batch",
                Map.of("product_id", product.id(), "count", 2, "valid_from", "2032-02-29", "expires_at", "2032-02-29"));
        assertThat(batch.status()).as(batch.toString()).isEqualTo(201);
        for (JsonNode batchKey : batch.json().get("license_keys")) {
            JsonNode issued = ok(adminGet("/api/admin/licenses/" + batchKey.asString()));
            assertThat(issued.get("valid_from").asString()).isEqualTo("2032-02-29T00:00:00Z");
            assertThat(issued.get("expires_at").asString()).isEqualTo("2032-02-29T23:59:59Z");
        }

        String key = created.get("license_key").asString();
        String path = "/api/admin/licenses/" + key;
        JsonNode patched = ok(admin("PATCH", path, Map.of("valid_from", "2030-07-01", "expires_at", "2033-12-31")));
        assertThat(patched.get("valid_from").asString()).isEqualTo("2030-07-01T00:00:00Z");
        assertThat(patched.get("expires_at").asString()).isEqualTo("2033-12-31T23:59:59Z");
        JsonNode audit = ok(adminGet("/api/admin/audit?entity_type=license&entity_id=" + licenseId(key)));
        assertThat(audit.at("/items/0/action").asString()).isEqualTo("license.update");
        assertThat(audit.at("/items/0/new_value/expires_at").asString()).isEqualTo("2033-12-31T23:59:59Z");
        // Full timestamps are taken as they are.
        JsonNode exact = ok(admin(
                "PATCH", path, Map.of("valid_from", "2030-07-01T08:30:00Z", "expires_at", "2034-01-01T12:00:00Z")));
        assertThat(exact.get("valid_from").asString()).isEqualTo("2030-07-01T08:30:00Z");
        assertThat(exact.get("expires_at").asString()).isEqualTo("2034-01-01T12:00:00Z");

        String before = ok(adminGet(path)).toString();
        long licenses = jdbc.sql("SELECT COUNT(*) FROM licenses WHERE product_id = ?")
                .param(product.id())
                .query(Long.class)
                .single();
        long audits = auditCount();
        for (String field : List.of("expires_at", "valid_from")) {
            for (String garbage : NOT_DATES) {
                assertInvalid(admin("PATCH", path, Map.of(field, garbage)), field);
                assertInvalid(
                        admin("POST", "/api/admin/licenses", Map.of("product_id", product.id(), field, garbage)),
                        field);
                assertInvalid(
                        admin(
                                "POST",
                                "/api/admin/licenses/batch",
                                Map.of("product_id", product.id(), "count", 1, field, garbage)),
                        field);
            }
            assertThat(admin("PATCH", path, Map.of(field, "2031-13-01"))
                            .json()
                            .at("/errors/0/message")
                            .asString())
                    .contains("2026-11-23T12:00:00Z", "a date such as 2026-11-23");
        }
        // A date is a whole day: expiring on the day before it starts is refused.
        assertInvalid(
                admin("PATCH", path, Map.of("valid_from", "2034-01-02", "expires_at", "2034-01-01")), "expires_at");
        assertInvalid(
                admin(
                        "POST",
                        "/api/admin/licenses",
                        Map.of("product_id", product.id(), "valid_from", "2034-01-02", "expires_at", "2034-01-01")),
                "expires_at");
        assertThat(ok(adminGet(path)).toString()).isEqualTo(before);
        assertThat(jdbc.sql("SELECT COUNT(*) FROM licenses WHERE product_id = ?")
                        .param(product.id())
                        .query(Long.class)
                        .single())
                .isEqualTo(licenses);
        assertThat(auditCount()).isEqualTo(audits);

        // The latest day there is.
        assertThat(ok(admin("PATCH", path, Map.of("expires_at", "9999-12-31")))
                        .get("expires_at")
                        .asString())
                .isEqualTo("9999-12-31T23:59:59Z");
    }

    @Test
    void concurrentExtensionsAllCountBecauseEachLocksTheLicense() throws Exception {
        TestProduct product = product();
        String key = licenseKey(product, Map.of("expires_at", "2040-01-01T00:00:00Z"));
        int clients = 8;
        ExecutorService pool = Executors.newFixedThreadPool(clients);
        try {
            CountDownLatch start = new CountDownLatch(1);
            List<Future<Http.Response>> answers = new ArrayList<>();
            for (int i = 0; i < clients; i++) {
                answers.add(pool.submit(() -> {
                    start.await();
                    return admin("POST", "/api/admin/licenses/" + key + "/extend", Map.of("days", 10));
                }));
            }
            start.countDown();
            for (Future<Http.Response> answer : answers) {
                assertThat(answer.get().status()).isEqualTo(200);
            }
        } finally {
            pool.shutdownNow();
        }
        assertThat(ok(adminGet("/api/admin/licenses/" + key)).get("expires_at").asString())
                .isEqualTo(Instant.parse("2040-01-01T00:00:00Z")
                        .plus(Duration.ofDays(10L * clients))
                        .toString());
    }

    @Test
    void deletesALicenseWithItsDevices() {
        TestProduct product = product();
        String key = licenseKey(product, Map.of());
        long id = licenseId(key);
        assertThat(activate(product, key, "hw-1").status()).isEqualTo(200);

        assertThat(admin("DELETE", "/api/admin/licenses/" + key, null).status()).isEqualTo(204);
        assertThat(adminGet("/api/admin/licenses/" + key).status()).isEqualTo(404);
        assertThat(jdbc.sql("SELECT COUNT(*) FROM devices WHERE license_id = ?")
                        .param(id)
                        .query(Long.class)
                        .single())
                .isZero();
        assertThat(client(product, "/api/license/verify", Map.of("license_key", key))
                        .json()
                        .get("code")
                        .asString())
                .isEqualTo("NOT_FOUND");
        assertThat(auditActions("license", id)).containsExactly("license.create", "license.delete");
        assertThat(events.of(id))
                .contains(new RecordedEvents.Recorded(new LicenseStatusChanged(id, LicenseStatus.REVOKED), true));
        assertThat(admin("DELETE", "/api/admin/licenses/" + key, null).status()).isEqualTo(404);
    }

    @Test
    void supportManagesLicensesViewersOnlyRead() {
        TestProduct product = product();
        String key = licenseKey(
                product,
                Map.of("expires_at", Instant.now().plus(Duration.ofDays(3)).toString()));
        String path = "/api/admin/licenses/" + key;
        Map<String, Object> patch = Map.of("notes", "by role");
        assertThat(as(Role.VIEWER, "GET", path, null).status()).isEqualTo(200);
        assertThat(as(Role.VIEWER, "GET", "/api/admin/licenses?product_id=" + product.id(), null)
                        .status())
                .isEqualTo(200);
        assertThat(as(Role.VIEWER, "GET", path + "/devices", null).status()).isEqualTo(200);
        assertThat(as(Role.VIEWER, "PATCH", path, patch).status()).isEqualTo(403);
        for (String action : List.of("suspend", "reinstate", "revoke")) {
            assertThat(as(Role.VIEWER, "POST", path + "/" + action, null).status())
                    .isEqualTo(403);
        }
        assertThat(as(Role.VIEWER, "POST", path + "/extend", Map.of("days", 1)).status())
                .isEqualTo(403);
        assertThat(as(Role.VIEWER, "DELETE", path, null).status()).isEqualTo(403);
        assertThat(as(Role.VIEWER, "POST", "/api/admin/licenses", Map.of("product_id", product.id()))
                        .status())
                .isEqualTo(403);
        assertThat(http.send("PATCH", path, patch).status()).isEqualTo(401);
        assertThat(ok(adminGet(path)).get("notes").isNull()).isTrue();

        assertThat(as(Role.SUPPORT, "PATCH", path, patch).status()).isEqualTo(200);
        assertThat(as(Role.SUPPORT, "POST", path + "/suspend", null).status()).isEqualTo(200);
        assertThat(as(Role.SUPPORT, "POST", path + "/reinstate", null).status()).isEqualTo(200);
        assertThat(as(Role.SUPPORT, "POST", path + "/extend", Map.of("days", 1)).status())
                .isEqualTo(200);
        assertThat(as(Role.SUPPORT, "POST", "/api/admin/licenses", Map.of("product_id", product.id()))
                        .status())
                .isEqualTo(201);
        assertThat(as(Role.SUPPORT, "POST", path + "/revoke", null).status()).isEqualTo(200);
        assertThat(as(Role.SUPPORT, "DELETE", path, null).status()).isEqualTo(204);
    }
}
