package dev.licensor.server.signing;

import dev.licensor.protocol.ResponseSigning;
import dev.licensor.server.web.BodyLimitFilter;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import org.jspecify.annotations.Nullable;
import org.springframework.stereotype.Component;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The signature of a client-API answer (SPEC §5.3): {@code Date} and {@code X-Licensor-Signature:
 * keyid="…", algorithm="ed25519", signature="…"} over {@code STATUS\nMETHOD PATH\nDATE\nREQUEST_NONCE\n
 * hex(SHA-256(body))}. The request's nonce binds the answer to the question, so a captured response
 * cannot answer another request. Used by every listener that answers client calls.
 */
@Component
public class ResponseSignatures {
    private static final byte[] NONCE = "nonce".getBytes(StandardCharsets.US_ASCII);

    private final SigningKeys keys;
    private final Clock clock;
    private final JsonMapper json;
    /** The last {@code Date} value: every answer within the same second has the same one. */
    private volatile HttpDate lastDate = new HttpDate(Long.MIN_VALUE, "");

    private record HttpDate(long epochSecond, String text) {}

    /** The two headers to send with an answer. */
    public record Signed(String date, String signature) {}

    ResponseSignatures(SigningKeys keys, Clock clock, JsonMapper json) {
        this.keys = keys;
        this.clock = clock;
        this.json = json;
    }

    /**
     * Signs an answer. {@code nonceHeader} is the request's {@code X-Nonce}; without it the request
     * body's {@code nonce} string is the nonce, else there is none.
     */
    public Signed sign(
            int status,
            String method,
            String pathAndQuery,
            @Nullable String nonceHeader,
            byte[] requestBody,
            byte[] responseBody) {
        String date = httpDate(clock.instant());
        // The canonical string comes from the protocol module, which the client SDK verifies with.
        String canonical = ResponseSigning.canonical(
                status,
                method,
                pathAndQuery,
                date,
                nonceHeader != null ? nonceHeader : bodyNonce(requestBody),
                responseBody);
        return new Signed(date, keys.signatureHeader(canonical));
    }

    /** {@code now} as an HTTP date, formatted once per second. */
    String httpDate(Instant now) {
        HttpDate last = lastDate;
        if (last.epochSecond() != now.getEpochSecond()) {
            last = new HttpDate(now.getEpochSecond(), ResponseSigning.HTTP_DATE.format(now));
            lastDate = last;
        }
        return last.text();
    }

    /** The JSON body's {@code nonce} string, else empty. */
    private String bodyNonce(byte[] body) {
        if (body.length == 0 || body.length > BodyLimitFilter.MAX_BODY || !mayHoldNonce(body)) {
            return "";
        }
        try {
            JsonNode node = json.readTree(body);
            JsonNode nonce = node == null ? null : node.get("nonce");
            return nonce != null && nonce.isString() ? nonce.stringValue() : "";
        } catch (RuntimeException e) {
            return ""; // not JSON: there is no body nonce
        }
    }

    /**
     * Whether a JSON body can have a {@code nonce} member: only if it spells the name out or holds a
     * backslash escape (which could spell it). Most calls carry none, and parsing the body a second
     * time for nothing would cost every call.
     */
    static boolean mayHoldNonce(byte[] body) {
        for (int i = 0; i < body.length; i++) {
            if (body[i] == '\\') {
                return true;
            }
            if (body[i] == 'n' && i + NONCE.length <= body.length) {
                int j = 1;
                while (j < NONCE.length && body[i + j] == NONCE[j]) {
                    j++;
                }
                if (j == NONCE.length) {
                    return true;
                }
            }
        }
        return false;
    }
}
