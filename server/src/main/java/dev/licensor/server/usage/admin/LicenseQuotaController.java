package dev.licensor.server.usage.admin;

import dev.licensor.server.usage.Usage;
import dev.licensor.server.web.admin.Flash;
import dev.licensor.server.web.admin.Forms;
import dev.licensor.server.web.admin.PanelController;
import java.math.BigInteger;
import org.jspecify.annotations.Nullable;
import org.springframework.web.bind.annotation.ModelAttribute;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.servlet.mvc.support.RedirectAttributes;

/**
 * The license detail page's quota actions: setting (creating or replacing) a quota and removing
 * one, through the same {@link Usage} methods as the admin API, which validate and audit them. A
 * refusal goes back to the page as a message ({@code PanelAdvice}). License work, so under
 * {@code /admin/licenses} (ADMIN or SUPPORT).
 */
@PanelController
@RequestMapping("/admin/licenses/{key}/quotas")
class LicenseQuotaController {
    private final Usage usage;

    LicenseQuotaController(Usage usage) {
        this.usage = usage;
    }

    /** The set-quota form; the limit as typed, so the service can say what is wrong with it. */
    record QuotaForm(@Nullable String metric, @Nullable String limit, @Nullable String period) {}

    @PostMapping
    String set(@PathVariable String key, @ModelAttribute QuotaForm form, RedirectAttributes redirect) {
        String metric = form.metric() == null ? "" : form.metric().strip();
        Usage.QuotaView quota = usage.setQuota(
                key,
                metric,
                Forms.body()
                        .value("limit", number(form.limit()))
                        .text("period", form.period())
                        .json());
        Flash.success(redirect, "panel.quotas.saved", quota.metric());
        return "redirect:/admin/licenses/" + key;
    }

    @PostMapping("/{metric}/delete")
    String delete(@PathVariable String key, @PathVariable String metric, RedirectAttributes redirect) {
        usage.deleteQuota(key, metric);
        Flash.success(redirect, "panel.quotas.removed", metric);
        return "redirect:/admin/licenses/" + key;
    }

    /** A whole number of any size (the service says when it is out of range), else the text as typed. */
    private static @Nullable Object number(@Nullable String text) {
        if (text == null || text.isBlank()) {
            return null;
        }
        try {
            return new BigInteger(text.strip());
        } catch (NumberFormatException e) {
            return text.strip(); // the service answers "must be a whole number"
        }
    }
}
