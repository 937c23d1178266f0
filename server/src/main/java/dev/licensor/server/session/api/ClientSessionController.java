package dev.licensor.server.session.api;

import dev.licensor.server.product.Products;
import dev.licensor.server.security.ClientContext;
import dev.licensor.server.session.SessionRequests;
import dev.licensor.server.session.Sessions;
import dev.licensor.server.signing.OfflineTokens;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.validation.Valid;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

/** Client API: concurrent sessions kept alive by heartbeats. */
@RestController
@RequestMapping("/api/license/session")
@Tag(name = "Client: sessions", description = "A running copy of the program, kept alive by heartbeats")
class ClientSessionController {
    private final Sessions sessions;
    private final Products products;
    private final OfflineTokens offlineTokens;

    ClientSessionController(Sessions sessions, Products products, OfflineTokens offlineTokens) {
        this.sessions = sessions;
        this.products = products;
        this.offlineTokens = offlineTokens;
    }

    @PostMapping("/start")
    @Operation(summary = "Start a session (activating the device if the product allows it)")
    Sessions.Started start(@Valid @RequestBody SessionRequests.Start body, HttpServletRequest request) {
        long productId = ClientContext.of(request).productId();
        Sessions.Started started = sessions.start(productId, body);
        // Signed after the start committed: the device is active and the license usable.
        return started.withOfflineToken(
                offlineTokens.issue(started.license(), products.cached(productId), body.hardwareHash()));
    }

    /**
     * Plain heartbeats are served by {@link HeartbeatServlet} without MVC; this mapping answers the
     * rest (wrong method, content type or body) and documents the endpoint.
     */
    @PostMapping("/heartbeat")
    @Operation(summary = "Keep a session live; send one every heartbeat_interval seconds")
    Sessions.Beat heartbeat(@Valid @RequestBody SessionRequests.Heartbeat body, HttpServletRequest request) {
        return sessions.heartbeat(ClientContext.of(request).productId(), body);
    }

    @PostMapping("/end")
    @Operation(summary = "End a session (idempotent)")
    Sessions.Ended end(@Valid @RequestBody SessionRequests.End body, HttpServletRequest request) {
        return sessions.end(ClientContext.of(request).productId(), body);
    }
}
