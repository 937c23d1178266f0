package dev.licensor.server.session;

import com.fasterxml.jackson.annotation.JsonInclude;
import dev.licensor.protocol.ErrorCode;
import dev.licensor.protocol.LicenseKeyFormat;
import dev.licensor.protocol.Version;
import dev.licensor.server.audit.AuditLog;
import dev.licensor.server.audit.ValidationLog;
import dev.licensor.server.license.Activations;
import dev.licensor.server.license.ClientRequests;
import dev.licensor.server.license.Device;
import dev.licensor.server.license.License;
import dev.licensor.server.license.LicenseKeys;
import dev.licensor.server.license.LicenseView;
import dev.licensor.server.license.Usability;
import dev.licensor.server.product.Product;
import dev.licensor.server.product.Products;
import dev.licensor.server.product.VersionInfo;
import dev.licensor.server.support.Refreshing;
import dev.licensor.server.support.RequestInfo;
import dev.licensor.server.web.ApiException;
import dev.licensor.server.web.JsonFields;
import dev.licensor.server.web.PageResponse;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.jspecify.annotations.Nullable;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.dao.QueryTimeoutException;
import org.springframework.stereotype.Service;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.annotation.Transactional;
import org.springframework.transaction.support.TransactionTemplate;
import tools.jackson.databind.JsonNode;

/**
 * Concurrent sessions: start, heartbeat, end, and their administration.
 *
 * <p>The limit is decided in the start transaction while it holds the license row lock ({@code
 * SELECT … FOR UPDATE}): starts of one license are serialized across all instances, timed-out
 * sessions are ended first, and the live sessions of other devices are counted before the new one
 * is inserted. Nothing else can add a live session: a heartbeat only extends a session that is
 * still live and not ended, and the ending statements take the session row, so a session the start
 * ended stays ended.
 *
 * <p>The heartbeat is the hot path: one {@code UPDATE} without a transaction around it, plus a
 * queued heartbeat-log row. Only when that statement matches nothing does a transaction find out
 * why (unknown, ended, timed out, license no longer usable) and answer accordingly.
 */
@Service
public class Sessions {
    private static final int REAP_BATCH = 1000;

    private final SessionRepository repository;
    private final Activations activations;
    private final Products products;
    private final LicenseKeys keys;
    private final ValidationLog validationLog;
    private final HeartbeatLog heartbeatLog;
    private final AuditLog audit;
    private final ApplicationEventPublisher events;
    private final TransactionTemplate transactions;
    private final Clock clock;
    private final SecureRandom random;
    private final Counter heartbeats;
    private final Refreshing.Value<Long> liveTotal =
            new Refreshing.Value<>(Duration.ofSeconds(5), Duration.ofSeconds(10), this::countAllLive);

    Sessions(
            SessionRepository repository,
            Activations activations,
            Products products,
            LicenseKeys keys,
            ValidationLog validationLog,
            HeartbeatLog heartbeatLog,
            AuditLog audit,
            ApplicationEventPublisher events,
            PlatformTransactionManager transactionManager,
            Clock clock,
            SecureRandom random,
            MeterRegistry meters) {
        this.repository = repository;
        this.activations = activations;
        this.products = products;
        this.keys = keys;
        this.validationLog = validationLog;
        this.heartbeatLog = heartbeatLog;
        this.audit = audit;
        this.events = events;
        this.transactions = new TransactionTemplate(transactionManager);
        this.clock = clock;
        this.random = random;
        this.heartbeats = Counter.builder("licensor.sessions.heartbeats")
                .description("Heartbeats accepted (refused ones show in http.server.requests by status)")
                .register(meters);
        Gauge.builder("licensor.sessions.live", this, s -> s.liveTotal.get())
                .description("Live sessions of all licenses (re-counted at most every 5 s)")
                .register(meters);
    }

    /** The answer to a session start. {@code offline_token} is added by the trust layer when it signs one. */
    public record Started(
            String sessionToken,
            boolean resumed,
            int heartbeatInterval,
            int sessionTimeout,
            LicenseView license,
            VersionInfo version,
            @JsonInclude(JsonInclude.Include.NON_NULL) @Nullable String offlineToken) {

        public Started withOfflineToken(@Nullable String token) {
            return new Started(sessionToken, resumed, heartbeatInterval, sessionTimeout, license, version, token);
        }
    }

    /** The answer to a heartbeat. */
    public record Beat(boolean ok, int nextHeartbeatIn, Instant serverTime) {}

    /** The answer to a session end. */
    public record Ended(boolean ended, String endReason) {}

    /**
     * Starts a session, in order: license found and usable; version not below the minimum; device
     * active (activated here when the product allows it); the same device's live session replaced;
     * timed-out sessions ended; the limit checked against the live sessions of other devices.
     */
    public Started start(long productId, SessionRequests.Start request) {
        List<SessionLimitReached> refused = new java.util.ArrayList<>(1);
        try {
            return java.util.Objects.requireNonNull(
                    transactions.execute(tx -> startLocked(productId, request, refused)));
        } catch (ApiException e) {
            // Published once the refused start has rolled back and given its connection back: a
            // listener that records the refusal does so in a transaction of its own, and must not
            // hold a second connection while this one waits (a burst of refusals would drain the pool).
            refused.forEach(events::publishEvent);
            throw e;
        }
    }

    private Started startLocked(long productId, SessionRequests.Start request, List<SessionLimitReached> refused) {
        Product product = products.cached(productId);
        Long licenseId = null;
        try {
            Version version = Activations.parseVersion(request.version());
            License license = activations.lockUsable(product, request.licenseKey());
            licenseId = license.id();
            Activations.requireVersion(product, version);
            Device device = device(product, license, request);

            Instant now = now();
            repository.endTimedOut(license.id(), now);
            List<SessionRepository.Live> live = repository.live(license.id(), now);
            List<SessionRepository.Live> sameDevice =
                    live.stream().filter(s -> s.deviceId() == device.id()).toList();
            int others = live.size() - sameDevice.size();
            if (others >= license.concurrentSessionsLimit()) {
                refused.add(new SessionLimitReached(
                        product.id(),
                        license.id(),
                        license.licenseKey(),
                        device.hardwareHash(),
                        device.machineId(),
                        license.concurrentSessionsLimit(),
                        others));
                throw limitReached(license.concurrentSessionsLimit());
            }
            for (SessionRepository.Live s : sameDevice) {
                repository.end(s.id(), EndReason.REPLACED, now);
            }
            UUID token = SessionTokens.next(random);
            String ip = RequestInfo.current().ip();
            String clientVersion = RequestInfo.clean(request.version(), 64);
            long sessionId = repository.insert(
                    token,
                    product.id(),
                    license.id(),
                    device.id(),
                    ip,
                    clientVersion,
                    now,
                    now.plusSeconds(product.sessionTimeout()));
            events.publishEvent(new SessionStarted(
                    product.id(),
                    license.id(),
                    license.licenseKey(),
                    sessionId,
                    device.id(),
                    device.hardwareHash(),
                    device.machineId(),
                    !sameDevice.isEmpty(),
                    ip,
                    clientVersion,
                    now));
            validationLog.record(
                    productId,
                    licenseId,
                    request.licenseKey(),
                    "session_start",
                    "OK",
                    request.hardwareHash(),
                    request.version());
            return new Started(
                    token.toString(),
                    !sameDevice.isEmpty(),
                    product.heartbeatInterval(),
                    product.sessionTimeout(),
                    activations.view(license, product),
                    VersionInfo.of(product, version),
                    null);
        } catch (ApiException e) {
            validationLog.record(
                    productId,
                    licenseId,
                    request.licenseKey(),
                    "session_start",
                    e.code().name(),
                    request.hardwareHash(),
                    request.version());
            throw e;
        }
    }

    /** {@code SESSION_LIMIT_REACHED}, saying how many sessions are allowed and nothing about who holds them. */
    static ApiException limitReached(int limit) {
        ApiException e = ApiException.of(ErrorCode.SESSION_LIMIT_REACHED).with("concurrent_sessions_limit", limit);
        return limit == 1 ? e.detail("problem.SESSION_LIMIT_REACHED.detail.one") : e.args(limit);
    }

    private Device device(Product product, License license, SessionRequests.Start request) {
        if (product.autoActivateOnSession()) {
            ClientRequests.Components c = request.components();
            return activations
                    .bind(
                            product,
                            license,
                            request.hardwareHash(),
                            request.machineId(),
                            request.deviceName(),
                            request.deviceType(),
                            request.os(),
                            c == null ? null : c.mac(),
                            c == null ? null : c.cpuId(),
                            c == null ? null : c.systemUuid())
                    .device();
        }
        Device device = activations
                .device(license.id(), request.hardwareHash())
                .orElseThrow(() -> ApiException.of(ErrorCode.DEVICE_NOT_ACTIVATED));
        return switch (device.status()) {
            case ACTIVE -> device;
            case BLOCKED -> throw ApiException.of(ErrorCode.DEVICE_BLOCKED);
            case DEACTIVATED -> throw ApiException.of(ErrorCode.DEVICE_NOT_ACTIVATED);
        };
    }

    /**
     * A heartbeat: extends a live session. After the timeout the session is over (no grace for
     * reclaiming it), and a license that became unusable ends it as {@code license_invalid}.
     */
    public Beat heartbeat(long productId, SessionRequests.Heartbeat request) {
        PendingBeat pending =
                heartbeatStatement(productId, request, RequestInfo.current().ip(), Runnable::run);
        Optional<SessionRepository.Beat> hit;
        try {
            hit = pending.applied().get(30, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new QueryTimeoutException("interrupted waiting for the heartbeat batch", e);
        } catch (TimeoutException e) {
            throw new QueryTimeoutException("heartbeat batch took too long", e);
        } catch (ExecutionException e) {
            if (e.getCause() instanceof RuntimeException runtime) {
                throw runtime;
            }
            throw new IllegalStateException(e.getCause());
        }
        return heartbeatDone(pending, hit);
    }

    /**
     * The same heartbeat for a caller that must not wait: the result completes when the heartbeat's
     * batch has run, failed with the same {@link ApiException}s. Any other wait for the database
     * (the statement itself when heartbeats are not batched, a miss decided in a transaction) runs
     * on {@code blocking}, never on the batch writer's thread.
     */
    public CompletableFuture<Beat> heartbeat(
            long productId, SessionRequests.Heartbeat request, @Nullable String ip, Executor blocking) {
        PendingBeat pending;
        try {
            pending = heartbeatStatement(productId, request, ip, blocking);
        } catch (RuntimeException e) {
            return CompletableFuture.failedFuture(e);
        }
        return pending.applied()
                .thenCompose(hit -> hit.isPresent() && hit.get().logged()
                        ? CompletableFuture.completedFuture(heartbeatDone(pending, hit))
                        : CompletableFuture.supplyAsync(() -> heartbeatDone(pending, hit), blocking));
    }

    /** A heartbeat whose statement has been issued. */
    private record PendingBeat(
            Product product,
            UUID token,
            LicenseKeys.Lookup lookup,
            String typedKey,
            Instant now,
            @Nullable String ip,
            CompletableFuture<Optional<SessionRepository.Beat>> applied) {}

    private PendingBeat heartbeatStatement(
            long productId, SessionRequests.Heartbeat request, @Nullable String ip, Executor blocking) {
        Product product = products.cached(productId);
        UUID token = SessionTokens.parse(request.sessionToken())
                .orElseThrow(() -> ApiException.of(ErrorCode.SESSION_NOT_FOUND));
        LicenseKeys.Lookup lookup = keys.lookup(request.licenseKey(), product.keyPrefix())
                .orElseThrow(() -> ApiException.of(ErrorCode.SESSION_NOT_FOUND));
        Instant now = now();
        CompletableFuture<Optional<SessionRepository.Beat>> applied = repository.beat(
                token,
                product.id(),
                lookup.compact(),
                lookup.legacy(),
                now,
                now.plusSeconds(product.sessionTimeout()),
                now.minus(Duration.ofDays(product.expiryGraceDays())),
                ip,
                blocking);
        return new PendingBeat(product, token, lookup, request.licenseKey(), now, ip, applied);
    }

    /** The answer once the statement has run: a miss decided on the slow path, the log row, the count. */
    private Beat heartbeatDone(PendingBeat pending, Optional<SessionRepository.Beat> hit) {
        SessionRepository.Beat beat = hit.isPresent()
                ? hit.get()
                : heartbeatMiss(pending.product(), pending.token(), pending.lookup(), pending.typedKey());
        if (!beat.logged()) {
            heartbeatLog.record(new HeartbeatLog.Entry(
                    pending.now(), beat.licenseId(), beat.sessionId(), beat.deviceId(), pending.ip(), beat.version()));
        }
        heartbeats.increment();
        return new Beat(true, pending.product().heartbeatInterval(), pending.now());
    }

    /** Why the heartbeat statement matched nothing, decided under the license and session locks. */
    private SessionRepository.Beat heartbeatMiss(
            Product product, UUID token, LicenseKeys.Lookup lookup, String typedKey) {
        Outcome outcome = transactions.execute(tx -> {
            SessionRow found = repository
                    .findByToken(token)
                    .filter(s -> s.productId() == product.id())
                    .orElse(null);
            if (found == null) {
                return new Outcome(null, ApiException.of(ErrorCode.SESSION_NOT_FOUND));
            }
            if (!repository.licenseMatches(found.licenseId(), lookup)) {
                return new Outcome(null, ApiException.of(ErrorCode.SESSION_NOT_FOUND));
            }
            License license = activations.lock(product, typedKey);
            SessionRow session = repository.lock(found.id()).orElseThrow();
            Instant now = now();
            Usability usability = license.usability(now, product.expiryGraceDays());
            if (session.ended()) {
                if (session.endReason() == EndReason.LICENSE_INVALID && !usability.usable()) {
                    return new Outcome(null, ApiException.of(java.util.Objects.requireNonNull(usability.error())));
                }
                return new Outcome(null, sessionEnded(session.endReason()));
            }
            if (!session.live(now)) {
                repository.end(session.id(), EndReason.TIMEOUT, session.liveUntil());
                return new Outcome(null, sessionEnded(EndReason.TIMEOUT));
            }
            if (!usability.usable()) {
                repository.end(session.id(), EndReason.LICENSE_INVALID, now);
                return new Outcome(null, ApiException.of(java.util.Objects.requireNonNull(usability.error())));
            }
            // Live and usable after all (e.g. the clock moved between the two statements).
            repository.touch(session.id(), now, now.plusSeconds(product.sessionTimeout()));
            return new Outcome(
                    new SessionRepository.Beat(
                            session.id(), session.licenseId(), session.deviceId(), session.version(), false),
                    null);
        });
        if (outcome == null || outcome.beat() == null) {
            throw outcome == null || outcome.error() == null
                    ? ApiException.of(ErrorCode.SESSION_NOT_FOUND)
                    : outcome.error();
        }
        return outcome.beat();
    }

    /** A heartbeat's outcome decided in a transaction that must commit (the session may have been ended). */
    private record Outcome(SessionRepository.@Nullable Beat beat, @Nullable ApiException error) {}

    private static ApiException sessionEnded(@Nullable EndReason reason) {
        return ApiException.of(ErrorCode.SESSION_ENDED).with("end_reason", reason == null ? null : reason.wire());
    }

    /** Ends a session at the client's request; idempotent: an ended session answers how it ended. */
    @Transactional
    public Ended end(long productId, SessionRequests.End request) {
        UUID token = SessionTokens.parse(request.sessionToken())
                .orElseThrow(() -> ApiException.of(ErrorCode.SESSION_NOT_FOUND));
        SessionRow session = repository
                .lockByToken(token)
                .filter(s -> s.productId() == productId)
                .orElseThrow(() -> ApiException.of(ErrorCode.SESSION_NOT_FOUND));
        return new Ended(true, endAs(session, EndReason.NORMAL).wire());
    }

    /** Ends a locked session as {@code reason}, or as {@code timeout} if it timed out before; the reason it has. */
    private EndReason endAs(SessionRow session, EndReason reason) {
        if (session.ended()) {
            return java.util.Objects.requireNonNull(session.endReason());
        }
        Instant now = now();
        if (!session.live(now)) {
            repository.end(session.id(), EndReason.TIMEOUT, session.liveUntil());
            return EndReason.TIMEOUT;
        }
        repository.end(session.id(), reason, now);
        return reason;
    }

    /** The time, to the microsecond the databases store, so comparisons in Java and SQL agree. */
    private Instant now() {
        return clock.instant().truncatedTo(ChronoUnit.MICROS);
    }

    /** The number of live sessions of all licenses now. */
    long countAllLive() {
        return repository.countAllLive(now());
    }

    /** The number of live sessions of a license now. */
    public int countLive(long licenseId) {
        return repository.countLive(licenseId, now());
    }

    /** Ends every timed-out session as {@code timeout}; how many. */
    public int reap() {
        Instant now = now();
        int total = 0;
        int n;
        do {
            n = repository.reap(now, REAP_BATCH);
            total += n;
        } while (n == REAP_BATCH);
        return total;
    }

    /** Ends the live session of a device taken out of service; in the caller's transaction. */
    void endForDevice(long licenseId, long deviceId) {
        Instant now = now();
        repository.endTimedOut(licenseId, now);
        repository.endOfDevice(deviceId, EndReason.DEACTIVATED, now);
    }

    /** Ends the live sessions of a license that is no longer usable; in the caller's transaction. */
    void endForLicense(long licenseId) {
        Instant now = now();
        License license = activations.find(licenseId).orElse(null);
        if (license == null) {
            return;
        }
        int grace =
                products.find(license.productId()).map(Product::expiryGraceDays).orElse(0);
        if (!license.usability(now, grace).usable()) {
            repository.endTimedOut(licenseId, now);
            repository.endOfLicense(licenseId, EndReason.LICENSE_INVALID, now);
        }
    }

    // Administration.

    /** Filters of the admin lists, as the query parameters give them. */
    public record Query(
            @Nullable String licenseKey,
            @Nullable Long productId,
            @Nullable Instant since,
            @Nullable Instant until,
            @Nullable EndReason endReason) {}

    /** Live sessions, newest first. */
    public PageResponse<SessionView> live(Query query, PageResponse.Paging paging) {
        return page(true, query, paging);
    }

    /** Ended sessions, most recently ended first. */
    public PageResponse<SessionView> history(Query query, PageResponse.Paging paging) {
        return page(false, query, paging);
    }

    private PageResponse<SessionView> page(boolean live, Query query, PageResponse.Paging paging) {
        String lookup = query.licenseKey() == null || query.licenseKey().isBlank()
                ? null
                : LicenseKeyFormat.compact(query.licenseKey());
        SessionRepository.Filter filter = new SessionRepository.Filter(
                live, now(), lookup, query.productId(), query.since(), query.until(), query.endReason());
        List<SessionView> items = repository.list(filter, paging.offset(), paging.size());
        if (live) {
            // Live sessions are bounded by the licenses' limits, and the dashboard shows their total.
            return PageResponse.of(items, paging, repository.count(filter));
        }
        // The history keeps every ended session for years: an exact count of an unfiltered page
        // would read them all, so it is capped like the validation log's.
        return PageResponse.counted(items, paging, repository.count(filter, paging.countLimit()));
    }

    /**
     * Terminates a session as {@code forced} (a timed-out one is recorded as {@code timeout});
     * audited, with the {@code reason} of the optional body ({@link JsonFields#actionReason}).
     * Ending an ended session changes and records nothing.
     */
    @Transactional
    public SessionView terminate(long id, @Nullable JsonNode body) {
        String reason = JsonFields.actionReason(body);
        SessionRow session = repository.lock(id).orElseThrow(() -> ApiException.of(ErrorCode.NOT_FOUND));
        if (!session.ended()) {
            SessionView before = repository.view(id, now()).orElseThrow();
            endAs(session, EndReason.FORCED);
            SessionView after = repository.view(id, now()).orElseThrow();
            audit.record(
                    "session.terminate",
                    "session",
                    id,
                    before,
                    reason == null ? after : Map.of("session", after, "reason", reason));
            return after;
        }
        return repository.view(id, now()).orElseThrow();
    }
}
