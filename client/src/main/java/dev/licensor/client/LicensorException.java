package dev.licensor.client;

import dev.licensor.protocol.ErrorCode;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * A failed call to the Licensor server. The server's answers arrive as problem documents
 * (RFC 9457) with a stable {@link #code()}; the subclasses group the codes a program handles
 * differently, and {@link TransportException}, {@link ResponseSignatureException} and {@link
 * InvalidResponseException} stand for failures where no trustworthy answer arrived.
 *
 * <p>Switch on {@link #code()} or the subclass, never on {@link #detail()}: the detail is a
 * sentence for the end user, localized by the client's {@code Accept-Language}.
 */
public class LicensorException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    private final transient Problem problem;

    LicensorException(Problem problem, @Nullable Throwable cause) {
        super(message(problem), cause);
        this.problem = problem;
    }

    /**
     * The stable error code.
     *
     * @return the code, or null when the failure has no server answer (network, signature) or the
     *     server sent a code this SDK version does not know (see {@link #rawCode()})
     */
    public @Nullable ErrorCode code() {
        return problem.code();
    }

    /**
     * The {@code code} member exactly as the server sent it.
     *
     * @return the code text, or empty when the answer had none
     */
    public Optional<String> rawCode() {
        return Optional.ofNullable(problem.rawCode());
    }

    /**
     * The HTTP status of the answer.
     *
     * @return the status, or 0 when no answer was received
     */
    public int status() {
        return problem.status();
    }

    /**
     * The human-readable explanation: the server's localized {@code detail}, suitable to show to
     * the end user, or a description of a local failure.
     *
     * @return the detail text
     */
    public String detail() {
        return problem.detail();
    }

    /**
     * Every member of the problem document, including the code-specific extra fields (e.g.
     * {@code device_limit}, {@code end_reason}). Values are as parsed from JSON: {@code String},
     * {@code Long}, {@code Boolean}, {@code List}, {@code Map} or null.
     *
     * @return an unmodifiable map, empty when the answer was not a problem document
     */
    public Map<String, @Nullable Object> properties() {
        return problem.properties();
    }

    /**
     * One member of the problem document.
     *
     * @param name the member name, e.g. {@code "device_limit"}
     * @return its value, or empty when absent or null
     */
    public Optional<Object> property(String name) {
        return Optional.ofNullable(problem.properties().get(name));
    }

    /**
     * The {@code Retry-After} the server asked for (rate limits, service unavailable).
     *
     * @return the delay, or empty when the server did not send one
     */
    public Optional<Duration> retryAfter() {
        return Optional.ofNullable(problem.retryAfter());
    }

    /**
     * Whether trying the same call again later may succeed: network failures, 5xx answers, rate
     * limits, and answers that could not be trusted or read (e.g. a captive portal).
     *
     * @return true for transient failures
     */
    public boolean isTransient() {
        return false;
    }

    Problem problem() {
        return problem;
    }

    long longProperty(String name) {
        return property(name)
                .filter(Number.class::isInstance)
                .map(n -> ((Number) n).longValue())
                .orElse(0L);
    }

    Optional<String> stringProperty(String name) {
        return property(name).filter(String.class::isInstance).map(String.class::cast);
    }

    private static String message(Problem problem) {
        String code = problem.rawCode() != null ? problem.rawCode() : "no code";
        return problem.status() == 0
                ? problem.detail()
                : code + " (HTTP " + problem.status() + "): " + problem.detail();
    }
}
