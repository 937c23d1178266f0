package dev.licensor.server.web;

import dev.licensor.protocol.ErrorCode;
import jakarta.servlet.http.HttpServletRequest;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.dao.DataAccessResourceFailureException;
import org.springframework.dao.DuplicateKeyException;
import org.springframework.dao.TransientDataAccessException;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.http.converter.HttpMessageNotReadableException;
import org.springframework.jdbc.CannotGetJdbcConnectionException;
import org.springframework.transaction.CannotCreateTransactionException;
import org.springframework.web.HttpMediaTypeNotAcceptableException;
import org.springframework.web.HttpMediaTypeNotSupportedException;
import org.springframework.web.HttpRequestMethodNotSupportedException;
import org.springframework.web.bind.MethodArgumentNotValidException;
import org.springframework.web.bind.MissingRequestHeaderException;
import org.springframework.web.bind.MissingServletRequestParameterException;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.RestControllerAdvice;
import org.springframework.web.method.annotation.HandlerMethodValidationException;
import org.springframework.web.method.annotation.MethodArgumentTypeMismatchException;
import org.springframework.web.servlet.resource.NoResourceFoundException;

/**
 * Maps every failure of a JSON endpoint to a problem document in one place. Nothing internal
 * (stack traces, SQL, class names) ever leaves: unexpected failures are logged and answered with
 * a bare {@code INTERNAL_ERROR}.
 */
@RestControllerAdvice
class ApiExceptionHandler {
    private static final Logger log = LoggerFactory.getLogger(ApiExceptionHandler.class);

    private final Problems problems;

    ApiExceptionHandler(Problems problems) {
        this.problems = problems;
    }

    @ExceptionHandler(ApiException.class)
    ResponseEntity<ProblemDetail> api(ApiException e, HttpServletRequest request) {
        ResponseEntity.BodyBuilder builder = ResponseEntity.status(e.code().status());
        e.headers().forEach(builder::header);
        return builder.contentType(MediaType.APPLICATION_PROBLEM_JSON).body(problems.of(e, locale(request)));
    }

    @ExceptionHandler(HttpMessageNotReadableException.class)
    ResponseEntity<ProblemDetail> unreadable(HttpMessageNotReadableException e, HttpServletRequest request) {
        return invalid(request, Problems.unreadable(e.getCause()));
    }

    @ExceptionHandler(MethodArgumentNotValidException.class)
    ResponseEntity<ProblemDetail> invalid(MethodArgumentNotValidException e, HttpServletRequest request) {
        List<Problems.FieldError> errors = new ArrayList<>();
        e.getBindingResult()
                .getFieldErrors()
                .forEach(f -> errors.add(new Problems.FieldError(
                        Problems.snake(f.getField()),
                        f.getDefaultMessage() == null ? "invalid" : f.getDefaultMessage())));
        e.getBindingResult()
                .getGlobalErrors()
                .forEach(g -> errors.add(new Problems.FieldError(
                        "", g.getDefaultMessage() == null ? "invalid" : g.getDefaultMessage())));
        return invalid(request, errors);
    }

    @ExceptionHandler(HandlerMethodValidationException.class)
    ResponseEntity<ProblemDetail> invalid(HandlerMethodValidationException e, HttpServletRequest request) {
        List<Problems.FieldError> errors = new ArrayList<>();
        e.getParameterValidationResults().forEach(r -> r.getResolvableErrors()
                .forEach(err -> errors.add(new Problems.FieldError(
                        Problems.snake(
                                r.getMethodParameter().getParameterName() == null
                                        ? ""
                                        : r.getMethodParameter().getParameterName()),
                        err.getDefaultMessage() == null ? "invalid" : err.getDefaultMessage()))));
        return invalid(request, errors);
    }

    @ExceptionHandler({MissingServletRequestParameterException.class, MissingRequestHeaderException.class})
    ResponseEntity<ProblemDetail> missing(Exception e, HttpServletRequest request) {
        String name = e instanceof MissingServletRequestParameterException p
                ? p.getParameterName()
                : ((MissingRequestHeaderException) e).getHeaderName();
        return invalid(request, List.of(new Problems.FieldError(name, "required")));
    }

    @ExceptionHandler(MethodArgumentTypeMismatchException.class)
    ResponseEntity<ProblemDetail> mismatch(MethodArgumentTypeMismatchException e, HttpServletRequest request) {
        return invalid(request, List.of(new Problems.FieldError(e.getName(), "wrong type or value")));
    }

    /** Tomcat parses parameters lazily and fails on bad percent-encoding (e.g. %ED%A0%80). */
    @ExceptionHandler(org.apache.tomcat.util.http.InvalidParameterException.class)
    ResponseEntity<ProblemDetail> badParameter(HttpServletRequest request) {
        return invalid(request, List.of(new Problems.FieldError("", "a query parameter is not valid UTF-8")));
    }

    @ExceptionHandler(HttpRequestMethodNotSupportedException.class)
    ResponseEntity<ProblemDetail> method(HttpRequestMethodNotSupportedException e, HttpServletRequest request) {
        ResponseEntity.BodyBuilder builder = ResponseEntity.status(405);
        if (e.getSupportedHttpMethods() != null) {
            builder.allow(e.getSupportedHttpMethods().toArray(org.springframework.http.HttpMethod[]::new));
        }
        return builder.contentType(MediaType.APPLICATION_PROBLEM_JSON)
                .body(problems.of(ErrorCode.METHOD_NOT_ALLOWED, locale(request)));
    }

    @ExceptionHandler(HttpMediaTypeNotSupportedException.class)
    ResponseEntity<ProblemDetail> mediaType(HttpServletRequest request) {
        return simple(ErrorCode.UNSUPPORTED_MEDIA_TYPE, request);
    }

    @ExceptionHandler(HttpMediaTypeNotAcceptableException.class)
    ResponseEntity<ProblemDetail> notAcceptable(HttpServletRequest request) {
        return simple(ErrorCode.NOT_ACCEPTABLE, request);
    }

    @ExceptionHandler(NoResourceFoundException.class)
    ResponseEntity<ProblemDetail> notFound(HttpServletRequest request) {
        return simple(ErrorCode.NOT_FOUND, request);
    }

    @ExceptionHandler(DuplicateKeyException.class)
    ResponseEntity<ProblemDetail> duplicate(HttpServletRequest request) {
        return simple(ErrorCode.CONFLICT, request);
    }

    @ExceptionHandler({
        CannotGetJdbcConnectionException.class,
        CannotCreateTransactionException.class,
        DataAccessResourceFailureException.class,
        TransientDataAccessException.class
    })
    ResponseEntity<ProblemDetail> unavailable(Exception e, HttpServletRequest request) {
        log.warn(
                "database unavailable while serving {} {}: {}",
                request.getMethod(),
                request.getRequestURI(),
                e.toString());
        return ResponseEntity.status(503)
                .header(HttpHeaders.RETRY_AFTER, Problems.UNAVAILABLE_RETRY_AFTER)
                .contentType(MediaType.APPLICATION_PROBLEM_JSON)
                .body(problems.of(ErrorCode.SERVICE_UNAVAILABLE, locale(request)));
    }

    @ExceptionHandler(Exception.class)
    ResponseEntity<ProblemDetail> unexpected(Exception e, HttpServletRequest request) {
        log.error("unexpected failure serving {} {}", request.getMethod(), request.getRequestURI(), e);
        return simple(ErrorCode.INTERNAL_ERROR, request);
    }

    private ResponseEntity<ProblemDetail> invalid(HttpServletRequest request, List<Problems.FieldError> errors) {
        return ResponseEntity.badRequest()
                .contentType(MediaType.APPLICATION_PROBLEM_JSON)
                .body(problems.invalid(locale(request), errors));
    }

    private ResponseEntity<ProblemDetail> simple(ErrorCode code, HttpServletRequest request) {
        return ResponseEntity.status(code.status())
                .contentType(MediaType.APPLICATION_PROBLEM_JSON)
                .body(problems.of(code, locale(request)));
    }

    private Locale locale(HttpServletRequest request) {
        return problems.locale(request);
    }
}
