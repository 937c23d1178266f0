package dev.licensor.server.security.admin;

import dev.licensor.server.security.AdminUsers;
import dev.licensor.server.security.Role;
import dev.licensor.server.web.admin.Csv;
import dev.licensor.server.web.admin.Flash;
import dev.licensor.server.web.admin.PanelController;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.time.Clock;
import java.util.Arrays;
import java.util.List;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.ModelAttribute;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.servlet.mvc.support.RedirectAttributes;

/** Panel users (ADMIN only): create, change role, reset password, disable, unlock, reset TOTP. */
@PanelController
@RequestMapping("/admin/users")
class UserController {
    static final String VIEW = "admin/users";

    private final AdminUsers users;
    private final Clock clock;

    UserController(AdminUsers users, Clock clock) {
        this.users = users;
        this.clock = clock;
    }

    record NewUserForm(String username, String password, Role role) {}

    record RoleForm(Role role) {}

    record PasswordForm(String password) {}

    record EnabledForm(boolean enabled) {}

    @GetMapping
    String list(Model model) {
        model.addAttribute("users", users.list());
        model.addAttribute("roles", Arrays.asList(Role.values()));
        model.addAttribute("now", clock.instant());
        return VIEW;
    }

    @GetMapping("/export.csv")
    void export(HttpServletResponse response) throws IOException {
        Csv.write(
                response,
                "users.csv",
                List.of("username", "role", "totp", "enabled", "locked_until", "last_login_at", "created_at"),
                users.list(),
                u -> List.of(
                        u.username(),
                        u.role(),
                        u.totpEnabled(),
                        u.enabled(),
                        String.valueOf(u.lockedUntil() == null ? "" : u.lockedUntil()),
                        String.valueOf(u.lastLoginAt() == null ? "" : u.lastLoginAt()),
                        u.createdAt()));
    }

    @PostMapping
    String create(@ModelAttribute NewUserForm form, RedirectAttributes redirect) {
        AdminUsers.AdminUser user = users.create(
                form.username() == null ? "" : form.username(),
                form.password() == null ? "" : form.password(),
                form.role() == null ? Role.VIEWER : form.role());
        Flash.success(redirect, "panel.users.created", user.username());
        return "redirect:/admin/users";
    }

    @PostMapping("/{id}/role")
    String role(@PathVariable long id, @ModelAttribute RoleForm form, RedirectAttributes redirect) {
        users.changeRole(id, form.role() == null ? Role.VIEWER : form.role());
        Flash.success(redirect, "panel.saved");
        return "redirect:/admin/users";
    }

    @PostMapping("/{id}/password")
    String password(@PathVariable long id, @ModelAttribute PasswordForm form, RedirectAttributes redirect) {
        users.setPassword(id, form.password() == null ? "" : form.password());
        Flash.success(redirect, "panel.users.password-reset");
        return "redirect:/admin/users";
    }

    @PostMapping("/{id}/enabled")
    String enabled(@PathVariable long id, @ModelAttribute EnabledForm form, RedirectAttributes redirect) {
        users.setEnabled(id, form.enabled());
        Flash.success(redirect, "panel.saved");
        return "redirect:/admin/users";
    }

    @PostMapping("/{id}/unlock")
    String unlock(@PathVariable long id, RedirectAttributes redirect) {
        users.unlock(id);
        Flash.success(redirect, "panel.saved");
        return "redirect:/admin/users";
    }

    @PostMapping("/{id}/totp/reset")
    String resetTotp(@PathVariable long id, RedirectAttributes redirect) {
        users.disableTotp(id);
        Flash.success(redirect, "panel.saved");
        return "redirect:/admin/users";
    }
}
