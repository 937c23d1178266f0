package dev.licensor.server.resource.api;

import dev.licensor.server.resource.Allocation;
import dev.licensor.server.resource.Resource;
import dev.licensor.server.resource.ResourcePool;
import dev.licensor.server.web.PageResponse;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.media.Content;
import io.swagger.v3.oas.annotations.media.ExampleObject;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.tags.Tag;
import java.util.List;
import org.jspecify.annotations.Nullable;
import org.springframework.http.HttpStatus;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PatchMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.ResponseStatus;
import org.springframework.web.bind.annotation.RestController;
import tools.jackson.databind.JsonNode;

/**
 * Admin API: the resource pool. Reads: every role. Allocating and releasing: ADMIN or SUPPORT
 * (license work). Adding, editing, deleting and quarantining resources: ADMIN.
 */
@RestController
@Tag(
        name = "Admin: resources",
        description = "The pool of domains, IPv4 addresses and phone numbers allocated to licenses")
class AdminResourceController {
    private final ResourcePool pool;

    AdminResourceController(ResourcePool pool) {
        this.pool = pool;
    }

    @Schema(name = "ResourceRequest", description = "Unknown fields: 400")
    record ResourceBody(
            @Schema(allowableValues = {"DOMAIN", "IPV4", "PHONE"}) String kind,
            @Schema(description = "Normalized: domains lower case (IDN as punycode), IPv4 dotted decimal, phone E.164")
                    String value,
            @Schema(maxLength = 10000) @Nullable String notes) {}

    @Schema(name = "ResourceBatchRequest", description = "All values are added, or none")
    record BatchBody(
            @Schema(allowableValues = {"DOMAIN", "IPV4", "PHONE"}) String kind,
            @Schema(maxLength = 10000) List<String> values) {}

    @GetMapping("/api/admin/resources")
    @Operation(summary = "List the pool, filtered by kind, status, license or a search in values and notes")
    PageResponse<Resource> list(
            @RequestParam(required = false) @Nullable String kind,
            @RequestParam(required = false) @Nullable String status,
            @RequestParam(name = "license_key", required = false) @Nullable String licenseKey,
            @RequestParam(required = false) @Nullable String q,
            @RequestParam(defaultValue = "0") int page,
            @RequestParam(defaultValue = "50") int size) {
        return pool.list(new ResourcePool.ListQuery(kind, status, licenseKey, q), new PageResponse.Paging(page, size));
    }

    @PostMapping("/api/admin/resources")
    @ResponseStatus(HttpStatus.CREATED)
    @Operation(summary = "Add one resource (AVAILABLE); 409 if the value is already in the pool")
    Resource create(
            @io.swagger.v3.oas.annotations.parameters.RequestBody(
                            content =
                                    @Content(
                                            schema = @Schema(implementation = ResourceBody.class),
                                            examples =
                                                    @ExampleObject(
                                                            value =
                                                                    "{\"kind\": \"DOMAIN\", \"value\": \"shop1.example.com\"}")))
                    @RequestBody
                    JsonNode body) {
        return pool.create(body);
    }

    @PostMapping("/api/admin/resources/batch")
    @ResponseStatus(HttpStatus.CREATED)
    @Operation(summary = "Add many values of one kind, all or none; bad and duplicate values are named as values[i]")
    ResourcePool.BatchResult batch(
            @io.swagger.v3.oas.annotations.parameters.RequestBody(
                            content =
                                    @Content(
                                            schema = @Schema(implementation = BatchBody.class),
                                            examples =
                                                    @ExampleObject(
                                                            value =
                                                                    "{\"kind\": \"IPV4\", \"values\": [\"192.0.2.10\", \"192.0.2.11\"]}")))
                    @RequestBody
                    JsonNode body) {
        return pool.createBatch(body);
    }

    @GetMapping("/api/admin/resources/{id}")
    @Operation(summary = "One resource")
    Resource get(@PathVariable long id) {
        return pool.get(id);
    }

    @PatchMapping("/api/admin/resources/{id}")
    @Operation(summary = "Change notes, or the value of a resource that is not allocated")
    Resource patch(@PathVariable long id, @RequestBody JsonNode body) {
        return pool.patch(id, body);
    }

    @DeleteMapping("/api/admin/resources/{id}")
    @ResponseStatus(HttpStatus.NO_CONTENT)
    @Operation(summary = "Delete a resource that is not allocated (409 otherwise); its history stays")
    void delete(@PathVariable long id) {
        pool.delete(id);
    }

    @PostMapping("/api/admin/resources/{id}/allocate")
    @Operation(summary = "Allocate an AVAILABLE resource to a license: {\"license_key\": \"…\"}")
    Resource allocate(@PathVariable long id, @RequestBody JsonNode body) {
        return pool.allocate(id, body);
    }

    @PostMapping("/api/admin/resources/{id}/release")
    @Operation(summary = "Release an ALLOCATED resource into quarantine (licensor.resources.quarantine-days)")
    Resource release(@PathVariable long id) {
        return pool.release(id);
    }

    @PostMapping("/api/admin/resources/{id}/quarantine")
    @Operation(summary = "Quarantine a resource that is not allocated, until a time (default: the quarantine days)")
    Resource quarantine(@PathVariable long id, @RequestBody(required = false) @Nullable JsonNode body) {
        return pool.quarantine(id, body);
    }

    @PostMapping("/api/admin/resources/{id}/make-available")
    @Operation(summary = "End a quarantine now")
    Resource makeAvailable(@PathVariable long id) {
        return pool.makeAvailable(id);
    }

    @GetMapping("/api/admin/resources/{id}/history")
    @Operation(summary = "A resource's allocations, newest first")
    PageResponse<Allocation> history(
            @PathVariable long id,
            @RequestParam(defaultValue = "0") int page,
            @RequestParam(defaultValue = "50") int size) {
        return pool.history(id, new PageResponse.Paging(page, size));
    }

    @GetMapping("/api/admin/licenses/{key}/resources")
    @Operation(summary = "The resources a license holds now")
    PageResponse<Resource> ofLicense(
            @PathVariable String key,
            @RequestParam(defaultValue = "0") int page,
            @RequestParam(defaultValue = "50") int size) {
        return pool.ofLicense(key, new PageResponse.Paging(page, size));
    }
}
