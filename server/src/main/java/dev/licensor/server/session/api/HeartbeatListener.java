package dev.licensor.server.session.api;

import dev.licensor.protocol.ErrorCode;
import dev.licensor.protocol.ResponseSigning;
import dev.licensor.server.abuse.ClientGuards;
import dev.licensor.server.abuse.ClientRefusals;
import dev.licensor.server.product.ApiKeys;
import dev.licensor.server.security.ClientContext;
import dev.licensor.server.session.SessionRequests;
import dev.licensor.server.session.Sessions;
import dev.licensor.server.signing.RequestSignatures;
import dev.licensor.server.signing.ResponseSignatures;
import dev.licensor.server.web.ApiException;
import dev.licensor.server.web.BodyLimitFilter;
import dev.licensor.server.web.Problems;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.binder.http.Outcome;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.handler.codec.http.HttpRequestDecoder;
import io.netty.util.concurrent.DefaultThreadFactory;
import jakarta.validation.ConstraintViolation;
import jakarta.validation.Validator;
import java.net.InetSocketAddress;
import java.net.URI;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.stream.Stream;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.tomcat.autoconfigure.TomcatServerProperties;
import org.springframework.boot.web.server.autoconfigure.ServerProperties;
import org.springframework.context.SmartLifecycle;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.http.ProblemDetail;
import org.springframework.stereotype.Component;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * A second HTTP port for {@code POST /api/license/session/heartbeat} only, served on event loops
 * (Netty): the thread that reads a heartbeat queues it for its batch and goes on reading, and the
 * batch's completion answers it on the same thread. No thread sleeps or wakes per request, which
 * on a small machine is most of the latency tail of the servlet path (docs/PERFORMANCE.md).
 *
 * <p>It refuses exactly what the main port refuses, in the same order and with the same signed
 * problem documents: the body limit, a blocked address and the per-address limit, the API key,
 * request signatures, the per-key and per-license limits, then the method, media types and body,
 * then the heartbeat's own answers. Every refusal before the heartbeat goes to the validation
 * log, every answer is signed, and each request is counted in {@code http.server.requests}.
 * Other paths are answered {@code 404 NOT_FOUND}. Checks that wait (for Redis, for a signed
 * request's nonce in the database) run on the blocking threads instead of the loop.
 */
@Component
@ConditionalOnBooleanProperty("licensor.heartbeat-listener.enabled")
class HeartbeatListener implements SmartLifecycle {
    private static final Logger log = LoggerFactory.getLogger(HeartbeatListener.class);

    private final HeartbeatListenerProperties properties;
    private final Sessions sessions;
    private final ApiKeys apiKeys;
    private final ClientGuards guards;
    private final RequestSignatures requestSignatures;
    private final ClientRefusals refusals;
    private final ResponseSignatures responseSignatures;
    private final Problems problems;
    private final JsonMapper json;
    private final Validator validator;
    private final MeterRegistry meters;
    private final ClientAddress addresses;
    /** The request timers by their tags. */
    private final Map<TimerKey, Timer> timers = new ConcurrentHashMap<>();

    private record TimerKey(String method, int status, boolean route) {}

    private final ThreadPoolExecutor blocking;
    private @Nullable EventLoopGroup loops;
    private @Nullable Channel server;

    HeartbeatListener(
            HeartbeatListenerProperties properties,
            Sessions sessions,
            ApiKeys apiKeys,
            ClientGuards guards,
            RequestSignatures requestSignatures,
            ClientRefusals refusals,
            ResponseSignatures responseSignatures,
            Problems problems,
            JsonMapper json,
            Validator validator,
            MeterRegistry meters,
            ObjectProvider<ServerProperties> server,
            ObjectProvider<TomcatServerProperties> tomcat) {
        this.properties = properties;
        this.sessions = sessions;
        this.apiKeys = apiKeys;
        this.guards = guards;
        this.requestSignatures = requestSignatures;
        this.refusals = refusals;
        this.responseSignatures = responseSignatures;
        this.problems = problems;
        this.json = json;
        this.validator = validator;
        this.meters = meters;
        this.addresses = new ClientAddress(server.getIfAvailable(), tomcat.getIfAvailable());
        this.blocking = new ThreadPoolExecutor(
                properties.blockingThreads(),
                properties.blockingThreads(),
                60,
                TimeUnit.SECONDS,
                new ArrayBlockingQueue<>(10_000),
                new DefaultThreadFactory("heartbeat-listener-blocking", true));
        this.blocking.allowCoreThreadTimeOut(true);
    }

    @Override
    public void start() {
        EventLoopGroup group = new MultiThreadIoEventLoopGroup(
                properties.threads() > 0
                        ? properties.threads()
                        : Runtime.getRuntime().availableProcessors(),
                new DefaultThreadFactory("heartbeat-listener", true),
                NioIoHandler.newFactory());
        ServerBootstrap bootstrap = new ServerBootstrap()
                .group(group)
                .channel(NioServerSocketChannel.class)
                .option(ChannelOption.SO_BACKLOG, 1024)
                .childOption(ChannelOption.TCP_NODELAY, true)
                .childHandler(new ChannelInitializer<SocketChannel>() {
                    @Override
                    protected void initChannel(SocketChannel channel) {
                        channel.pipeline()
                                .addLast(new HttpRequestDecoder())
                                .addLast(new HeartbeatConnection(HeartbeatListener.this));
                    }
                });
        InetSocketAddress at = properties.address() == null
                ? new InetSocketAddress(properties.port())
                : new InetSocketAddress(properties.address(), properties.port());
        try {
            server = bootstrap.bind(at).syncUninterruptibly().channel();
        } catch (RuntimeException e) {
            group.shutdownGracefully(0, 0, TimeUnit.SECONDS);
            throw new IllegalStateException("the heartbeat listener cannot listen on " + at + ": " + e, e);
        }
        loops = group;
        log.info("Heartbeat listener on port {} ({})", port(), HeartbeatServlet.PATH);
    }

    @Override
    public void stop() {
        if (server != null) {
            server.close().syncUninterruptibly();
            server = null;
        }
        if (loops != null) {
            loops.shutdownGracefully(0, 2, TimeUnit.SECONDS).syncUninterruptibly();
            loops = null;
        }
        blocking.shutdown();
    }

    @Override
    public boolean isRunning() {
        return server != null;
    }

    /** Started after the main web server, stopped before it and before the database pool. */
    @Override
    public int getPhase() {
        return SmartLifecycle.DEFAULT_PHASE;
    }

    /** The port it listens on (the one chosen when configured as 0). */
    int port() {
        return server == null ? -1 : ((InetSocketAddress) server.localAddress()).getPort();
    }

    /** How many requests wait on the blocking threads now (tests). */
    int waitingOffTheLoop() {
        return blocking.getActiveCount();
    }

    /** A request as read: what every check needs to know of it. */
    record Call(
            String method,
            String path,
            @Nullable String query,
            Function<String, @Nullable String> header,
            Function<String, List<String>> headers,
            byte[] body,
            String peer) {

        String pathAndQuery() {
            return ResponseSigning.pathAndQuery(path, query);
        }
    }

    /** An answer to write: status, content type, extra headers as name/value pairs, and body. */
    record Answer(int status, String contentType, List<String> headers, byte[] body) {}

    /**
     * Serves one request. The answer completes on {@code loop} (the connection's event loop), where
     * it is signed and written: the batch writer only hands each heartbeat back and goes on to the
     * next batch. A refusal decided in memory completes at once; checks that may wait ({@link
     * #mayWait}) run on the blocking threads, and their answer completes there.
     */
    CompletableFuture<Answer> serve(Call call, Executor loop) {
        long started = System.nanoTime();
        CompletableFuture<Answer> answer;
        if (mayWait(call)) {
            try {
                answer = CompletableFuture.supplyAsync(() -> answer(call, loop), blocking)
                        .thenCompose(Function.identity());
            } catch (RejectedExecutionException e) {
                answer = CompletableFuture.completedFuture(failure(call, e));
            }
        } else {
            answer = answer(call, loop);
        }
        return answer.whenComplete((done, e) -> record(call, done, started));
    }

    /**
     * Whether the checks in front of this heartbeat may wait: for Redis ({@link
     * ClientGuards#mayWait}) or for the database ({@link RequestSignatures#mayWait}). Such a request
     * is checked on the blocking pool, so that the event loop and every other connection on it go
     * on meanwhile.
     */
    private boolean mayWait(Call call) {
        return guards.mayWait() || RequestSignatures.mayWait(call.header());
    }

    private CompletableFuture<Answer> answer(Call call, Executor loop) {
        try {
            return heartbeat(call, addresses.of(call.peer(), call.headers()), loop);
        } catch (RuntimeException e) {
            return CompletableFuture.completedFuture(failure(call, e));
        }
    }

    private CompletableFuture<Answer> heartbeat(Call call, String ip, Executor loop) {
        JsonNode tree = refusals.body(call.body());
        ClientContext client = null;
        try {
            guards.checkAddress(ip);
            client = authenticate(call.header().apply("X-API-Key"));
            requestSignatures.check(call.method(), call.pathAndQuery(), call.header(), call.body(), client);
            guards.checkRateLimits(client, tree == null ? null : ClientRefusals.licenseKey(call.path(), tree));
        } catch (ApiException e) {
            // Refused before the handler, as the main port's filters refuse: no "instance".
            refusals.refused(client == null ? null : client.productId(), call.path(), tree, e);
            return CompletableFuture.completedFuture(refusal(call, e));
        }
        if (!call.path().equals(HeartbeatServlet.PATH)) {
            throw ApiException.of(ErrorCode.NOT_FOUND);
        }
        if (!call.method().equals("POST")) {
            throw new MethodNotAllowed();
        }
        if (!HeartbeatServlet.isJson(call.header().apply("Content-Type"))) {
            throw ApiException.of(ErrorCode.UNSUPPORTED_MEDIA_TYPE);
        }
        SessionRequests.Heartbeat body = read(tree, call.body());
        boolean acceptsJson = HeartbeatServlet.acceptsJson(call.header().apply("Accept"));
        return sessions.heartbeat(client.productId(), body, ip, blocking)
                .handleAsync(
                        (beat, e) -> {
                            if (e != null) {
                                return failure(
                                        call,
                                        e instanceof CompletionException c && c.getCause() != null ? c.getCause() : e);
                            }
                            if (!acceptsJson) {
                                // As Spring MVC: the heartbeat has counted, only its answer cannot be written.
                                return failure(call, ApiException.of(ErrorCode.NOT_ACCEPTABLE));
                            }
                            return new Answer(
                                    200, MediaType.APPLICATION_JSON_VALUE, List.of(), json.writeValueAsBytes(beat));
                        },
                        loop);
    }

    private ClientContext authenticate(@Nullable String presented) {
        ApiKeys.Credential c =
                apiKeys.authenticate(presented).orElseThrow(() -> ApiException.of(ErrorCode.INVALID_API_KEY));
        return new ClientContext(c.productId(), c.apiKeyId(), c.signingSecret());
    }

    /**
     * The body bound and validated as Spring MVC binds and validates it for the main port, from the
     * JSON object already parsed ({@code tree}) if it is one, else from the bytes, for the error.
     */
    private SessionRequests.Heartbeat read(@Nullable JsonNode tree, byte[] bytes) {
        SessionRequests.Heartbeat body;
        try {
            if (tree != null) {
                body = json.treeToValue(tree, SessionRequests.Heartbeat.class);
            } else {
                body = bytes.length == 0 ? null : json.readValue(bytes, SessionRequests.Heartbeat.class);
            }
        } catch (JacksonException e) {
            throw new InvalidBody(Problems.unreadable(e));
        }
        if (body == null) {
            throw new InvalidBody(Problems.unreadable(null));
        }
        Set<ConstraintViolation<SessionRequests.Heartbeat>> violations = validator.validate(body);
        if (!violations.isEmpty()) {
            throw new InvalidBody(Problems.violations(violations));
        }
        return body;
    }

    /** The problem document for a refusal of the trust layer, as the main port's filters write it. */
    private Answer refusal(Call call, ApiException e) {
        return problem(problems.of(e, locale(call)), headers(e), null);
    }

    /**
     * The problem document for a failure of the request or the heartbeat, as the main port's
     * exception handlers answer it: with the path as its {@code instance}.
     */
    private Answer failure(Call call, Throwable e) {
        Locale locale = locale(call);
        if (e instanceof ApiException api) {
            return problem(problems.of(api, locale), headers(api), call.path());
        }
        if (e instanceof InvalidBody invalid) {
            return problem(problems.invalid(locale, invalid.errors), List.of(), call.path());
        }
        if (e instanceof MethodNotAllowed) {
            return problem(problems.of(ErrorCode.METHOD_NOT_ALLOWED, locale), List.of("Allow", "POST"), call.path());
        }
        if (Problems.unavailable(e)) {
            log.warn("database unavailable or busy while serving {} {}: {}", call.method(), call.path(), e.toString());
            return problem(
                    problems.of(ErrorCode.SERVICE_UNAVAILABLE, locale),
                    List.of(HttpHeaders.RETRY_AFTER, Problems.UNAVAILABLE_RETRY_AFTER),
                    call.path());
        }
        log.error("unexpected failure serving {} {}", call.method(), call.path(), e);
        return problem(problems.of(ErrorCode.INTERNAL_ERROR, locale), List.of(), call.path());
    }

    private static Locale locale(Call call) {
        return Problems.locale(call.header().apply("Accept-Language"));
    }

    private static List<String> headers(ApiException e) {
        return e.headers().entrySet().stream()
                .flatMap(h -> Stream.of(h.getKey(), h.getValue()))
                .toList();
    }

    /**
     * A problem answer. {@code instance} null: as a filter of the main port writes it (no instance,
     * an explicit charset); else as its exception handlers do.
     */
    private Answer problem(ProblemDetail problem, List<String> headers, @Nullable String instance) {
        if (instance == null) {
            return new Answer(
                    problem.getStatus(), Problems.WRITTEN_CONTENT_TYPE, headers, json.writeValueAsBytes(problem));
        }
        try {
            problem.setInstance(URI.create(instance));
        } catch (IllegalArgumentException e) {
            // not a URI path: answered without one
        }
        return new Answer(
                problem.getStatus(),
                MediaType.APPLICATION_PROBLEM_JSON_VALUE,
                headers,
                json.writeValueAsBytes(problem));
    }

    /** The {@code Date} and signature headers of an answer to a call. */
    ResponseSignatures.Signed sign(Call call, Answer answer) {
        return responseSignatures.sign(
                answer.status(),
                call.method(),
                call.pathAndQuery(),
                call.header().apply("X-Nonce"),
                call.body(),
                answer.body());
    }

    /** The problem for a body over {@link BodyLimitFilter#MAX_BODY}, which is not read. */
    Answer tooLarge(Call call) {
        return problem(problems.of(ErrorCode.PAYLOAD_TOO_LARGE, locale(call)), List.of("Connection", "close"), null);
    }

    /** {@code http.server.requests}, tagged as the main port tags a heartbeat. */
    private void record(Call call, @Nullable Answer answer, long started) {
        int status = answer == null ? 500 : answer.status();
        boolean route = call.path().equals(HeartbeatServlet.PATH);
        timers.computeIfAbsent(new TimerKey(call.method(), status, route), k -> Timer.builder("http.server.requests")
                        .tags(
                                "method",
                                call.method(),
                                "uri",
                                route ? HeartbeatServlet.PATH : "NOT_FOUND",
                                "status",
                                Integer.toString(status),
                                "outcome",
                                Outcome.forStatus(status).name(),
                                "exception",
                                "none",
                                "error",
                                "none")
                        .register(meters))
                .record(System.nanoTime() - started, TimeUnit.NANOSECONDS);
    }

    /** A body that does not bind or validate: {@code 400 INVALID_REQUEST} with its errors. */
    private static final class InvalidBody extends RuntimeException {
        private final transient List<Problems.FieldError> errors;

        InvalidBody(List<Problems.FieldError> errors) {
            super(null, null, false, false);
            this.errors = errors;
        }
    }

    /** Another method than POST on the heartbeat's path. */
    private static final class MethodNotAllowed extends RuntimeException {
        MethodNotAllowed() {
            super(null, null, false, false);
        }
    }
}
