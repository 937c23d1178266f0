package dev.licensor.server.abuse.admin;

import dev.licensor.server.abuse.BlockedIps;
import dev.licensor.server.web.PageResponse;
import dev.licensor.server.web.admin.Csv;
import dev.licensor.server.web.admin.Flash;
import dev.licensor.server.web.admin.Forms;
import dev.licensor.server.web.admin.Pager;
import dev.licensor.server.web.admin.PanelController;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.Arrays;
import java.util.List;
import org.jspecify.annotations.Nullable;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.ModelAttribute;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.servlet.mvc.support.RedirectAttributes;

/**
 * Blocked addresses and ranges: the list (in force, or with expired ones), block (ADMIN) and lift
 * (ADMIN, confirmed) through {@link BlockedIps}, audited as the panel user; CSV.
 */
@PanelController
@RequestMapping("/admin/blocked-ips")
class BlockedIpController {
    static final String VIEW = "admin/blocked-ips";
    static final List<String> CSV_HEADER = List.of("id", "address", "reason", "until", "created_at", "created_by");

    private final BlockedIps blockedIps;

    BlockedIpController(BlockedIps blockedIps) {
        this.blockedIps = blockedIps;
    }

    /** The block form: an address or CIDR range, a reason, an optional last day (UTC). */
    record BlockForm(@Nullable String address, @Nullable String reason, @Nullable String until) {}

    @GetMapping
    String list(
            @RequestParam(defaultValue = "false") boolean expired,
            @RequestParam(defaultValue = "0") int page,
            Model model) {
        PageResponse<BlockedIps.BlockedIp> result = blockedIps.list(expired, Pager.paging(page));
        model.addAttribute("blocked", result.items());
        model.addAttribute("pager", Pager.of(result));
        model.addAttribute("expired", expired);
        return VIEW;
    }

    @GetMapping("/export.csv")
    void export(@RequestParam(defaultValue = "false") boolean expired, HttpServletResponse response)
            throws IOException {
        Csv.write(
                response,
                "blocked-ips.csv",
                CSV_HEADER,
                Csv.pages(paging -> blockedIps.list(expired, paging)),
                b -> Arrays.asList(b.id(), b.address(), b.reason(), b.until(), b.createdAt(), b.createdBy()));
    }

    @PostMapping
    String block(@ModelAttribute BlockForm form, RedirectAttributes redirect) {
        BlockedIps.BlockedIp created = blockedIps.create(Forms.body()
                .text("address", form.address())
                .text("reason", form.reason())
                .text("until", Forms.endOfDay(form.until()))
                .json());
        Flash.success(redirect, "panel.blocked-ips.blocked", created.address());
        return "redirect:/admin/blocked-ips";
    }

    @PostMapping("/{id}/delete")
    String lift(@PathVariable long id, RedirectAttributes redirect) {
        blockedIps.delete(id);
        Flash.success(redirect, "panel.blocked-ips.lifted");
        return "redirect:/admin/blocked-ips";
    }
}
