package dev.licensor.server.license.api;

import dev.licensor.server.license.AdminLicenseView;
import dev.licensor.server.license.DeviceView;
import dev.licensor.server.license.LicenseAdmin;
import dev.licensor.server.license.Licenses;
import dev.licensor.server.web.PageResponse;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.Parameter;
import io.swagger.v3.oas.annotations.media.Content;
import io.swagger.v3.oas.annotations.media.ExampleObject;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.tags.Tag;
import org.jspecify.annotations.Nullable;
import org.springframework.http.HttpStatus;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PatchMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.ResponseStatus;
import org.springframework.web.bind.annotation.RestController;
import tools.jackson.databind.JsonNode;

/** Admin API: licenses, their status actions and their devices. Writes: ADMIN or SUPPORT. */
@RestController
@RequestMapping("/api/admin/licenses")
@Tag(name = "Admin: licenses", description = "Issue, search, edit, suspend, extend and delete licenses; manage devices")
class AdminLicenseController {
    private static final String KEY_DOC = "The license key as typed: case, dashes and spaces do not matter";

    private final Licenses licenses;
    private final LicenseAdmin admin;

    AdminLicenseController(Licenses licenses, LicenseAdmin admin) {
        this.licenses = licenses;
        this.admin = admin;
    }

    @GetMapping
    @Operation(summary = "List licenses with filters, newest first")
    PageResponse<AdminLicenseView> list(
            @RequestParam(name = "product_id", required = false) @Nullable Long productId,
            @Parameter(description = "ACTIVE, EXPIRED (derived from expires_at), SUSPENDED or REVOKED")
                    @RequestParam(required = false)
                    @Nullable
                    String status,
            @RequestParam(name = "customer_id", required = false) @Nullable Long customerId,
            @RequestParam(name = "license_type_id", required = false) @Nullable Long licenseTypeId,
            @Parameter(description = "Only licenses expiring between now and now + this many days")
                    @RequestParam(name = "expiring_within_days", required = false)
                    @Nullable
                    Integer expiringWithinDays,
            @RequestParam(required = false) @Nullable Boolean suspicious,
            @RequestParam(name = "batch_id", required = false) @Nullable String batchId,
            @Parameter(description = "Search in keys, notes and the customer's name, email and company")
                    @RequestParam(required = false)
                    @Nullable
                    String q,
            @RequestParam(defaultValue = "0") int page,
            @RequestParam(defaultValue = "50") int size) {
        return admin.list(
                new LicenseAdmin.ListQuery(
                        productId, status, customerId, licenseTypeId, expiringWithinDays, suspicious, batchId, q),
                new PageResponse.Paging(page, size));
    }

    @PostMapping
    @ResponseStatus(HttpStatus.CREATED)
    @Operation(summary = "Create a license (or import an existing key with license_key)")
    AdminLicenseView create(
            @io.swagger.v3.oas.annotations.parameters.RequestBody(
                            content =
                                    @Content(
                                            schema = @Schema(implementation = ApiDocs.LicenseCreate.class),
                                            examples = @ExampleObject(value = ApiDocs.LICENSE_CREATE)))
                    @RequestBody
                    JsonNode body) {
        return licenses.create(body);
    }

    @PostMapping("/batch")
    @ResponseStatus(HttpStatus.CREATED)
    @Operation(summary = "Create up to 10 000 licenses in one transaction")
    Licenses.Batch batch(
            @io.swagger.v3.oas.annotations.parameters.RequestBody(
                            content =
                                    @Content(
                                            schema = @Schema(implementation = ApiDocs.LicenseBatch.class),
                                            examples = @ExampleObject(value = ApiDocs.LICENSE_BATCH)))
                    @RequestBody
                    JsonNode body) {
        return licenses.createBatch(body);
    }

    @GetMapping("/{key}")
    @Operation(summary = "One license")
    AdminLicenseView get(@Parameter(description = KEY_DOC) @PathVariable String key) {
        return admin.get(key);
    }

    @PatchMapping("/{key}")
    @Operation(
            summary = "Change a license",
            description = "Only the fields sent change; null clears a nullable field. concurrent_sessions_limit must"
                    + " not exceed device_limit. Lowering device_limit below the devices in use is allowed: those"
                    + " devices keep working, new activations are refused until enough are deactivated.")
    AdminLicenseView patch(
            @Parameter(description = KEY_DOC) @PathVariable String key,
            @io.swagger.v3.oas.annotations.parameters.RequestBody(
                            content =
                                    @Content(
                                            schema = @Schema(implementation = ApiDocs.LicensePatch.class),
                                            examples = @ExampleObject(value = ApiDocs.LICENSE_PATCH)))
                    @RequestBody
                    JsonNode body) {
        return admin.patch(key, body);
    }

    @DeleteMapping("/{key}")
    @ResponseStatus(HttpStatus.NO_CONTENT)
    @Operation(summary = "Delete a license and its devices")
    void delete(@Parameter(description = KEY_DOC) @PathVariable String key) {
        admin.delete(key);
    }

    @PostMapping("/{key}/suspend")
    @Operation(summary = "Suspend (no-op when already suspended; 409 when revoked)")
    AdminLicenseView suspend(
            @Parameter(description = KEY_DOC) @PathVariable String key,
            @io.swagger.v3.oas.annotations.parameters.RequestBody(
                            required = false,
                            content = @Content(schema = @Schema(implementation = ApiDocs.Reason.class)))
                    @RequestBody(required = false)
                    @Nullable
                    JsonNode body) {
        return admin.changeStatus(key, LicenseAdmin.StatusAction.SUSPEND, body);
    }

    @PostMapping("/{key}/reinstate")
    @Operation(summary = "Reinstate a suspended license (409 when revoked: revocation is final)")
    AdminLicenseView reinstate(
            @Parameter(description = KEY_DOC) @PathVariable String key,
            @io.swagger.v3.oas.annotations.parameters.RequestBody(
                            required = false,
                            content = @Content(schema = @Schema(implementation = ApiDocs.Reason.class)))
                    @RequestBody(required = false)
                    @Nullable
                    JsonNode body) {
        return admin.changeStatus(key, LicenseAdmin.StatusAction.REINSTATE, body);
    }

    @PostMapping("/{key}/revoke")
    @Operation(summary = "Revoke for good")
    AdminLicenseView revoke(
            @Parameter(description = KEY_DOC) @PathVariable String key,
            @io.swagger.v3.oas.annotations.parameters.RequestBody(
                            required = false,
                            content = @Content(schema = @Schema(implementation = ApiDocs.Reason.class)))
                    @RequestBody(required = false)
                    @Nullable
                    JsonNode body) {
        return admin.changeStatus(key, LicenseAdmin.StatusAction.REVOKE, body);
    }

    @PostMapping("/{key}/extend")
    @Operation(
            summary = "Extend by days or to a date",
            description = "{days} adds to the later of now and the current expiry; {until} sets the expiry (it"
                    + " must be later than both): an instant, or a date standing for 23:59:59 UTC that day."
                    + " A FROM_FIRST_ACTIVATION license not activated yet gets the days"
                    + " added to its duration. Perpetual or revoked licenses: 409.")
    AdminLicenseView extend(
            @Parameter(description = KEY_DOC) @PathVariable String key,
            @io.swagger.v3.oas.annotations.parameters.RequestBody(
                            content =
                                    @Content(
                                            schema = @Schema(implementation = ApiDocs.Extend.class),
                                            examples = {
                                                @ExampleObject(name = "days", value = "{\"days\": 30}"),
                                                @ExampleObject(
                                                        name = "until",
                                                        value = "{\"until\": \"2027-12-31T23:59:59Z\"}"),
                                                @ExampleObject(
                                                        name = "until a date",
                                                        value = "{\"until\": \"2027-12-31\"}")
                                            }))
                    @RequestBody
                    JsonNode body) {
        return admin.extend(key, body);
    }

    @GetMapping("/{key}/devices")
    @Operation(summary = "The license's devices (active, deactivated and blocked), oldest first")
    PageResponse<DeviceView> devices(
            @Parameter(description = KEY_DOC) @PathVariable String key,
            @RequestParam(defaultValue = "0") int page,
            @RequestParam(defaultValue = "50") int size) {
        return admin.devices(key, new PageResponse.Paging(page, size));
    }

    @PostMapping("/{key}/devices/{deviceId}/deactivate")
    @Operation(
            summary = "Deactivate a device",
            description = "Frees its slot and ends its live session; does not count against the client's"
                    + " deactivation quota.")
    DeviceView deactivate(
            @Parameter(description = KEY_DOC) @PathVariable String key,
            @PathVariable long deviceId,
            @io.swagger.v3.oas.annotations.parameters.RequestBody(
                            required = false,
                            content = @Content(schema = @Schema(implementation = ApiDocs.Reason.class)))
                    @RequestBody(required = false)
                    @Nullable
                    JsonNode body) {
        return admin.deviceAction(key, deviceId, LicenseAdmin.DeviceAction.DEACTIVATE, body);
    }

    @PostMapping("/{key}/devices/{deviceId}/block")
    @Operation(summary = "Block a device: it frees its slot and can never activate again until unblocked")
    DeviceView block(
            @Parameter(description = KEY_DOC) @PathVariable String key,
            @PathVariable long deviceId,
            @io.swagger.v3.oas.annotations.parameters.RequestBody(
                            required = false,
                            content = @Content(schema = @Schema(implementation = ApiDocs.Reason.class)))
                    @RequestBody(required = false)
                    @Nullable
                    JsonNode body) {
        return admin.deviceAction(key, deviceId, LicenseAdmin.DeviceAction.BLOCK, body);
    }

    @PostMapping("/{key}/devices/{deviceId}/unblock")
    @Operation(summary = "Unblock a device: it becomes DEACTIVATED and must be activated again")
    DeviceView unblock(
            @Parameter(description = KEY_DOC) @PathVariable String key,
            @PathVariable long deviceId,
            @io.swagger.v3.oas.annotations.parameters.RequestBody(
                            required = false,
                            content = @Content(schema = @Schema(implementation = ApiDocs.Reason.class)))
                    @RequestBody(required = false)
                    @Nullable
                    JsonNode body) {
        return admin.deviceAction(key, deviceId, LicenseAdmin.DeviceAction.UNBLOCK, body);
    }
}
