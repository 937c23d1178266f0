package dev.licensor.server.web.admin;

import java.io.Serializable;
import org.jspecify.annotations.Nullable;
import org.springframework.web.servlet.mvc.support.RedirectAttributes;

/** A message shown once on the page after a redirect: a bundle key with arguments, or a ready text. */
public record Flash(String kind, @Nullable String key, Object[] args, @Nullable String text) implements Serializable {
    public static final String ATTRIBUTE = "flash";

    public static void success(RedirectAttributes redirect, String key, Object... args) {
        redirect.addFlashAttribute(ATTRIBUTE, new Flash("success", key, args, null));
    }

    public static void error(RedirectAttributes redirect, String key, Object... args) {
        redirect.addFlashAttribute(ATTRIBUTE, new Flash("danger", key, args, null));
    }

    public static Flash errorText(String text) {
        return new Flash("danger", null, new Object[0], text);
    }
}
