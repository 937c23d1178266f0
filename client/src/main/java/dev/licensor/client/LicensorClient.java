package dev.licensor.client;

import dev.licensor.protocol.RequestSigning;
import dev.licensor.protocol.ResponseSigning;
import java.io.IOException;
import java.lang.System.Logger.Level;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.PublicKey;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.util.Base64;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * The client of the Licensor client API: one typed call per endpoint, request signing, response
 * signature verification against pinned keys, typed errors, and sessions that heartbeat on their
 * own.
 *
 * <pre>{@code
 * LicensorClient client = LicensorClient.builder()
 *         .baseUri("https://license.example.com")
 *         .apiKey("AF-2026-…")
 *         .pinnedKeys(jwksShippedWithTheProgram)
 *         .clientVersion("1.4.2")
 *         .offlineTokenStore(new OfflineTokenStore(Path.of(appDir, "license.jws")))
 *         .build();
 * client.activate(licenseKey);
 * try (LicenseSession session = client.startSession(licenseKey, loss -> showLoss(loss))) {
 *     runTheProgram();
 * }
 * }</pre>
 *
 * <p>Every request carries a fresh {@code X-Nonce}, so each answer is bound to its request and a
 * captured answer cannot be replayed. When pinned keys are configured, every answer (errors
 * included) must carry a valid {@code X-Licensor-Signature} by one of them, else the call fails
 * with {@link ResponseSignatureException}; without pinned keys answers are not verified.
 *
 * <p>Instances are thread-safe. Calls block the calling thread; failures are {@link
 * LicensorException}s.
 */
public final class LicensorClient implements AutoCloseable {
    private static final System.Logger LOG = System.getLogger(LicensorClient.class.getName());
    private static final String USER_AGENT =
            "licensor-client/0.1 Java/" + Runtime.version().feature();
    private static final int NONCE_BYTES = 18; // 24 base64url characters

    private final String baseUri;
    private final String apiKey;
    private final @Nullable String signingSecret;
    private final Map<String, PublicKey> pinnedKeys;
    private final @Nullable String acceptLanguage;
    private final Duration requestTimeout;
    private final Clock clock;
    private final HttpClient http;
    private final boolean ownsHttp;
    private final SecureRandom random = new SecureRandom();
    private final @Nullable OfflineTokenStore tokenStore;
    private final @Nullable String clientVersion;
    private final @Nullable String deviceName;
    private final @Nullable String deviceType;
    private final @Nullable Fingerprint configuredFingerprint;
    private volatile @Nullable Fingerprint collectedFingerprint;

    private LicensorClient(Builder b) {
        this.baseUri = stripTrailingSlash(Objects.requireNonNull(b.baseUri, "baseUri is required"));
        this.apiKey = Objects.requireNonNull(b.apiKey, "apiKey is required");
        this.signingSecret = b.signingSecret;
        this.pinnedKeys = Map.copyOf(b.pinnedKeys);
        this.acceptLanguage = b.acceptLanguage;
        this.requestTimeout = b.requestTimeout;
        this.clock = b.clock;
        this.tokenStore = b.tokenStore;
        this.clientVersion = b.clientVersion;
        this.deviceName = b.deviceName;
        this.deviceType = b.deviceType;
        this.configuredFingerprint = b.fingerprint;
        if (b.httpClient != null) {
            this.http = b.httpClient;
            this.ownsHttp = false;
        } else {
            this.http = HttpClient.newBuilder()
                    .connectTimeout(b.connectTimeout)
                    .version(HttpClient.Version.HTTP_1_1)
                    .followRedirects(HttpClient.Redirect.NEVER)
                    .build();
            this.ownsHttp = true;
        }
    }

    /**
     * A builder for a client.
     *
     * @return a new builder
     */
    public static Builder builder() {
        return new Builder();
    }

    // ---------------------------------------------------------------- licenses and devices

    /**
     * Activates this device for a license, filling the request from the client's fingerprint,
     * version and device settings. Re-activating an active device is harmless.
     *
     * @param licenseKey the license key as typed by the user
     * @return the activation
     * @throws DeviceLimitException when every device slot is taken
     * @throws LicenseStateException when the license cannot be used
     * @throws LicensorException for any other failure
     */
    public ActivateResponse activate(String licenseKey) {
        Fingerprint fp = fingerprint();
        return activate(new ActivateRequest(
                licenseKey,
                fp.hardwareHash(),
                fp.machineId(),
                deviceName != null ? deviceName : fp.hostName(),
                deviceType,
                fp.os(),
                clientVersion,
                fp.components()));
    }

    /**
     * {@code POST /api/license/activate}.
     *
     * @param request the request
     * @return the activation; its offline token is saved to the {@link OfflineTokenStore}, if any
     * @throws LicensorException when the activation is refused or fails
     */
    public ActivateResponse activate(ActivateRequest request) {
        ActivateResponse response =
                ActivateResponse.fromJson(call("POST", "/api/license/activate", request.toJson(), true));
        saveToken(response.offlineToken());
        return response;
    }

    /**
     * Deactivates this device (by the client's fingerprint), freeing its slot.
     *
     * @param licenseKey the license key
     * @return the remaining device count
     * @throws LicensorException when refused or failed
     */
    public DeactivateResponse deactivate(String licenseKey) {
        return deactivate(licenseKey, fingerprint().hardwareHash());
    }

    /**
     * {@code POST /api/license/deactivate}: frees the device's slot, e.g. to move the license to
     * another machine, and ends the device's live session.
     *
     * @param licenseKey the license key
     * @param hardwareHash the device's hardware hash
     * @return the remaining device count
     * @throws RateLimitedException with {@code DEACTIVATION_LIMIT_REACHED} when deactivated too
     *     often
     * @throws LicensorException for other failures
     */
    public DeactivateResponse deactivate(String licenseKey, String hardwareHash) {
        Map<String, Object> body = Json.object()
                .put("license_key", licenseKey)
                .put("hardware_hash", hardwareHash)
                .build();
        return DeactivateResponse.fromJson(call("POST", "/api/license/deactivate", body, true));
    }

    /**
     * Verifies a license for this device (by the client's fingerprint and version).
     *
     * @param licenseKey the license key
     * @return the outcome
     * @throws LicensorException when the call fails (license outcomes are answers, not exceptions)
     */
    public VerifyResponse verify(String licenseKey) {
        return verify(new VerifyRequest(licenseKey, fingerprint().hardwareHash(), clientVersion, null, null));
    }

    /**
     * {@code POST /api/license/verify}. License outcomes (expired, suspended, …) are answered with
     * {@link VerifyResponse#valid()} false and a {@link VerifyResponse#code()}, not exceptions.
     *
     * @param request the request
     * @return the outcome; its offline token is saved to the {@link OfflineTokenStore}, if any
     * @throws LicensorException when the call itself fails
     */
    public VerifyResponse verify(VerifyRequest request) {
        VerifyResponse response = VerifyResponse.fromJson(call("POST", "/api/license/verify", request.toJson(), true));
        saveToken(response.offlineToken());
        return response;
    }

    /**
     * {@code GET /api/license/info/{license_key}}.
     *
     * @param licenseKey the license key
     * @return the license
     * @throws LicenseStateException with {@code LICENSE_NOT_FOUND} for an unknown key
     * @throws LicensorException for other failures
     */
    public LicenseView info(String licenseKey) {
        String encoded = URLEncoder.encode(licenseKey, StandardCharsets.UTF_8).replace("+", "%20");
        return LicenseView.fromJson(call("GET", "/api/license/info/" + encoded, null, true));
    }

    // ---------------------------------------------------------------- sessions

    /**
     * {@code POST /api/license/session/start}: the raw call. Most programs use {@link
     * #startSession(String, SessionListener)}, which also keeps the session alive.
     *
     * @param request the request
     * @return the session; its offline token is saved to the {@link OfflineTokenStore}, if any
     * @throws SessionLimitException when the license already runs on as many devices as allowed
     * @throws UpdateRequiredException when the version is below the minimum
     * @throws LicensorException for other failures
     */
    public SessionStartResponse sessionStart(SessionStartRequest request) {
        SessionStartResponse response =
                SessionStartResponse.fromJson(call("POST", "/api/license/session/start", request.toJson(), true));
        saveToken(response.offlineToken());
        return response;
    }

    /**
     * {@code POST /api/license/session/heartbeat}: the raw call; {@link LicenseSession} sends
     * heartbeats on its own.
     *
     * @param sessionToken the session token
     * @param licenseKey the license key
     * @return the answer
     * @throws SessionEndedException when the session is gone
     * @throws LicensorException for other failures
     */
    public HeartbeatResponse heartbeat(String sessionToken, String licenseKey) {
        Map<String, Object> body = Json.object()
                .put("session_token", sessionToken)
                .put("license_key", licenseKey)
                .build();
        return HeartbeatResponse.fromJson(call("POST", "/api/license/session/heartbeat", body, true));
    }

    /**
     * {@code POST /api/license/session/end}; idempotent.
     *
     * @param sessionToken the session token
     * @return how the session ended
     * @throws SessionEndedException with {@code SESSION_NOT_FOUND} for an unknown token
     * @throws LicensorException for other failures
     */
    public SessionEndResponse sessionEnd(String sessionToken) {
        Map<String, Object> body =
                Json.object().put("session_token", sessionToken).build();
        return SessionEndResponse.fromJson(call("POST", "/api/license/session/end", body, true));
    }

    /**
     * Starts a session for this device (by the client's fingerprint and version) and keeps it
     * alive with heartbeats until {@link LicenseSession#close()}.
     *
     * @param licenseKey the license key
     * @param listener told when the session is lost, and why
     * @return the running session
     * @throws IllegalStateException when no {@link Builder#clientVersion(String)} was configured
     * @throws SessionLimitException when the license already runs on as many devices as allowed
     * @throws LicensorException for other failures
     */
    public LicenseSession startSession(String licenseKey, SessionListener listener) {
        if (clientVersion == null) {
            throw new IllegalStateException("configure clientVersion(..) to start sessions");
        }
        Fingerprint fp = fingerprint();
        return startSession(
                new SessionStartRequest(licenseKey, fp.machineId(), fp.hardwareHash(), clientVersion), listener);
    }

    /**
     * Starts a session and keeps it alive with heartbeats until {@link LicenseSession#close()}.
     *
     * @param request the request
     * @param listener told when the session is lost, and why
     * @return the running session
     * @throws LicensorException when the session cannot be started
     */
    public LicenseSession startSession(SessionStartRequest request, SessionListener listener) {
        SessionStartResponse response = sessionStart(request);
        return LicenseSession.begin(this, request.licenseKey(), response, listener);
    }

    // ---------------------------------------------------------------- versions, usage, keys

    /**
     * {@code POST /api/version/check}.
     *
     * @param version the program version
     * @return how it relates to the product's versions
     * @throws LicensorException when the call fails
     */
    public VersionInfo versionCheck(String version) {
        return VersionInfo.fromJson(call(
                "POST",
                "/api/version/check",
                Json.object().put("version", version).build(),
                true));
    }

    /**
     * {@code GET /api/version/latest}.
     *
     * @return the current version of the product
     * @throws LicensorException when the call fails
     */
    public LatestVersion versionLatest() {
        return LatestVersion.fromJson(call("GET", "/api/version/latest", null, true));
    }

    /**
     * {@code POST /api/license/usage}: records usage of a metered metric.
     *
     * @param licenseKey the license key
     * @param metric the metric name
     * @param amount the amount to add
     * @return the usage after this call
     * @throws QuotaExceededException when the amount would exceed the quota
     * @throws LicensorException for other failures
     */
    public UsageResponse usage(String licenseKey, String metric, long amount) {
        Map<String, Object> body = Json.object()
                .put("license_key", licenseKey)
                .put("metric", metric)
                .put("amount", amount)
                .build();
        return UsageResponse.fromJson(call("POST", "/api/license/usage", body, true));
    }

    /**
     * {@code GET /api/keys}: the server's public signing keys. Sent without the API key.
     *
     * @return the key set
     * @throws LicensorException when the call fails
     */
    public JsonWebKeySet keys() {
        JsonObject o = call("GET", "/api/keys", null, false);
        try {
            return JsonWebKeySet.parse(Json.write(o.fields()));
        } catch (IllegalArgumentException e) {
            throw new InvalidResponseException(e.getMessage() == null ? "bad JWKS" : e.getMessage(), e);
        }
    }

    // ---------------------------------------------------------------- accessors

    /**
     * The fingerprint of this machine, collected on first use unless one was configured.
     *
     * @return the fingerprint
     */
    public Fingerprint fingerprint() {
        if (configuredFingerprint != null) {
            return configuredFingerprint;
        }
        Fingerprint fp = collectedFingerprint;
        if (fp == null) {
            fp = Fingerprint.collect();
            collectedFingerprint = fp;
        }
        return fp;
    }

    /**
     * The pinned response-signing keys.
     *
     * @return key ids to keys; empty when answers are not verified
     */
    public Map<String, PublicKey> pinnedKeys() {
        return pinnedKeys;
    }

    /**
     * The configured offline token store.
     *
     * @return the store, if configured
     */
    public Optional<OfflineTokenStore> offlineTokenStore() {
        return Optional.ofNullable(tokenStore);
    }

    Clock clock() {
        return clock;
    }

    /** Closes the HTTP client when the builder created it. Sessions should be closed first. */
    @Override
    public void close() {
        if (ownsHttp) {
            http.close();
        }
    }

    // ---------------------------------------------------------------- the exchange

    /**
     * The request target as it goes into both signatures. Client API paths have no query today;
     * were one added, it would be included as sent (see {@link ResponseSigning#pathAndQuery}).
     */
    static String signedTarget(URI uri) {
        return ResponseSigning.pathAndQuery(Objects.requireNonNull(uri.getRawPath()), uri.getRawQuery());
    }

    private JsonObject call(String method, String path, @Nullable Map<String, Object> body, boolean withApiKey) {
        byte[] bytes = body == null ? new byte[0] : Json.write(body).getBytes(StandardCharsets.UTF_8);
        URI uri = URI.create(baseUri + path);
        String target = signedTarget(uri);
        String nonce = newNonce();
        HttpRequest.Builder request = HttpRequest.newBuilder(uri)
                .timeout(requestTimeout)
                .header("Accept", "application/json, application/problem+json")
                .header("User-Agent", USER_AGENT)
                .header(RequestSigning.NONCE_HEADER, nonce);
        if (withApiKey) {
            request.header("X-API-Key", apiKey);
        }
        if (acceptLanguage != null) {
            request.header("Accept-Language", acceptLanguage);
        }
        if (body == null) {
            request.GET();
        } else {
            request.header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofByteArray(bytes));
        }
        if (signingSecret != null) {
            long timestamp = clock.instant().getEpochSecond();
            String canonical = RequestSigning.canonical(method, target, timestamp, nonce, bytes);
            request.header(RequestSigning.TIMESTAMP_HEADER, Long.toString(timestamp))
                    .header(RequestSigning.SIGNATURE_HEADER, RequestSigning.sign(signingSecret, canonical));
        }
        HttpResponse<byte[]> response = send(request.build(), method, path);
        verifySignature(response, method, target, nonce);
        int status = response.statusCode();
        if (status >= 200 && status < 300) {
            return JsonObject.parse(new String(response.body(), StandardCharsets.UTF_8));
        }
        throw Problems.fromResponse(status, response.headers(), response.body(), clock.instant());
    }

    private HttpResponse<byte[]> send(HttpRequest request, String method, String path) {
        try {
            return http.send(request, HttpResponse.BodyHandlers.ofByteArray());
        } catch (IOException e) {
            throw new TransportException(Problem.local(0, method + " " + path + " failed: " + describe(e)), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new TransportException(Problem.local(0, method + " " + path + " was interrupted"), e);
        }
    }

    private void verifySignature(HttpResponse<byte[]> response, String method, String target, String nonce) {
        if (pinnedKeys.isEmpty()) {
            return;
        }
        int status = response.statusCode();
        String header = response.headers().firstValue(ResponseSigning.HEADER).orElse(null);
        if (header == null) {
            throw signatureFailure(status, "the answer is not signed");
        }
        String date = response.headers().firstValue("Date").orElse(null);
        if (date == null) {
            throw signatureFailure(status, "the answer has no Date header");
        }
        ResponseSigning.SignatureHeader parsed = ResponseSigning.parseHeader(header)
                .orElseThrow(() -> signatureFailure(status, "the signature header is malformed"));
        if (!ResponseSigning.ALGORITHM.equalsIgnoreCase(parsed.algorithm())) {
            throw signatureFailure(status, "unsupported signature algorithm " + parsed.algorithm());
        }
        PublicKey key = pinnedKeys.get(parsed.keyId());
        if (key == null) {
            throw signatureFailure(status, "the answer is signed by the unknown key \"" + parsed.keyId() + "\"");
        }
        String canonical = ResponseSigning.canonical(status, method, target, date, nonce, response.body());
        if (!ResponseSigning.verify(key, canonical, parsed.signature())) {
            throw signatureFailure(status, "the answer's signature does not match");
        }
    }

    private static ResponseSignatureException signatureFailure(int status, String why) {
        return new ResponseSignatureException(Problem.local(status, "Untrusted answer: " + why + "."), null);
    }

    private String newNonce() {
        byte[] bytes = new byte[NONCE_BYTES];
        random.nextBytes(bytes);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }

    private void saveToken(@Nullable String token) {
        if (token == null || tokenStore == null) {
            return;
        }
        try {
            tokenStore.save(token);
        } catch (RuntimeException e) {
            // The call succeeded; failing it because the cache could not be written would be worse.
            LOG.log(Level.WARNING, "could not save the offline token to " + tokenStore.tokenFile(), e);
        }
    }

    private static String describe(IOException e) {
        String message = e.getMessage();
        return e.getClass().getSimpleName() + (message == null ? "" : ": " + message);
    }

    private static String stripTrailingSlash(String uri) {
        return uri.endsWith("/") ? uri.substring(0, uri.length() - 1) : uri;
    }

    /** Configures a {@link LicensorClient}. Only the base URI and the API key are required. */
    public static final class Builder {
        private @Nullable String baseUri;
        private @Nullable String apiKey;
        private @Nullable String signingSecret;
        private Map<String, PublicKey> pinnedKeys = Map.of();
        private @Nullable String acceptLanguage;
        private Duration connectTimeout = Duration.ofSeconds(10);
        private Duration requestTimeout = Duration.ofSeconds(15);
        private Clock clock = Clock.systemUTC();
        private @Nullable HttpClient httpClient;
        private @Nullable OfflineTokenStore tokenStore;
        private @Nullable String clientVersion;
        private @Nullable String deviceName;
        private @Nullable String deviceType;
        private @Nullable Fingerprint fingerprint;

        private Builder() {}

        /**
         * The server's base URI, e.g. {@code https://license.example.com}; API paths are appended.
         *
         * @param baseUri an http or https URI
         * @return this builder
         */
        public Builder baseUri(String baseUri) {
            URI uri = URI.create(baseUri);
            if (uri.getScheme() == null
                    || !(uri.getScheme().equals("http") || uri.getScheme().equals("https"))) {
                throw new IllegalArgumentException("the base URI must be http or https: " + baseUri);
            }
            if (uri.getRawQuery() != null || uri.getRawFragment() != null) {
                throw new IllegalArgumentException("the base URI must not have a query or fragment: " + baseUri);
            }
            this.baseUri = baseUri;
            return this;
        }

        /**
         * The server's base URI.
         *
         * @param baseUri an http or https URI
         * @return this builder
         */
        public Builder baseUri(URI baseUri) {
            return baseUri(baseUri.toString());
        }

        /**
         * The product's API key, sent as {@code X-API-Key}.
         *
         * @param apiKey the key
         * @return this builder
         */
        public Builder apiKey(String apiKey) {
            this.apiKey = apiKey;
            return this;
        }

        /**
         * The signing secret issued with the API key; when set, every request is signed (SPEC
         * §5.2). Needed when the product requires signed requests.
         *
         * @param signingSecret the secret
         * @return this builder
         */
        public Builder signingSecret(String signingSecret) {
            this.signingSecret = signingSecret;
            return this;
        }

        /**
         * Pins the server's response-signing keys from a JWKS document (the body of {@code
         * /api/keys}, shipped with the program). Pinning turns on response verification.
         *
         * @param jwksJson the JWKS JSON text
         * @return this builder
         * @throws IllegalArgumentException when the document holds no Ed25519 key
         */
        public Builder pinnedKeys(String jwksJson) {
            Map<String, PublicKey> keys = JsonWebKeySet.parse(jwksJson).keys();
            if (keys.isEmpty()) {
                throw new IllegalArgumentException("the JWKS holds no Ed25519 key");
            }
            return pinnedKeys(keys);
        }

        /**
         * Pins the server's response-signing keys. Pinning turns on response verification.
         *
         * @param keys Ed25519 public keys by key id
         * @return this builder
         */
        public Builder pinnedKeys(Map<String, PublicKey> keys) {
            this.pinnedKeys = Map.copyOf(keys);
            return this;
        }

        /**
         * The {@code Accept-Language} sent with every call, so error details come in the user's
         * language (e.g. {@code de}).
         *
         * @param acceptLanguage a language range list
         * @return this builder
         */
        public Builder acceptLanguage(String acceptLanguage) {
            this.acceptLanguage = acceptLanguage;
            return this;
        }

        /**
         * Sends the locale's language as {@code Accept-Language}.
         *
         * @param locale the user's locale
         * @return this builder
         */
        public Builder locale(Locale locale) {
            return acceptLanguage(locale.toLanguageTag());
        }

        /**
         * How long to wait for a connection (default 10 s); ignored with {@link
         * #httpClient(HttpClient)}.
         *
         * @param timeout the timeout
         * @return this builder
         */
        public Builder connectTimeout(Duration timeout) {
            this.connectTimeout = timeout;
            return this;
        }

        /**
         * How long to wait for each answer (default 15 s).
         *
         * @param timeout the timeout
         * @return this builder
         */
        public Builder requestTimeout(Duration timeout) {
            this.requestTimeout = timeout;
            return this;
        }

        /**
         * The clock for request timestamps (default the system clock).
         *
         * @param clock the clock
         * @return this builder
         */
        public Builder clock(Clock clock) {
            this.clock = clock;
            return this;
        }

        /**
         * An HTTP client to use instead of a new one, e.g. for a proxy or custom TLS. The client
         * must not follow redirects, and is not closed by {@link LicensorClient#close()}.
         *
         * @param httpClient the HTTP client
         * @return this builder
         */
        public Builder httpClient(HttpClient httpClient) {
            this.httpClient = httpClient;
            return this;
        }

        /**
         * Where to save the offline token of each activation, verification and session start.
         *
         * @param store the store
         * @return this builder
         */
        public Builder offlineTokenStore(OfflineTokenStore store) {
            this.tokenStore = store;
            return this;
        }

        /**
         * The program's version, sent with activations, verifications and sessions.
         *
         * @param version e.g. {@code 1.4.2}
         * @return this builder
         */
        public Builder clientVersion(String version) {
            this.clientVersion = version;
            return this;
        }

        /**
         * The device name sent with activations (default the host name).
         *
         * @param name the name
         * @return this builder
         */
        public Builder deviceName(String name) {
            this.deviceName = name;
            return this;
        }

        /**
         * The device type sent with activations, e.g. {@code desktop}.
         *
         * @param type the type
         * @return this builder
         */
        public Builder deviceType(String type) {
            this.deviceType = type;
            return this;
        }

        /**
         * The fingerprint to use instead of collecting one on first use.
         *
         * @param fingerprint the fingerprint
         * @return this builder
         */
        public Builder fingerprint(Fingerprint fingerprint) {
            this.fingerprint = fingerprint;
            return this;
        }

        /**
         * Builds the client.
         *
         * @return the client
         * @throws NullPointerException when the base URI or API key is missing
         */
        public LicensorClient build() {
            return new LicensorClient(this);
        }
    }
}
