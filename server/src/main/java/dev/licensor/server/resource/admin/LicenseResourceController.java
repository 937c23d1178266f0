package dev.licensor.server.resource.admin;

import dev.licensor.server.resource.ResourcePool;
import dev.licensor.server.web.admin.Flash;
import dev.licensor.server.web.admin.Forms;
import dev.licensor.server.web.admin.PanelController;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.servlet.mvc.support.RedirectAttributes;

/**
 * The license detail page's resource actions: allocating an available resource to the license and
 * releasing one. License work, so under {@code /admin/licenses} (ADMIN or SUPPORT).
 */
@PanelController
@RequestMapping("/admin/licenses/{key}/resources")
class LicenseResourceController {
    private final ResourcePool pool;

    LicenseResourceController(ResourcePool pool) {
        this.pool = pool;
    }

    @PostMapping("/allocate")
    String allocate(@PathVariable String key, @RequestParam long resourceId, RedirectAttributes redirect) {
        pool.allocate(resourceId, Forms.body().text("license_key", key).json());
        Flash.success(redirect, "panel.resources.allocated");
        return "redirect:/admin/licenses/" + key;
    }

    @PostMapping("/{id}/release")
    String release(@PathVariable String key, @PathVariable long id, RedirectAttributes redirect) {
        pool.releaseFrom(key, id);
        Flash.success(redirect, "panel.resources.released");
        return "redirect:/admin/licenses/" + key;
    }
}
