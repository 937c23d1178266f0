package dev.licensor.server.session;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import dev.licensor.server.license.ClientRequests;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.Size;
import org.jspecify.annotations.Nullable;

/** Request bodies of the session endpoints; unknown fields are ignored, as everywhere in the client API. */
public final class SessionRequests {
    private SessionRequests() {}

    /**
     * {@code POST /api/license/session/start}. The device details after {@code version} are
     * optional and only used when the session activates the device.
     */
    @JsonIgnoreProperties(ignoreUnknown = true)
    public record Start(
            @NotBlank @Size(max = 128) String licenseKey,
            @NotBlank @Size(max = 256) String machineId,
            @NotBlank @Size(max = 256) String hardwareHash,
            @NotBlank @Size(max = 64) String version,
            @Nullable @Size(max = 200) String deviceName,
            @Nullable @Size(max = 64) String deviceType,
            @Nullable @Size(max = 200) String os,
            @Valid ClientRequests.@Nullable Components components) {}

    @JsonIgnoreProperties(ignoreUnknown = true)
    public record Heartbeat(
            @NotBlank @Size(max = 64) String sessionToken, @NotBlank @Size(max = 128) String licenseKey) {}

    @JsonIgnoreProperties(ignoreUnknown = true)
    public record End(@NotBlank @Size(max = 64) String sessionToken) {}
}
