package dev.licensor.client;

import java.io.IOException;
import java.io.InputStream;
import java.net.NetworkInterface;
import java.net.SocketException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * What {@link Fingerprint} asks of the operating system. The default {@link #system()} reads real
 * files, runs real commands and lists real network interfaces; tests and unusual platforms supply
 * their own.
 */
public interface SystemProbe {

    /**
     * A network interface with a hardware address.
     *
     * @param name the interface name, e.g. {@code eth0}
     * @param displayName the display name, e.g. {@code Intel(R) Ethernet Connection}
     * @param mac the hardware address
     * @param loopback whether it is a loopback interface
     * @param virtual whether the JDK reports it as a virtual sub-interface
     * @param pointToPoint whether it is a point-to-point link (VPN tunnels)
     */
    record Adapter(
            String name, String displayName, byte[] mac, boolean loopback, boolean virtual, boolean pointToPoint) {
        /** Copies the address. */
        public Adapter {
            mac = mac.clone();
        }

        /**
         * The hardware address.
         *
         * @return a copy of the address bytes
         */
        @Override
        public byte[] mac() {
            return mac.clone();
        }
    }

    /**
     * The {@code os.name} system property.
     *
     * @return e.g. {@code Linux}, {@code Windows 11}, {@code Mac OS X}
     */
    String osName();

    /**
     * Reads a small text file.
     *
     * @param path the file
     * @return its content, or empty when it is missing or unreadable
     */
    Optional<String> readFile(Path path);

    /**
     * Runs a command and returns its standard output.
     *
     * @param command the program and its arguments
     * @param timeout how long to wait before killing it
     * @return the output, or empty when the command is missing, fails, or times out
     */
    Optional<String> run(List<String> command, Duration timeout);

    /**
     * The network interfaces that have a hardware address.
     *
     * @return the adapters, empty when they cannot be listed
     */
    List<Adapter> adapters();

    /**
     * An environment variable.
     *
     * @param name the variable
     * @return its value, when set
     */
    Optional<String> env(String name);

    /**
     * The probe of the running system.
     *
     * @return the system probe
     */
    static SystemProbe system() {
        return new Jdk();
    }

    /** The real system, through the JDK. */
    final class Jdk implements SystemProbe {
        private static final long MAX_FILE_BYTES = 1 << 20;

        private Jdk() {}

        @Override
        public String osName() {
            return System.getProperty("os.name", "unknown");
        }

        @Override
        public Optional<String> readFile(Path path) {
            try {
                if (Files.size(path) > MAX_FILE_BYTES) {
                    return Optional.empty();
                }
                return Optional.of(Files.readString(path, StandardCharsets.UTF_8));
            } catch (IOException | SecurityException e) {
                return Optional.empty();
            }
        }

        @Override
        public Optional<String> run(List<String> command, Duration timeout) {
            Process process;
            try {
                process = new ProcessBuilder(command)
                        .redirectError(ProcessBuilder.Redirect.DISCARD)
                        .start();
            } catch (IOException | SecurityException e) {
                return Optional.empty();
            }
            try {
                // Closing stdin stops PowerShell from waiting for input.
                process.getOutputStream().close();
                InputStream stdout = process.getInputStream();
                CompletableFuture<byte[]> output = CompletableFuture.supplyAsync(() -> {
                    try {
                        return stdout.readAllBytes();
                    } catch (IOException e) {
                        return new byte[0];
                    }
                });
                if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                    return Optional.empty();
                }
                if (process.exitValue() != 0) {
                    return Optional.empty();
                }
                return Optional.of(
                        new String(output.get(timeout.toMillis(), TimeUnit.MILLISECONDS), StandardCharsets.UTF_8));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return Optional.empty();
            } catch (IOException | ExecutionException | TimeoutException e) {
                return Optional.empty();
            } finally {
                process.destroyForcibly();
            }
        }

        @Override
        public List<Adapter> adapters() {
            List<Adapter> adapters = new ArrayList<>();
            try {
                for (NetworkInterface ni : Collections.list(NetworkInterface.getNetworkInterfaces())) {
                    try {
                        byte[] mac = ni.getHardwareAddress();
                        if (mac != null) {
                            String display = ni.getDisplayName();
                            adapters.add(new Adapter(
                                    ni.getName(),
                                    display == null ? ni.getName() : display,
                                    mac,
                                    ni.isLoopback(),
                                    ni.isVirtual(),
                                    ni.isPointToPoint()));
                        }
                    } catch (SocketException e) {
                        // One unreadable interface must not hide the others.
                    }
                }
            } catch (SocketException | NullPointerException e) {
                // getNetworkInterfaces may return null when there are none.
            }
            return adapters;
        }

        @Override
        public Optional<String> env(String name) {
            return Optional.ofNullable(System.getenv(name));
        }
    }
}
