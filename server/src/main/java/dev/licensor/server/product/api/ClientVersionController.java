package dev.licensor.server.product.api;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import dev.licensor.protocol.Version;
import dev.licensor.server.product.Product;
import dev.licensor.server.product.Products;
import dev.licensor.server.product.VersionInfo;
import dev.licensor.server.security.ClientContext;
import dev.licensor.server.web.JsonFields;
import io.swagger.v3.oas.annotations.tags.Tag;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.Size;
import java.time.Instant;
import org.jspecify.annotations.Nullable;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

/** Client API: update information. */
@RestController
@RequestMapping("/api/version")
@Tag(name = "Client: versions")
class ClientVersionController {
    private final Products products;

    ClientVersionController(Products products) {
        this.products = products;
    }

    @JsonIgnoreProperties(ignoreUnknown = true)
    record Check(@NotBlank @Size(max = 64) String version) {}

    record Latest(
            @Nullable String version,
            @Nullable String downloadUrl,
            @Nullable String whatsNew,
            @Nullable Instant releasedAt) {}

    @PostMapping("/check")
    VersionInfo check(@Valid @RequestBody Check body, HttpServletRequest request) {
        Version version = Version.parse(body.version())
                .orElseThrow(() -> JsonFields.invalid("version", "must be a version such as 1.4.2"));
        return VersionInfo.of(products.cached(ClientContext.of(request).productId()), version);
    }

    @GetMapping("/latest")
    Latest latest(HttpServletRequest request) {
        Product p = products.cached(ClientContext.of(request).productId());
        return new Latest(p.currentVersion(), p.downloadUrl(), p.whatsNew(), p.releasedAt());
    }
}
