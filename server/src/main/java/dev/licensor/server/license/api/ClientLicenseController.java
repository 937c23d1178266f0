package dev.licensor.server.license.api;

import dev.licensor.server.license.Activations;
import dev.licensor.server.license.ClientRequests;
import dev.licensor.server.license.LicenseView;
import dev.licensor.server.license.Verifications;
import dev.licensor.server.security.ClientContext;
import dev.licensor.server.signing.OfflineTokens;
import dev.licensor.server.web.Problems;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.validation.Valid;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

/** Client API: activation, deactivation, verification and license information. */
@RestController
@RequestMapping("/api/license")
@Tag(name = "Client: licenses", description = "Called by the vendor's program with its X-API-Key")
class ClientLicenseController {
    private final Activations activations;
    private final Verifications verifications;
    private final Problems problems;
    private final OfflineTokens offlineTokens;

    ClientLicenseController(
            Activations activations, Verifications verifications, Problems problems, OfflineTokens offlineTokens) {
        this.activations = activations;
        this.verifications = verifications;
        this.problems = problems;
        this.offlineTokens = offlineTokens;
    }

    @PostMapping("/activate")
    @Operation(summary = "Activate a license on a device (idempotent for an active device)")
    Activations.Activated activate(@Valid @RequestBody ClientRequests.Activate body, HttpServletRequest request) {
        Activations.Activation activation =
                activations.activate(ClientContext.of(request).productId(), body);
        return activation
                .answer()
                .withOfflineToken(offlineTokens.issue(
                        activation.license(),
                        activation.product(),
                        activation.device().hardwareHash()));
    }

    @PostMapping("/deactivate")
    @Operation(summary = "Deactivate a device, freeing its slot")
    Activations.Deactivated deactivate(@Valid @RequestBody ClientRequests.Deactivate body, HttpServletRequest request) {
        return activations.deactivate(ClientContext.of(request).productId(), body);
    }

    @PostMapping("/verify")
    @Operation(summary = "Verify a license; always 200 with a code for license outcomes")
    Verifications.Verdict verify(@Valid @RequestBody ClientRequests.Verify body, HttpServletRequest request) {
        Verifications.Result result =
                verifications.verify(ClientContext.of(request).productId(), body, problems.locale(request));
        // An offline token only for a valid verdict naming an active device of the license.
        if (result.verdict().valid() && result.license() != null && result.device() != null) {
            return result.verdict()
                    .withOfflineToken(offlineTokens.issue(
                            result.license(), result.product(), result.device().hardwareHash()));
        }
        return result.verdict();
    }

    @GetMapping("/info/{licenseKey}")
    @Operation(summary = "Public information about a license")
    LicenseView info(@PathVariable String licenseKey, HttpServletRequest request) {
        return verifications.info(ClientContext.of(request).productId(), licenseKey);
    }
}
