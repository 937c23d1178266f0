package dev.licensor.server.security.admin;

import dev.licensor.server.security.PanelLogin;
import dev.licensor.server.web.admin.PanelController;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.ModelAttribute;
import org.springframework.web.bind.annotation.PostMapping;

/** The login page (the password step is Spring Security's) and the TOTP step. */
@PanelController
class LoginController {
    static final String LOGIN_VIEW = "admin/login";
    static final String TOTP_VIEW = "admin/login-totp";

    private final PanelLogin login;

    LoginController(PanelLogin login) {
        this.login = login;
    }

    record CodeForm(String code) {}

    @GetMapping("/admin/login")
    String login() {
        return LOGIN_VIEW;
    }

    @GetMapping("/admin/login/totp")
    String totp() {
        return TOTP_VIEW;
    }

    @PostMapping("/admin/login/totp")
    String totp(@ModelAttribute CodeForm form, HttpServletRequest request, HttpServletResponse response) {
        return switch (login.completeSecondFactor(request, response, form.code() == null ? "" : form.code())) {
            case OK -> "redirect:/admin";
            case WRONG -> "redirect:/admin/login/totp?error";
            case THROTTLED -> "redirect:/admin/login/totp?throttled";
            case LOCKED -> "redirect:/admin/login?locked";
            case NOT_PENDING -> "redirect:/admin/login";
        };
    }
}
