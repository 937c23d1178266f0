package dev.licensor.client.demo;

import dev.licensor.client.ActivateResponse;
import dev.licensor.client.DeviceLimitException;
import dev.licensor.client.Fingerprint;
import dev.licensor.client.HeartbeatResponse;
import dev.licensor.client.JsonWebKeySet;
import dev.licensor.client.LicenseSession;
import dev.licensor.client.LicensorClient;
import dev.licensor.client.LicensorException;
import dev.licensor.client.OfflineCheck;
import dev.licensor.client.OfflineTokenStore;
import dev.licensor.client.OfflineVerifier;
import dev.licensor.client.SessionLimitException;
import dev.licensor.client.SessionListener;
import dev.licensor.client.SessionLoss;
import dev.licensor.client.TransportException;
import dev.licensor.client.UpdateRequiredException;
import dev.licensor.client.VersionInfo;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalTime;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CountDownLatch;

/**
 * The whole life of a licensed program, runnable from the command line:
 *
 * <pre>
 * java -jar licensor-client-demo.jar SERVER_URL API_KEY LICENSE_KEY [DEVICE_NAME]
 * </pre>
 *
 * It activates this machine, prints the version information, starts a session and heartbeats
 * until Ctrl-C, which ends the session cleanly. A {@code DEVICE_NAME} simulates another machine
 * (a different fingerprint), so two terminals show the concurrent-session limit: the second one
 * prints the server's localized refusal. The server's public keys are fetched on the first run and
 * pinned from then on (a real program ships them inside). Environment: {@code
 * LICENSOR_DEMO_VERSION} (default {@code 1.0.0}), {@code LICENSOR_SIGNING_SECRET} (sign requests).
 */
public final class Demo {
    private Demo() {}

    /**
     * Runs the demo.
     *
     * @param args server URL, API key, license key, optional device name
     * @throws Exception when the demo fails unexpectedly
     */
    public static void main(String[] args) throws Exception {
        Path home =
                Path.of(System.getProperty("licensor.demo.home", System.getProperty("user.home") + "/.licensor-demo"));
        System.exit(run(args, System.out, home));
    }

    /**
     * Runs the demo without exiting the JVM.
     *
     * @param args server URL, API key, license key, optional device name
     * @param out where to print
     * @param demoHome where to keep the pinned keys and offline tokens
     * @return the exit code: 0 after Ctrl-C, 1 when the session was lost, 2 for other failures, 3
     *     when the session limit is reached, 4 for the device limit, 5 when an update is required,
     *     64 for wrong arguments
     * @throws Exception when the demo fails unexpectedly
     */
    static int run(String[] args, PrintStream out, Path demoHome) throws Exception {
        if (args.length < 3 || args.length > 4) {
            out.println("usage: java -jar licensor-client-demo.jar SERVER_URL API_KEY LICENSE_KEY [DEVICE_NAME]");
            return 64;
        }
        String server = args[0];
        String apiKey = args[1];
        String licenseKey = args[2];
        String simulatedDevice = args.length == 4 ? args[3] : null;
        String version = env("LICENSOR_DEMO_VERSION", "1.0.0");

        Fingerprint fingerprint = Fingerprint.collect();
        if (simulatedDevice != null) {
            fingerprint = simulate(fingerprint, simulatedDevice);
        }
        Path home = demoHome.resolve(
                simulatedDevice == null ? "this-machine" : simulatedDevice.replaceAll("[^A-Za-z0-9._-]", "_"));
        Files.createDirectories(home);
        if (simulatedDevice != null) {
            out.println("Simulating another machine named " + simulatedDevice);
        }
        OfflineTokenStore store = new OfflineTokenStore(home.resolve("offline-token.jws"));

        String jwks;
        try {
            jwks = pinnedKeys(server, home.resolve("keys.json"), out);
        } catch (TransportException e) {
            out.println("Server unreachable (" + e.detail() + "); trying offline mode.");
            return offline(home, store, fingerprint, out);
        }

        LicensorClient.Builder builder = LicensorClient.builder()
                .baseUri(server)
                .apiKey(apiKey)
                .pinnedKeys(jwks)
                .clientVersion(version)
                .locale(Locale.getDefault())
                .fingerprint(fingerprint)
                .offlineTokenStore(store)
                .deviceType("desktop");
        if (simulatedDevice != null) {
            builder.deviceName(simulatedDevice);
        }
        String secret = System.getenv("LICENSOR_SIGNING_SECRET");
        if (secret != null && !secret.isBlank()) {
            builder.signingSecret(secret);
        }

        try (LicensorClient client = builder.build()) {
            return live(client, licenseKey, version, fingerprint, out);
        }
    }

    private static int live(
            LicensorClient client, String licenseKey, String version, Fingerprint fingerprint, PrintStream out)
            throws InterruptedException {
        out.println("Device " + fingerprint.hostName() + ", hardware hash " + fingerprint.hardwareHash());
        try {
            ActivateResponse activation = client.activate(licenseKey);
            out.printf(
                    "Activated (%s): %d of %d devices in use, expires %s, features %s%n",
                    activation.newDevice() ? "new device" : "already active",
                    activation.license().devicesUsed(),
                    activation.license().deviceLimit(),
                    activation.license().expiresAt() == null
                            ? "never"
                            : activation.license().expiresAt(),
                    activation.license().features());

            VersionInfo versions = client.versionCheck(version);
            out.printf(
                    "Version %s; current %s, minimum %s%s%n",
                    version,
                    versions.currentVersion(),
                    versions.minimumVersion(),
                    versions.updateAvailable() ? ", update available at " + versions.downloadUrl() : ", up to date");
            if (versions.whatsNew() != null) {
                out.println("What's new: " + versions.whatsNew());
            }

            CountDownLatch finished = new CountDownLatch(1);
            SessionListener listener = new SessionListener() {
                @Override
                public void sessionLost(SessionLoss loss) {
                    String why =
                            switch (loss) {
                                case SessionLoss.Ended ended ->
                                    "ended by the server (" + ended.reason().wire() + ")";
                                case SessionLoss.LicenseUnusable unusable ->
                                    "license unusable: " + unusable.cause().code();
                                case SessionLoss.UpdateRequired update ->
                                    "update required: "
                                            + update.cause().minimumVersion().orElse("?");
                                case SessionLoss.TimedOut timedOut ->
                                    "server unreachable for "
                                            + timedOut.unreachableFor().toSeconds() + " s";
                                case SessionLoss.Rejected rejected ->
                                    "rejected: " + rejected.cause().code();
                            };
                    out.println("Session lost: " + why + " — " + loss.cause().detail());
                    finished.countDown();
                }

                @Override
                public void heartbeatSucceeded(HeartbeatResponse response) {
                    out.println(LocalTime.now().truncatedTo(ChronoUnit.SECONDS) + " heartbeat ok");
                }

                @Override
                public void heartbeatFailed(LicensorException failure, int attempt, Duration remaining) {
                    out.println("heartbeat failed (attempt " + attempt + ", " + remaining.toSeconds() + " s left): "
                            + failure.detail());
                }
            };

            LicenseSession session = client.startSession(licenseKey, listener);
            Thread onCtrlC = new Thread(
                    () -> {
                        out.println("Ending the session…");
                        session.close();
                        out.println("Session ended. Bye.");
                        finished.countDown();
                    },
                    "demo-exit");
            Runtime.getRuntime().addShutdownHook(onCtrlC);
            out.printf(
                    "Session %s started%s; heartbeat every %d s (timeout %d s). Press Ctrl-C to quit.%n",
                    session.token(),
                    session.startResponse().resumed() ? " (replaced this device's previous session)" : "",
                    session.startResponse().heartbeatInterval().toSeconds(),
                    session.startResponse().sessionTimeout().toSeconds());
            finished.await();
            if (session.loss().isPresent()) {
                Runtime.getRuntime().removeShutdownHook(onCtrlC);
                session.close();
                return 1;
            }
            return 0;
        } catch (SessionLimitException e) {
            // The server's own sentence, in the user's language, e.g. "Only one session is allowed…".
            out.println(e.detail());
            return 3;
        } catch (DeviceLimitException e) {
            out.printf("%s (%d of %d devices in use)%n", e.detail(), e.devicesUsed(), e.deviceLimit());
            return 4;
        } catch (UpdateRequiredException e) {
            out.println(e.detail() + " " + e.downloadUrl().orElse(""));
            return 5;
        } catch (LicensorException e) {
            out.println(e.detail() + (e.code() == null ? "" : " [" + e.code() + "]"));
            return 2;
        }
    }

    private static int offline(Path home, OfflineTokenStore store, Fingerprint fingerprint, PrintStream out)
            throws IOException {
        Path keysFile = home.resolve("keys.json");
        if (!Files.exists(keysFile)) {
            out.println("No pinned keys yet: run once while the server is reachable.");
            return 2;
        }
        JsonWebKeySet keys = JsonWebKeySet.parse(Files.readString(keysFile));
        OfflineCheck check = new OfflineVerifier(keys.keys(), store).check(fingerprint.hardwareHash());
        switch (check) {
            case OfflineCheck.Valid valid -> {
                out.println("Offline mode: licensed until " + valid.token().expiresAt());
                return 0;
            }
            case OfflineCheck.Invalid invalid -> {
                out.println("Offline mode refused: " + invalid.reason() + " (" + invalid.message() + ")");
                return 2;
            }
        }
    }

    /** Trust on first use, for the demo only: a real program ships the JWKS inside itself. */
    private static String pinnedKeys(String server, Path file, PrintStream out) throws IOException {
        if (Files.exists(file)) {
            return Files.readString(file);
        }
        try (LicensorClient bootstrap =
                LicensorClient.builder().baseUri(server).apiKey("").build()) {
            String jwks = bootstrap.keys().json();
            Files.writeString(file, jwks);
            out.println("Pinned the server's keys in " + file);
            return jwks;
        }
    }

    /** Another machine: no MAC, and CPU and UUID that differ, so no two components match. */
    private static Fingerprint simulate(Fingerprint real, String deviceName) {
        return new Fingerprint(
                List.of(),
                "SIMULATED CPU " + deviceName.toUpperCase(Locale.ROOT),
                "SIMULATED-" + deviceName.toUpperCase(Locale.ROOT),
                deviceName,
                real.os());
    }

    private static String env(String name, String fallback) {
        String value = System.getenv(name);
        return value == null || value.isBlank() ? fallback : value;
    }
}
