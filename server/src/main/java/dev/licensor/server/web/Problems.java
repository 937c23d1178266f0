package dev.licensor.server.web;

import dev.licensor.protocol.ErrorCode;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import jakarta.validation.ConstraintViolation;
import java.io.IOException;
import java.net.URI;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.RejectedExecutionException;
import org.jspecify.annotations.Nullable;
import org.springframework.context.MessageSource;
import org.springframework.dao.DataAccessResourceFailureException;
import org.springframework.dao.TransientDataAccessException;
import org.springframework.http.HttpStatusCode;
import org.springframework.http.MediaType;
import org.springframework.http.ProblemDetail;
import org.springframework.jdbc.CannotGetJdbcConnectionException;
import org.springframework.stereotype.Component;
import org.springframework.transaction.CannotCreateTransactionException;
import org.springframework.web.servlet.LocaleResolver;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.DatabindException;
import tools.jackson.databind.exc.UnrecognizedPropertyException;
import tools.jackson.databind.json.JsonMapper;

/**
 * Builds every problem document the API answers with, so the shape is the same whether it comes
 * from a controller, a filter or Spring Security: {@code type}, {@code title}, {@code status},
 * {@code detail} (localized by {@code Accept-Language}), {@code code}, and the code's fields.
 */
@Component
public class Problems {
    private static final String TYPE_PREFIX = "https://licensor.dev/problems/";
    /** The languages of problem details; the first is the default. */
    static final List<Locale> LOCALES = List.of(Locale.ENGLISH, Locale.GERMAN, Locale.FRENCH);

    private static final Locale DEFAULT_LOCALE = LOCALES.getFirst();

    /** The content type of a problem {@link #write written} by a filter (handlers' answers carry no charset). */
    public static final String WRITTEN_CONTENT_TYPE = MediaType.APPLICATION_PROBLEM_JSON_VALUE + ";charset=UTF-8";

    /** The {@code Retry-After} seconds of a {@code 503 SERVICE_UNAVAILABLE}. */
    public static final String UNAVAILABLE_RETRY_AFTER = "5";

    private final MessageSource messages;
    private final LocaleResolver locales;
    private final JsonMapper json;

    Problems(MessageSource messages, LocaleResolver locales, JsonMapper json) {
        this.messages = messages;
        this.locales = locales;
        this.json = json;
    }

    /** The problem for an {@link ApiException}. */
    public ProblemDetail of(ApiException e, Locale locale) {
        String key =
                e.detailKey() != null ? e.detailKey() : "problem." + e.code().name() + ".detail";
        ProblemDetail problem = base(e.code(), locale, key, e.detailArgs());
        e.properties().forEach(problem::setProperty);
        return problem;
    }

    /** The problem for a code with its standard detail. */
    public ProblemDetail of(ErrorCode code, Locale locale, Object... args) {
        return base(code, locale, "problem." + code.name() + ".detail", args);
    }

    /** An {@code INVALID_REQUEST} problem listing the offending fields. */
    public ProblemDetail invalid(Locale locale, List<FieldError> errors) {
        ProblemDetail problem = of(ErrorCode.INVALID_REQUEST, locale);
        problem.setProperty("errors", errors);
        return problem;
    }

    /** The locale a request's problems are written in: en (default), de or fr. */
    public Locale locale(HttpServletRequest request) {
        return locales.resolveLocale(request);
    }

    /**
     * The locale for an {@code Accept-Language} value, chosen as Spring's {@code
     * AcceptHeaderLocaleResolver} chooses it for a servlet request: the first acceptable range
     * that is a supported locale, else the first whose language is one, else English.
     */
    public static Locale locale(@Nullable String acceptLanguage) {
        if (acceptLanguage == null || acceptLanguage.isBlank()) {
            return DEFAULT_LOCALE;
        }
        List<Locale.LanguageRange> ranges;
        try {
            ranges = Locale.LanguageRange.parse(acceptLanguage);
        } catch (IllegalArgumentException e) {
            return DEFAULT_LOCALE;
        }
        Locale languageMatch = null;
        for (Locale.LanguageRange range : ranges) {
            if (range.getWeight() == 0 || range.getRange().contains("*")) {
                continue;
            }
            Locale asked = Locale.forLanguageTag(range.getRange());
            if (LOCALES.contains(asked)) {
                // A full match, unless an earlier range matched another language already.
                if (languageMatch == null || languageMatch.getLanguage().equals(asked.getLanguage())) {
                    return asked;
                }
            } else if (languageMatch == null) {
                languageMatch = LOCALES.stream()
                        .filter(l -> l.getLanguage().equals(asked.getLanguage()))
                        .findFirst()
                        .orElse(null);
            }
        }
        return languageMatch != null ? languageMatch : DEFAULT_LOCALE;
    }

    /**
     * Whether a failure means the database is unavailable or too busy, answered {@code 503
     * SERVICE_UNAVAILABLE} with {@code Retry-After} (the same classes as {@link
     * ApiExceptionHandler}'s handler for it, and a full work queue).
     */
    public static boolean unavailable(Throwable e) {
        return e instanceof CannotGetJdbcConnectionException
                || e instanceof CannotCreateTransactionException
                || e instanceof DataAccessResourceFailureException
                || e instanceof TransientDataAccessException
                || e instanceof RejectedExecutionException;
    }

    /** The {@code errors} of an {@code INVALID_REQUEST} for a body that could not be read into its type. */
    public static List<FieldError> unreadable(@Nullable Throwable cause) {
        if (cause instanceof UnrecognizedPropertyException unknown) {
            return List.of(new FieldError(path(unknown), "unknown field"));
        } else if (cause instanceof DatabindException bind && !bind.getPath().isEmpty()) {
            return List.of(new FieldError(path(bind), "wrong type or value"));
        } else if (cause instanceof JacksonException) {
            return List.of(new FieldError("", "malformed JSON"));
        }
        return List.of(new FieldError("", "a JSON body is required"));
    }

    /** The {@code errors} of an {@code INVALID_REQUEST} for a body that failed bean validation. */
    public static List<FieldError> violations(Set<? extends ConstraintViolation<?>> violations) {
        return violations.stream()
                .map(v -> new FieldError(snake(v.getPropertyPath().toString()), v.getMessage()))
                .toList();
    }

    /** Bean property names are camelCase; the API speaks snake_case. */
    static String snake(String name) {
        return name.replaceAll("([a-z0-9])([A-Z])", "$1_$2").toLowerCase(Locale.ROOT);
    }

    private static String path(DatabindException e) {
        StringBuilder out = new StringBuilder();
        e.getPath().forEach(ref -> {
            if (ref.getPropertyName() != null) {
                if (!out.isEmpty()) {
                    out.append('.');
                }
                out.append(ref.getPropertyName());
            } else if (ref.getIndex() >= 0) {
                out.append('[').append(ref.getIndex()).append(']');
            }
        });
        return out.toString();
    }

    /** A localized message for other uses (e.g. the verify endpoint's {@code detail}). */
    public String message(String key, Locale locale, Object... args) {
        return messages.getMessage(key, args, key, locale);
    }

    /** Writes a problem directly to a response, for filters that answer before any controller. */
    public void write(HttpServletRequest request, HttpServletResponse response, ApiException e) throws IOException {
        ProblemDetail problem = of(e, locale(request));
        e.headers().forEach(response::setHeader);
        write(response, problem);
    }

    public void write(HttpServletResponse response, ProblemDetail problem) throws IOException {
        response.setStatus(problem.getStatus());
        response.setContentType(WRITTEN_CONTENT_TYPE);
        response.getOutputStream().write(json.writeValueAsBytes(problem));
        response.flushBuffer();
    }

    private ProblemDetail base(ErrorCode code, Locale locale, String detailKey, Object[] args) {
        ProblemDetail problem = ProblemDetail.forStatus(HttpStatusCode.valueOf(code.status()));
        problem.setType(
                URI.create(TYPE_PREFIX + code.name().toLowerCase(Locale.ROOT).replace('_', '-')));
        problem.setTitle(messages.getMessage("problem." + code.name() + ".title", null, code.name(), Locale.ENGLISH));
        problem.setDetail(messages.getMessage(detailKey, args, code.name(), locale));
        problem.setProperty("code", code.name());
        return problem;
    }

    /** One entry of an {@code INVALID_REQUEST} problem's {@code errors}. */
    public record FieldError(String field, String message) {}
}
