package dev.licensor.server.session.api;

import dev.licensor.server.session.EndReason;
import dev.licensor.server.session.SessionView;
import dev.licensor.server.session.Sessions;
import dev.licensor.server.web.JsonFields;
import dev.licensor.server.web.PageResponse;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import org.jspecify.annotations.Nullable;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import tools.jackson.databind.JsonNode;

/** Admin API: live sessions, forced termination (ADMIN only) and the session history. */
@RestController
@RequestMapping("/api/admin/sessions")
class AdminSessionController {
    private final Sessions sessions;

    AdminSessionController(Sessions sessions) {
        this.sessions = sessions;
    }

    @GetMapping
    PageResponse<SessionView> live(
            @RequestParam(name = "license_key", required = false) @Nullable String licenseKey,
            @RequestParam(name = "product_id", required = false) @Nullable Long productId,
            @RequestParam(defaultValue = "0") int page,
            @RequestParam(defaultValue = "50") int size) {
        return sessions.live(
                new Sessions.Query(licenseKey, productId, null, null, null), new PageResponse.Paging(page, size));
    }

    @PostMapping("/{id}/terminate")
    SessionView terminate(@PathVariable long id, @RequestBody(required = false) @Nullable JsonNode body) {
        return sessions.terminate(id, body);
    }

    @GetMapping("/history")
    PageResponse<SessionView> history(
            @RequestParam(name = "license_key", required = false) @Nullable String licenseKey,
            @RequestParam(name = "product_id", required = false) @Nullable Long productId,
            @RequestParam(required = false) @Nullable String since,
            @RequestParam(required = false) @Nullable String until,
            @RequestParam(name = "end_reason", required = false) @Nullable String endReason,
            @RequestParam(defaultValue = "0") int page,
            @RequestParam(defaultValue = "50") int size) {
        EndReason reason = endReason == null || endReason.isBlank()
                ? null
                : EndReason.parse(endReason.strip())
                        .orElseThrow(() -> JsonFields.invalid(
                                "end_reason",
                                "must be one of normal, timeout, forced, replaced, deactivated, license_invalid"));
        return sessions.history(
                new Sessions.Query(licenseKey, productId, instant("since", since), instant("until", until), reason),
                new PageResponse.Paging(page, size));
    }

    private static @Nullable Instant instant(String name, @Nullable String value) {
        if (value == null || value.isBlank()) {
            return null;
        }
        try {
            return Instant.parse(value.strip());
        } catch (DateTimeParseException e) {
            throw JsonFields.invalid(name, "must be an ISO 8601 timestamp such as 2026-11-23T12:00:00Z");
        }
    }
}
