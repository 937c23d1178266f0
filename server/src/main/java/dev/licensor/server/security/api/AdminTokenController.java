package dev.licensor.server.security.api;

import dev.licensor.server.security.AdminTokens;
import dev.licensor.server.security.Role;
import dev.licensor.server.web.PageResponse;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Size;
import org.springframework.http.HttpStatus;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.ResponseStatus;
import org.springframework.web.bind.annotation.RestController;

/** Admin API tokens, for integrations such as a billing system. ADMIN only. */
@RestController
@RequestMapping("/api/admin/tokens")
class AdminTokenController {
    private final AdminTokens tokens;

    AdminTokenController(AdminTokens tokens) {
        this.tokens = tokens;
    }

    record CreateToken(@NotBlank @Size(max = 200) String name, @NotNull Role role) {}

    @GetMapping
    PageResponse<AdminTokens.TokenView> list(
            @RequestParam(defaultValue = "0") int page, @RequestParam(defaultValue = "50") int size) {
        return tokens.list(new PageResponse.Paging(page, size));
    }

    @PostMapping
    @ResponseStatus(HttpStatus.CREATED)
    AdminTokens.CreatedToken create(@Valid @RequestBody CreateToken request) {
        return tokens.create(request.name().strip(), request.role());
    }

    @DeleteMapping("/{id}")
    @ResponseStatus(HttpStatus.NO_CONTENT)
    void revoke(@PathVariable long id) {
        tokens.revoke(id);
    }
}
