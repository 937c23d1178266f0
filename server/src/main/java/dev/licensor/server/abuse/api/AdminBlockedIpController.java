package dev.licensor.server.abuse.api;

import dev.licensor.server.abuse.BlockedIps;
import dev.licensor.server.web.PageResponse;
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
import tools.jackson.databind.JsonNode;

/** Blocked addresses of the client API (writes: ADMIN; audited). */
@RestController
@RequestMapping("/api/admin/blocked-ips")
class AdminBlockedIpController {
    private final BlockedIps blockedIps;

    AdminBlockedIpController(BlockedIps blockedIps) {
        this.blockedIps = blockedIps;
    }

    @GetMapping
    PageResponse<BlockedIps.BlockedIp> list(
            @RequestParam(name = "include_expired", defaultValue = "false") boolean includeExpired,
            @RequestParam(defaultValue = "0") int page,
            @RequestParam(defaultValue = "50") int size) {
        return blockedIps.list(includeExpired, new PageResponse.Paging(page, size));
    }

    @PostMapping
    @ResponseStatus(HttpStatus.CREATED)
    BlockedIps.BlockedIp create(@RequestBody JsonNode body) {
        return blockedIps.create(body);
    }

    @DeleteMapping("/{id}")
    @ResponseStatus(HttpStatus.NO_CONTENT)
    void delete(@PathVariable long id) {
        blockedIps.delete(id);
    }
}
