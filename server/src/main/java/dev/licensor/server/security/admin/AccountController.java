package dev.licensor.server.security.admin;

import com.google.zxing.BarcodeFormat;
import com.google.zxing.EncodeHintType;
import com.google.zxing.WriterException;
import com.google.zxing.common.BitMatrix;
import com.google.zxing.qrcode.QRCodeWriter;
import dev.licensor.server.security.Actor;
import dev.licensor.server.security.AdminUsers;
import dev.licensor.server.security.Totp;
import dev.licensor.server.web.admin.Flash;
import dev.licensor.server.web.admin.PanelController;
import jakarta.servlet.http.HttpSession;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import javax.imageio.ImageIO;
import org.springframework.http.CacheControl;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.ModelAttribute;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.servlet.mvc.support.RedirectAttributes;

/** One's own account: change the password, enrol TOTP (QR code), recovery codes. */
@PanelController
@RequestMapping("/admin/account")
class AccountController {
    static final String VIEW = "admin/account";
    private static final String PENDING_SECRET = "licensor.panel.totp-secret";

    private final AdminUsers users;

    AccountController(AdminUsers users) {
        this.users = users;
    }

    record PasswordForm(String current, String password) {}

    record CodeForm(String code) {}

    @GetMapping
    String account(Model model, HttpSession session) {
        Actor me = Actor.current();
        AdminUsers.AdminUser user = users.find(me.id()).orElseThrow();
        model.addAttribute("user", user);
        model.addAttribute("unusedCodes", users.unusedRecoveryCodes(me.id()));
        Object secret = session.getAttribute(PENDING_SECRET);
        model.addAttribute("pendingSecret", user.totpEnabled() ? null : secret);
        return VIEW;
    }

    @PostMapping("/totp/start")
    String start(HttpSession session) {
        session.setAttribute(PENDING_SECRET, users.newTotpSecret());
        return "redirect:/admin/account";
    }

    /** The QR code of the pending secret, for the authenticator app. */
    @GetMapping("/totp/qr.png")
    ResponseEntity<byte[]> qr(HttpSession session) throws IOException, WriterException {
        if (!(session.getAttribute(PENDING_SECRET) instanceof String secret)) {
            return ResponseEntity.notFound().build();
        }
        String uri = Totp.uri("Licensor", Actor.current().name(), secret);
        BitMatrix matrix =
                new QRCodeWriter().encode(uri, BarcodeFormat.QR_CODE, 240, 240, Map.of(EncodeHintType.MARGIN, 2));
        BufferedImage image = new BufferedImage(matrix.getWidth(), matrix.getHeight(), BufferedImage.TYPE_INT_RGB);
        for (int x = 0; x < matrix.getWidth(); x++) {
            for (int y = 0; y < matrix.getHeight(); y++) {
                image.setRGB(x, y, matrix.get(x, y) ? 0x000000 : 0xFFFFFF);
            }
        }
        ByteArrayOutputStream png = new ByteArrayOutputStream();
        ImageIO.write(image, "png", png);
        return ResponseEntity.ok()
                .contentType(MediaType.IMAGE_PNG)
                .cacheControl(CacheControl.noStore())
                .body(png.toByteArray());
    }

    @PostMapping("/totp/confirm")
    String confirm(@ModelAttribute CodeForm form, HttpSession session, RedirectAttributes redirect) {
        if (!(session.getAttribute(PENDING_SECRET) instanceof String secret)) {
            return "redirect:/admin/account";
        }
        Optional<List<String>> codes =
                users.enrolTotp(Actor.current().id(), secret, form.code() == null ? "" : form.code());
        if (codes.isEmpty()) {
            Flash.error(redirect, "panel.account.totp.wrong-code");
            return "redirect:/admin/account";
        }
        session.removeAttribute(PENDING_SECRET);
        redirect.addFlashAttribute("recoveryCodes", codes.get());
        Flash.success(redirect, "panel.account.totp.enrolled");
        return "redirect:/admin/account";
    }

    @PostMapping("/totp/recovery-codes")
    String recoveryCodes(RedirectAttributes redirect) {
        redirect.addFlashAttribute(
                "recoveryCodes", users.regenerateRecoveryCodes(Actor.current().id()));
        return "redirect:/admin/account";
    }

    @PostMapping("/totp/disable")
    String disable(RedirectAttributes redirect) {
        users.disableTotp(Actor.current().id());
        Flash.success(redirect, "panel.account.totp.disabled");
        return "redirect:/admin/account";
    }

    @PostMapping("/password")
    String password(@ModelAttribute PasswordForm form, RedirectAttributes redirect) {
        if (!users.changeOwnPassword(
                Actor.current().id(),
                form.current() == null ? "" : form.current(),
                form.password() == null ? "" : form.password())) {
            Flash.error(redirect, "panel.account.password.wrong");
        } else {
            Flash.success(redirect, "panel.account.password.changed");
        }
        return "redirect:/admin/account";
    }
}
