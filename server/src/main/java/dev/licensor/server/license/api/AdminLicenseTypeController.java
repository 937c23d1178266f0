package dev.licensor.server.license.api;

import dev.licensor.server.license.LicenseType;
import dev.licensor.server.license.LicenseTypes;
import dev.licensor.server.web.PageResponse;
import io.swagger.v3.oas.annotations.Operation;
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

/** Admin API: license types (per-product presets). Writes: ADMIN only. */
@RestController
@RequestMapping("/api/admin/license-types")
@Tag(
        name = "Admin: license types",
        description = "Per-product presets: duration (null = perpetual; 1, 5, 30, 180, 365 days), expiration basis,"
                + " limits, features, single use")
class AdminLicenseTypeController {
    private final LicenseTypes types;

    AdminLicenseTypeController(LicenseTypes types) {
        this.types = types;
    }

    @GetMapping
    @Operation(summary = "List license types, optionally of one product")
    PageResponse<LicenseType> list(
            @RequestParam(name = "product_id", required = false) @Nullable Long productId,
            @RequestParam(defaultValue = "0") int page,
            @RequestParam(defaultValue = "50") int size) {
        return types.list(productId, new PageResponse.Paging(page, size));
    }

    @PostMapping
    @ResponseStatus(HttpStatus.CREATED)
    @Operation(summary = "Create a license type")
    LicenseType create(
            @io.swagger.v3.oas.annotations.parameters.RequestBody(
                            content =
                                    @Content(
                                            schema = @Schema(implementation = ApiDocs.LicenseTypeBody.class),
                                            examples = @ExampleObject(value = ApiDocs.LICENSE_TYPE)))
                    @RequestBody
                    JsonNode body) {
        return types.create(body);
    }

    @GetMapping("/{id}")
    @Operation(summary = "One license type")
    LicenseType get(@PathVariable long id) {
        return types.get(id);
    }

    @PatchMapping("/{id}")
    @Operation(summary = "Change a license type (licenses already issued keep their settings)")
    LicenseType patch(
            @PathVariable long id,
            @io.swagger.v3.oas.annotations.parameters.RequestBody(
                            content =
                                    @Content(
                                            schema = @Schema(implementation = ApiDocs.LicenseTypeBody.class),
                                            examples = @ExampleObject(value = "{\"device_limit\": 5}")))
                    @RequestBody
                    JsonNode body) {
        return types.patch(id, body);
    }

    @DeleteMapping("/{id}")
    @ResponseStatus(HttpStatus.NO_CONTENT)
    @Operation(summary = "Delete a license type; 409 while licenses use it unless force=true detaches them")
    void delete(@PathVariable long id, @RequestParam(defaultValue = "false") boolean force) {
        types.delete(id, force);
    }
}
