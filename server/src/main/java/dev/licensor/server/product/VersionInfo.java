package dev.licensor.server.product;

import com.fasterxml.jackson.annotation.JsonInclude;
import dev.licensor.protocol.Version;
import org.jspecify.annotations.Nullable;

/** What a client needs to know about updates, relative to the version it runs. */
public record VersionInfo(
        @Nullable String currentVersion,
        @Nullable String minimumVersion,
        boolean updateAvailable,
        boolean updateRequired,
        @JsonInclude(JsonInclude.Include.NON_NULL) @Nullable String whatsNew,
        @Nullable String downloadUrl) {

    /** The information for a client at {@code client}; an unknown client version gets no verdict. */
    public static VersionInfo of(Product product, @Nullable Version client) {
        Version current = product.currentVersion() == null
                ? null
                : Version.parse(product.currentVersion()).orElse(null);
        Version minimum = product.minimumVersion() == null
                ? null
                : Version.parse(product.minimumVersion()).orElse(null);
        boolean available = client != null && current != null && client.isBefore(current);
        boolean required = client != null && minimum != null && client.isBefore(minimum);
        return new VersionInfo(
                product.currentVersion(),
                product.minimumVersion(),
                available,
                required,
                available ? product.whatsNew() : null,
                product.downloadUrl());
    }

    /** Whether a client at this version must update before it may run. */
    public static boolean updateRequired(Product product, @Nullable Version client) {
        return of(product, client).updateRequired();
    }
}
