package dev.licensor.server.abuse.api;

import dev.licensor.server.abuse.Anomalies;
import dev.licensor.server.web.PageResponse;
import org.jspecify.annotations.Nullable;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import tools.jackson.databind.JsonNode;

/** Anomalies raised by the detection rules (resolve: ADMIN; audited). */
@RestController
@RequestMapping("/api/admin/anomalies")
class AdminAnomalyController {
    private final Anomalies anomalies;

    AdminAnomalyController(Anomalies anomalies) {
        this.anomalies = anomalies;
    }

    @GetMapping
    PageResponse<Anomalies.AnomalyView> list(
            @RequestParam(required = false) @Nullable String status,
            @RequestParam(name = "license_id", required = false) @Nullable Long licenseId,
            @RequestParam(defaultValue = "0") int page,
            @RequestParam(defaultValue = "50") int size) {
        return anomalies.list(status, licenseId, new PageResponse.Paging(page, size));
    }

    @PostMapping("/{id}/resolve")
    Anomalies.AnomalyView resolve(@PathVariable long id, @RequestBody(required = false) @Nullable JsonNode body) {
        return anomalies.resolve(id, body);
    }
}
