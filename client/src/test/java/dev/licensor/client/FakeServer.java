package dev.licensor.client;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.MessageDigest;
import java.security.PrivateKey;
import java.security.Signature;
import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.jspecify.annotations.Nullable;

/**
 * A stand-in for the Licensor server on the JDK's HttpServer. It signs every answer per SPEC §5.3
 * and checks request signatures per §5.2 with its own code, written from the spec independently
 * of {@code dev.licensor.protocol}, so a mistake there cannot hide itself.
 */
final class FakeServer implements AutoCloseable {
    static final String KID = "test-key-1";
    // The JDK HttpServer always overwrites Date with this format, so we sign the same text.
    private static final DateTimeFormatter HTTP_DATE = DateTimeFormatter.ofPattern(
                    "EEE, dd MMM yyyy HH:mm:ss zzz", Locale.US)
            .withZone(ZoneId.of("GMT"));

    /** A recorded request. */
    record Request(String method, String path, @Nullable String query, Map<String, List<String>> headers, String body) {
        @Nullable
        String header(String name) {
            for (var e : headers.entrySet()) {
                if (e.getKey().equalsIgnoreCase(name)) {
                    return e.getValue().getFirst();
                }
            }
            return null;
        }

        Map<String, @Nullable Object> json() {
            return Json.parseObject(body);
        }
    }

    /** How to damage an answer, to test that the client refuses it. */
    enum Tamper {
        NONE,
        BODY,
        WRONG_NONCE,
        UNKNOWN_KID,
        NO_SIGNATURE,
        GARBLED_HEADER
    }

    /** A scripted answer. */
    record Reply(int status, String body, String contentType, Map<String, String> headers, Tamper tamper) {
        static Reply json(int status, String body) {
            return new Reply(status, body, "application/json", Map.of(), Tamper.NONE);
        }

        static Reply problem(int status, String code, String detail, String extraJson) {
            String body = "{\"type\":\"about:blank\",\"title\":\"t\",\"status\":" + status + ",\"detail\":\"" + detail
                    + "\",\"code\":\"" + code + "\"" + (extraJson.isEmpty() ? "" : "," + extraJson) + "}";
            return new Reply(status, body, "application/problem+json", Map.of(), Tamper.NONE);
        }

        Reply withHeader(String name, String value) {
            Map<String, String> h = new LinkedHashMap<>(headers);
            h.put(name, value);
            return new Reply(status, body, contentType, h, tamper);
        }

        Reply tampered(Tamper how) {
            return new Reply(status, body, contentType, headers, how);
        }
    }

    private final HttpServer server;
    private final KeyPair keys;
    private final Map<String, Function<Request, Reply>> routes = new ConcurrentHashMap<>();
    final List<Request> requests = new CopyOnWriteArrayList<>();
    final AtomicInteger dateRaces = new AtomicInteger();
    private volatile @Nullable String signingSecret;

    FakeServer() throws Exception {
        KeyPairGenerator generator = KeyPairGenerator.getInstance("Ed25519");
        keys = generator.generateKeyPair();
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/", this::handle);
        server.start();
        on("GET", "/api/keys", r -> Reply.json(200, jwks()));
    }

    String baseUri() {
        return "http://127.0.0.1:" + server.getAddress().getPort();
    }

    FakeServer on(String method, String path, Function<Request, Reply> handler) {
        routes.put(method + " " + path, handler);
        return this;
    }

    /** Requests are refused with 401 SIGNATURE_INVALID unless signed with this secret. */
    void requireSignatures(String secret) {
        this.signingSecret = secret;
    }

    /** The JWKS of the signing key, with x built from the X.509 encoding (last 32 bytes). */
    String jwks() {
        byte[] encoded = keys.getPublic().getEncoded();
        byte[] raw = Arrays.copyOfRange(encoded, encoded.length - 32, encoded.length);
        String x = Base64.getUrlEncoder().withoutPadding().encodeToString(raw);
        return "{\"keys\":[{\"kty\":\"OKP\",\"crv\":\"Ed25519\",\"use\":\"sig\",\"alg\":\"EdDSA\",\"kid\":\"" + KID
                + "\",\"x\":\"" + x + "\"}]}";
    }

    PrivateKey privateKey() {
        return keys.getPrivate();
    }

    List<Request> requests(String path) {
        List<Request> out = new ArrayList<>();
        for (Request r : requests) {
            if (r.path().equals(path)) {
                out.add(r);
            }
        }
        return out;
    }

    private void handle(HttpExchange exchange) throws IOException {
        try (exchange) {
            String body = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
            String method = exchange.getRequestMethod();
            String path = exchange.getRequestURI().getRawPath();
            String query = exchange.getRequestURI().getRawQuery();
            Request request = new Request(method, path, query, Map.copyOf(exchange.getRequestHeaders()), body);
            requests.add(request);
            Reply reply;
            String secret = signingSecret;
            if (secret != null && !path.equals("/api/keys") && !signatureValid(request, secret)) {
                reply = Reply.problem(401, "SIGNATURE_INVALID", "bad signature", "");
            } else {
                Function<Request, Reply> handler = routes.get(method + " " + path);
                reply = handler == null
                        ? Reply.problem(404, "NOT_FOUND", "no route " + method + " " + path, "")
                        : handler.apply(request);
            }
            send(exchange, request, reply);
        } catch (Exception e) {
            e.printStackTrace();
            throw e;
        }
    }

    private static boolean signatureValid(Request request, String secret) {
        String timestamp = request.header("X-Timestamp");
        String nonce = request.header("X-Nonce");
        String signature = request.header("X-Signature");
        if (timestamp == null || nonce == null || signature == null || nonce.length() < 16) {
            return false;
        }
        String target = request.query() == null ? request.path() : request.path() + "?" + request.query();
        String canonical = request.method() + "\n" + target + "\n" + timestamp + "\n" + nonce + "\n"
                + sha256Hex(request.body().getBytes(StandardCharsets.UTF_8));
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
            String expected = HexFormat.of().formatHex(mac.doFinal(canonical.getBytes(StandardCharsets.UTF_8)));
            return expected.equals(signature);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private void send(HttpExchange exchange, Request request, Reply reply) throws IOException {
        byte[] body = reply.body().getBytes(StandardCharsets.UTF_8);
        String date = dateAwayFromSecondBoundary();
        String nonce = request.header("X-Nonce");
        if (nonce == null) {
            nonce = "";
        }
        if (reply.tamper() == Tamper.WRONG_NONCE) {
            nonce = "a-nonce-of-another-request";
        }
        String target = request.query() == null ? request.path() : request.path() + "?" + request.query();
        String canonical = reply.status() + "\n" + request.method() + " " + target + "\n" + date + "\n" + nonce + "\n"
                + sha256Hex(body);
        String header = "keyid=\"" + (reply.tamper() == Tamper.UNKNOWN_KID ? "other-key" : KID)
                + "\", algorithm=\"ed25519\", signature=\""
                + Base64.getEncoder().encodeToString(sign(canonical))
                + "\"";
        if (reply.tamper() == Tamper.BODY) {
            String changed = reply.body().replace("true", "false").replace("1", "9");
            // Every body changes: a problem without those characters gets a different detail.
            body = (changed.equals(reply.body()) ? changed.replace("\"detail\":\"", "\"detail\":\"X") : changed)
                    .getBytes(StandardCharsets.UTF_8);
            if (Arrays.equals(body, reply.body().getBytes(StandardCharsets.UTF_8))) {
                throw new IllegalStateException("the tampering changed nothing: " + reply.body());
            }
        }
        var headers = exchange.getResponseHeaders();
        headers.set("Content-Type", reply.contentType());
        headers.set("Date", date);
        reply.headers().forEach(headers::set);
        if (reply.tamper() == Tamper.GARBLED_HEADER) {
            headers.set("X-Licensor-Signature", "keyid=" + KID + " signature");
        } else if (reply.tamper() != Tamper.NO_SIGNATURE) {
            headers.set("X-Licensor-Signature", header);
        }
        exchange.sendResponseHeaders(reply.status(), body.length == 0 ? -1 : body.length);
        if (!date.equals(headers.getFirst("Date"))) {
            dateRaces.incrementAndGet();
        }
        if (body.length > 0) {
            exchange.getResponseBody().write(body);
        }
    }

    /**
     * The JDK's HttpServer stamps its own Date when sending the headers; to sign the same text, we
     * never sign in the last quarter of a second, so a mismatch would need a stall of 750 ms
     * between two adjacent statements ({@link #dateRaces} counts any).
     */
    private static String dateAwayFromSecondBoundary() {
        long millis = Instant.now().toEpochMilli() % 1000;
        if (millis > 750) {
            try {
                Thread.sleep(1000 - millis + 5);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        return HTTP_DATE.format(Instant.now());
    }

    private byte[] sign(String canonical) {
        try {
            Signature s = Signature.getInstance("Ed25519");
            s.initSign(keys.getPrivate());
            s.update(canonical.getBytes(StandardCharsets.UTF_8));
            return s.sign();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    static String sha256Hex(byte[] bytes) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
