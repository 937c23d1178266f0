package dev.licensor.server.stats.api;

import dev.licensor.server.stats.Statistics;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;

/** {@code GET /api/stats}: any admin role. */
@RestController
@Tag(name = "Admin: statistics", description = "Counts for dashboards and monitoring")
class StatsController {
    private final Statistics statistics;

    StatsController(Statistics statistics) {
        this.statistics = statistics;
    }

    @GetMapping("/api/stats")
    @Operation(
            summary = "License statistics",
            description = "Licenses by product, status (EXPIRED derived from expires_at) and type (license_type_id"
                    + " null = without a type); activation_rate = licenses activated at least once / all;"
                    + " keys_unused = never activated; live_sessions; activations_today = devices first activated"
                    + " since 00:00 UTC.")
    Statistics.Snapshot stats() {
        return statistics.snapshot();
    }
}
