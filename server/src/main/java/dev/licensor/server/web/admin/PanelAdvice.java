package dev.licensor.server.web.admin;

import dev.licensor.server.security.Actor;
import dev.licensor.server.security.Role;
import dev.licensor.server.web.ApiException;
import dev.licensor.server.web.Problems;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.net.URI;
import java.util.List;
import java.util.Locale;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.MessageSource;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.ControllerAdvice;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.ModelAttribute;
import org.springframework.web.servlet.support.RequestContextUtils;

/**
 * Shared by every panel page: who is logged in and what they may do (the layout shows only the
 * actions the role allows; the security chain enforces them), and service errors turned into a
 * message on the page the user came from.
 */
@ControllerAdvice(annotations = PanelController.class)
@Order(Ordered.HIGHEST_PRECEDENCE)
class PanelAdvice {
    static final String ERROR_VIEW = "admin/error";
    private static final Logger log = LoggerFactory.getLogger(PanelAdvice.class);

    private final MessageSource messages;

    PanelAdvice(MessageSource messages) {
        this.messages = messages;
    }

    @ModelAttribute
    void common(Model model, HttpServletRequest request) {
        Actor me = Actor.current();
        model.addAttribute("me", me);
        model.addAttribute("isAdmin", me.role() == Role.ADMIN && !me.kind().equals("system"));
        model.addAttribute("canSupport", me.role() != Role.VIEWER && !me.kind().equals("system"));
        model.addAttribute("path", request.getRequestURI());
        model.addAttribute("pageBase", pageBase(request));
    }

    /** The current URL without its {@code page} parameter, ready for {@code page=N} to be appended. */
    static String pageBase(HttpServletRequest request) {
        StringBuilder base = new StringBuilder(request.getRequestURI()).append('?');
        String query = request.getQueryString();
        if (query != null) {
            for (String part : query.split("&")) {
                if (!part.isEmpty() && !part.startsWith("page=")) {
                    base.append(part).append('&');
                }
            }
        }
        return base.toString();
    }

    /** A refused change: back to the page it came from, with the reason. */
    @ExceptionHandler(ApiException.class)
    String refused(ApiException e, HttpServletRequest request, HttpServletResponse response, Model model) {
        String text = describe(e, RequestContextUtils.getLocale(request));
        if ("GET".equals(request.getMethod())) {
            response.setStatus(e.code().status());
            model.addAttribute("message", text);
            return ERROR_VIEW;
        }
        RequestContextUtils.getOutputFlashMap(request).put(Flash.ATTRIBUTE, Flash.errorText(text));
        return "redirect:" + back(request);
    }

    String describe(ApiException e, Locale locale) {
        if (e.properties().get("errors") instanceof List<?> errors && !errors.isEmpty()) {
            return errors.stream()
                    .map(o -> o instanceof Problems.FieldError f
                            ? (f.field().isEmpty() ? f.message() : f.field() + ": " + f.message())
                            : String.valueOf(o))
                    .collect(Collectors.joining("; "));
        }
        String key =
                e.detailKey() != null ? e.detailKey() : "problem." + e.code().name() + ".detail";
        return messages.getMessage(key, e.detailArgs(), e.code().name(), locale);
    }

    /** The page the form was on (same origin only), else the dashboard. */
    static String back(HttpServletRequest request) {
        String referer = request.getHeader("Referer");
        if (referer != null) {
            try {
                URI uri = URI.create(referer);
                if (uri.getPath() != null && uri.getPath().startsWith("/admin")) {
                    return uri.getPath() + (uri.getRawQuery() == null ? "" : "?" + uri.getRawQuery());
                }
            } catch (IllegalArgumentException e) {
                log.debug("ignoring a malformed Referer: {}", e.toString());
            }
        }
        return "/admin";
    }
}
