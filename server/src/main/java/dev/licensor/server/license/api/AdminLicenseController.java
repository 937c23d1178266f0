package dev.licensor.server.license.api;

import dev.licensor.server.license.AdminLicenseView;
import dev.licensor.server.license.Licenses;
import org.springframework.http.HttpStatus;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.ResponseStatus;
import org.springframework.web.bind.annotation.RestController;
import tools.jackson.databind.JsonNode;

/** Admin API: licenses. */
@RestController
@RequestMapping("/api/admin/licenses")
class AdminLicenseController {
    private final Licenses licenses;

    AdminLicenseController(Licenses licenses) {
        this.licenses = licenses;
    }

    @PostMapping
    @ResponseStatus(HttpStatus.CREATED)
    AdminLicenseView create(@RequestBody JsonNode body) {
        return licenses.create(body);
    }

    @PostMapping("/batch")
    @ResponseStatus(HttpStatus.CREATED)
    Licenses.Batch batch(@RequestBody JsonNode body) {
        return licenses.createBatch(body);
    }
}
