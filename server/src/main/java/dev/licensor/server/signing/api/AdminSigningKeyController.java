package dev.licensor.server.signing.api;

import dev.licensor.server.signing.SigningKeys;
import dev.licensor.server.web.PageResponse;
import org.springframework.http.HttpStatus;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.ResponseStatus;
import org.springframework.web.bind.annotation.RestController;

/** Signing keys: list, rotate, retire (writes: ADMIN; audited). */
@RestController
@RequestMapping("/api/admin/signing-keys")
class AdminSigningKeyController {
    private final SigningKeys keys;

    AdminSigningKeyController(SigningKeys keys) {
        this.keys = keys;
    }

    /** Newest first, retired keys included. */
    @GetMapping
    PageResponse<SigningKeys.KeyView> list(
            @RequestParam(defaultValue = "0") int page, @RequestParam(defaultValue = "50") int size) {
        return keys.list(new PageResponse.Paging(page, size));
    }

    @PostMapping("/rotate")
    @ResponseStatus(HttpStatus.CREATED)
    SigningKeys.KeyView rotate() {
        return keys.rotate();
    }

    @PostMapping("/{kid}/retire")
    SigningKeys.KeyView retire(@PathVariable String kid) {
        return keys.retire(kid);
    }
}
