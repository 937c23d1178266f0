package dev.licensor.server.settings.admin;

import dev.licensor.server.settings.Settings;
import dev.licensor.server.settings.Toggle;
import dev.licensor.server.web.admin.Flash;
import dev.licensor.server.web.admin.PanelController;
import jakarta.servlet.http.HttpServletRequest;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.servlet.mvc.support.RedirectAttributes;

/** Feature toggles: everyone reads them, ADMINs switch them. */
@PanelController
@RequestMapping("/admin/settings")
class SettingsController {
    static final String VIEW = "admin/settings";

    private final Settings settings;

    SettingsController(Settings settings) {
        this.settings = settings;
    }

    @GetMapping
    String show(Model model) {
        model.addAttribute("toggles", settings.toggles());
        return VIEW;
    }

    /** Each toggle is a checkbox named after its key; unchecked boxes are not sent. */
    @PostMapping
    String save(HttpServletRequest request, RedirectAttributes redirect) {
        for (Toggle toggle : Toggle.values()) {
            settings.set(toggle, request.getParameter(toggle.key()) != null);
        }
        Flash.success(redirect, "panel.saved");
        return "redirect:/admin/settings";
    }
}
