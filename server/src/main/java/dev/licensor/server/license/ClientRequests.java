package dev.licensor.server.license;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.Size;
import org.jspecify.annotations.Nullable;

/**
 * Request bodies of the client API. Unknown fields are ignored here (unlike the admin API), so a
 * newer SDK can talk to an older server.
 */
public final class ClientRequests {
    private ClientRequests() {}

    @JsonIgnoreProperties(ignoreUnknown = true)
    public record Components(
            @Nullable @Size(max = 256) String mac,
            @Nullable @Size(max = 256) String cpuId,
            @Nullable @Size(max = 256) String systemUuid) {}

    @JsonIgnoreProperties(ignoreUnknown = true)
    public record Activate(
            @NotBlank @Size(max = 128) String licenseKey,
            @NotBlank @Size(max = 256) String hardwareHash,
            @Nullable @Size(max = 256) String machineId,
            @Nullable @Size(max = 200) String deviceName,
            @Nullable @Size(max = 64) String deviceType,
            @Nullable @Size(max = 200) String os,
            @Nullable @Size(max = 64) String version,
            @Nullable @Valid Components components) {}

    @JsonIgnoreProperties(ignoreUnknown = true)
    public record Deactivate(
            @NotBlank @Size(max = 128) String licenseKey, @NotBlank @Size(max = 256) String hardwareHash) {}

    @JsonIgnoreProperties(ignoreUnknown = true)
    public record Verify(
            @NotBlank @Size(max = 128) String licenseKey,
            @Nullable @Size(max = 256) String hardwareHash,
            @Nullable @Size(max = 64) String version,
            @Nullable @Size(max = 200) String feature,
            @Nullable @Size(max = 200) String nonce) {}
}
