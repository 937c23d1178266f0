package dev.licensor.client;

import dev.licensor.protocol.ResponseSigning;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;

/**
 * The hardware fingerprint of this machine: its physical MAC addresses, CPU identification and
 * system UUID, read on Linux, Windows and macOS with fallbacks when a source is unavailable.
 *
 * <p>{@link #hardwareHash()} is the lower-case hex SHA-256 of the sorted, normalized components;
 * {@link #components()} hashes each component on its own, so the server can recognise a machine
 * whose network card changed without ever receiving a raw identifier.
 *
 * <p>Sources, in order of preference:
 *
 * <ul>
 *   <li>MAC: every interface with a 6-byte universally administered unicast address, skipping
 *       loopback, virtual, point-to-point and well-known virtual adapters (Docker, VirtualBox,
 *       VMware, Hyper-V, VPNs); interfaces that are down still count, so turning Wi-Fi off does
 *       not change the fingerprint.
 *   <li>Linux: system UUID from {@code /sys/class/dmi/id/product_uuid} (readable by root only),
 *       else {@code /etc/machine-id}, else {@code /var/lib/dbus/machine-id}; CPU from the {@code
 *       Serial} line of {@code /proc/cpuinfo} (ARM boards), else its vendor, model name, family,
 *       model and stepping.
 *   <li>Windows: PowerShell {@code Get-CimInstance} ({@code Win32_ComputerSystemProduct.UUID},
 *       {@code Win32_Processor.ProcessorId}), else {@code wmic}, else the registry's {@code
 *       MachineGuid} for the UUID.
 *   <li>macOS: {@code IOPlatformUUID} from {@code ioreg -rd1 -c IOPlatformExpertDevice}, else
 *       {@code system_profiler SPHardwareDataType}; CPU from {@code sysctl -n
 *       machdep.cpu.brand_string}, else {@code sysctl -n hw.model}.
 * </ul>
 *
 * When no component is available at all, the host name stands in, so the hash is still stable.
 *
 * @param macAddresses the physical MAC addresses, upper-case {@code AA:BB:CC:DD:EE:FF}, sorted
 * @param cpuId the normalized CPU identification, or null
 * @param systemUuid the normalized system UUID, or null
 * @param hostName the host name, or null
 * @param os the operating system name and version
 */
public record Fingerprint(
        List<String> macAddresses,
        @Nullable String cpuId,
        @Nullable String systemUuid,
        @Nullable String hostName,
        String os) {

    /** How long one OS command may take. */
    static final Duration COMMAND_TIMEOUT = Duration.ofSeconds(5);

    private static final Set<String> PLACEHOLDERS = Set.of(
            "",
            "NONE",
            "UNKNOWN",
            "N/A",
            "NOT SETTABLE",
            "NOT SPECIFIED",
            "NOT APPLICABLE",
            "DEFAULT STRING",
            "TO BE FILLED BY O.E.M.",
            "SYSTEM SERIAL NUMBER",
            "03000200-0400-0500-0006-000700080009");
    private static final Pattern ALL_SAME_HEX = Pattern.compile("^(0+|F+)$");
    private static final List<String> VIRTUAL_NAMES = List.of(
            "docker",
            "veth",
            "br-",
            "virbr",
            "vmnet",
            "vboxnet",
            "tun",
            "tap",
            "utun",
            "awdl",
            "llw",
            "bridge",
            "zt",
            "wg",
            "tailscale",
            "vethernet",
            "hyper-v",
            "virtualbox",
            "vmware",
            "tap-",
            "wan miniport",
            "bluetooth",
            "vpn",
            "npcap",
            "loopback");
    private static final Pattern IOREG_UUID = Pattern.compile("\"IOPlatformUUID\"\\s*=\\s*\"([^\"]+)\"");
    private static final Pattern PROFILER_UUID = Pattern.compile("Hardware UUID:\\s*(\\S+)");

    /** Copies the address list. */
    public Fingerprint {
        macAddresses = List.copyOf(macAddresses);
    }

    /**
     * Collects the fingerprint of the running machine. On Windows and macOS this runs a few short
     * commands (each limited to 5 s), so call it once and keep the result.
     *
     * @return the fingerprint
     */
    public static Fingerprint collect() {
        return collect(SystemProbe.system());
    }

    /**
     * Collects a fingerprint through a probe.
     *
     * @param probe access to the operating system
     * @return the fingerprint
     */
    public static Fingerprint collect(SystemProbe probe) {
        String osName = probe.osName();
        String lower = osName.toLowerCase(Locale.ROOT);
        String uuid;
        String cpu;
        if (lower.startsWith("windows")) {
            uuid = windowsUuid(probe);
            cpu = windowsCpu(probe);
        } else if (lower.startsWith("mac") || lower.contains("darwin")) {
            uuid = macUuid(probe);
            cpu = macCpu(probe);
        } else {
            uuid = linuxUuid(probe);
            cpu = linuxCpu(probe);
        }
        return new Fingerprint(macAddresses(probe), cpu, uuid, hostName(probe), osName);
    }

    /**
     * The hardware hash sent as {@code hardware_hash}: hex SHA-256 over the sorted lines {@code
     * cpu=…}, {@code mac=…} (one per address) and {@code uuid=…}, joined by {@code \n}.
     *
     * @return 64 lower-case hex characters
     */
    public String hardwareHash() {
        TreeSet<String> lines = new TreeSet<>();
        for (String mac : macAddresses) {
            lines.add("mac=" + mac);
        }
        if (cpuId != null) {
            lines.add("cpu=" + cpuId);
        }
        if (systemUuid != null) {
            lines.add("uuid=" + systemUuid);
        }
        if (lines.isEmpty()) {
            lines.add("host=" + (hostName == null ? "unknown" : hostName.toUpperCase(Locale.ROOT)));
        }
        return sha256(String.join("\n", lines));
    }

    /**
     * The hashed components sent as {@code components}; a component that could not be read is
     * null.
     *
     * @return the components
     */
    public Components components() {
        return new Components(
                macAddresses.isEmpty() ? null : sha256("mac=" + String.join(",", macAddresses)),
                cpuId == null ? null : sha256("cpu=" + cpuId),
                systemUuid == null ? null : sha256("uuid=" + systemUuid));
    }

    /**
     * The machine identifier sent as {@code machine_id}: a hash of the system UUID, or the
     * hardware hash when there is none. Never the raw UUID.
     *
     * @return 64 lower-case hex characters
     */
    public String machineId() {
        return systemUuid == null ? hardwareHash() : sha256("machine=" + systemUuid);
    }

    // ---------------------------------------------------------------- MAC addresses

    static List<String> macAddresses(SystemProbe probe) {
        TreeSet<String> macs = new TreeSet<>();
        for (SystemProbe.Adapter adapter : probe.adapters()) {
            byte[] mac = adapter.mac();
            if (adapter.loopback() || adapter.virtual() || adapter.pointToPoint() || !isPhysical(mac)) {
                continue;
            }
            if (looksVirtual(adapter.name()) || looksVirtual(adapter.displayName())) {
                continue;
            }
            macs.add(HexFormat.ofDelimiter(":").withUpperCase().formatHex(mac));
        }
        return new ArrayList<>(macs);
    }

    /** Six bytes, not all zero, unicast, and universally administered (not random or virtual). */
    private static boolean isPhysical(byte[] mac) {
        if (mac.length != 6) {
            return false;
        }
        boolean allZero = true;
        for (byte b : mac) {
            allZero &= b == 0;
        }
        return !allZero && (mac[0] & 0x01) == 0 && (mac[0] & 0x02) == 0;
    }

    private static boolean looksVirtual(String name) {
        String lower = name.toLowerCase(Locale.ROOT);
        for (String marker : VIRTUAL_NAMES) {
            if (lower.startsWith(marker) || (marker.length() > 4 && lower.contains(marker))) {
                return true;
            }
        }
        return false;
    }

    // ---------------------------------------------------------------- Linux

    private static @Nullable String linuxUuid(SystemProbe probe) {
        for (String file : List.of("/sys/class/dmi/id/product_uuid", "/etc/machine-id", "/var/lib/dbus/machine-id")) {
            String value = normalize(probe.readFile(Path.of(file)).orElse(null));
            if (value != null) {
                return value;
            }
        }
        return null;
    }

    private static @Nullable String linuxCpu(SystemProbe probe) {
        String cpuinfo = probe.readFile(Path.of("/proc/cpuinfo")).orElse(null);
        if (cpuinfo == null) {
            return null;
        }
        String serial = cpuinfoField(cpuinfo, "Serial");
        if (normalize(serial) != null) {
            return normalize("SERIAL " + serial);
        }
        List<String> parts = new ArrayList<>();
        for (String field : List.of(
                "vendor_id",
                "model name",
                "cpu family",
                "model",
                "stepping",
                "CPU implementer",
                "CPU part",
                "Hardware")) {
            String value = cpuinfoField(cpuinfo, field);
            if (value != null && !value.isBlank()) {
                parts.add(value.strip());
            }
        }
        return parts.isEmpty() ? null : normalize(String.join(" ", parts));
    }

    /** The first {@code name : value} line for the name (the first CPU's entry). */
    private static @Nullable String cpuinfoField(String cpuinfo, String name) {
        for (String line : cpuinfo.split("\n")) {
            int colon = line.indexOf(':');
            if (colon > 0 && line.substring(0, colon).strip().equals(name)) {
                return line.substring(colon + 1).strip();
            }
        }
        return null;
    }

    // ---------------------------------------------------------------- Windows

    private static @Nullable String windowsUuid(SystemProbe probe) {
        String value = normalize(powershell(probe, "(Get-CimInstance -ClassName Win32_ComputerSystemProduct).UUID"));
        if (value == null) {
            value = normalize(
                    wmicValue(probe.run(List.of("wmic", "csproduct", "get", "UUID", "/value"), COMMAND_TIMEOUT)
                            .orElse(null)));
        }
        if (value == null) {
            value = normalize(registryValue(probe.run(
                            List.of("reg", "query", "HKLM\\SOFTWARE\\Microsoft\\Cryptography", "/v", "MachineGuid"),
                            COMMAND_TIMEOUT)
                    .orElse(null)));
        }
        return value;
    }

    private static @Nullable String windowsCpu(SystemProbe probe) {
        String value =
                normalize(joinLines(powershell(probe, "(Get-CimInstance -ClassName Win32_Processor).ProcessorId")));
        if (value == null) {
            value = normalize(
                    wmicValue(probe.run(List.of("wmic", "cpu", "get", "ProcessorId", "/value"), COMMAND_TIMEOUT)
                            .orElse(null)));
        }
        if (value == null) {
            value = normalize(probe.env("PROCESSOR_IDENTIFIER").orElse(null));
        }
        return value;
    }

    private static @Nullable String powershell(SystemProbe probe, String expression) {
        return probe.run(
                        List.of("powershell.exe", "-NoProfile", "-NonInteractive", "-Command", expression),
                        COMMAND_TIMEOUT)
                .orElse(null);
    }

    /** {@code Name=Value} lines of {@code wmic … /value}; several values (multi-socket) joined. */
    static @Nullable String wmicValue(@Nullable String output) {
        if (output == null) {
            return null;
        }
        TreeSet<String> values = new TreeSet<>();
        for (String line : output.split("\r?\n")) {
            int eq = line.indexOf('=');
            if (eq > 0 && !line.substring(eq + 1).isBlank()) {
                values.add(line.substring(eq + 1).strip());
            }
        }
        return values.isEmpty() ? null : String.join(" ", values);
    }

    /** The value of {@code reg query … /v Name}: {@code Name    REG_SZ    value}. */
    static @Nullable String registryValue(@Nullable String output) {
        if (output == null) {
            return null;
        }
        for (String line : output.split("\r?\n")) {
            int at = line.indexOf("REG_SZ");
            if (at >= 0) {
                return line.substring(at + "REG_SZ".length()).strip();
            }
        }
        return null;
    }

    private static @Nullable String joinLines(@Nullable String output) {
        if (output == null) {
            return null;
        }
        TreeSet<String> values = new TreeSet<>();
        for (String line : output.split("\r?\n")) {
            if (!line.isBlank()) {
                values.add(line.strip());
            }
        }
        return String.join(" ", values);
    }

    // ---------------------------------------------------------------- macOS

    private static @Nullable String macUuid(SystemProbe probe) {
        String value = firstGroup(
                IOREG_UUID,
                probe.run(List.of("ioreg", "-rd1", "-c", "IOPlatformExpertDevice"), COMMAND_TIMEOUT)
                        .orElse(null));
        if (value == null) {
            value = firstGroup(
                    PROFILER_UUID,
                    probe.run(List.of("system_profiler", "SPHardwareDataType"), COMMAND_TIMEOUT)
                            .orElse(null));
        }
        return normalize(value);
    }

    private static @Nullable String macCpu(SystemProbe probe) {
        String value = normalize(probe.run(List.of("sysctl", "-n", "machdep.cpu.brand_string"), COMMAND_TIMEOUT)
                .orElse(null));
        if (value == null) {
            value = normalize(probe.run(List.of("sysctl", "-n", "hw.model"), COMMAND_TIMEOUT)
                    .orElse(null));
        }
        return value;
    }

    private static @Nullable String firstGroup(Pattern pattern, @Nullable String text) {
        if (text == null) {
            return null;
        }
        Matcher m = pattern.matcher(text);
        return m.find() ? m.group(1) : null;
    }

    // ---------------------------------------------------------------- common

    private static @Nullable String hostName(SystemProbe probe) {
        Optional<String> name = probe.env("COMPUTERNAME")
                .or(() -> probe.env("HOSTNAME"))
                .or(() -> probe.readFile(Path.of("/etc/hostname")));
        if (name.isEmpty()) {
            name = probe.run(List.of("hostname"), COMMAND_TIMEOUT);
        }
        return name.map(String::strip).filter(s -> !s.isEmpty()).orElse(null);
    }

    /**
     * Trims, upper-cases and collapses whitespace; returns null for blanks and for the
     * placeholders firmware writes when it has no real value (all zeros, all F, "To be filled by
     * O.E.M.", …).
     */
    static @Nullable String normalize(@Nullable String raw) {
        if (raw == null) {
            return null;
        }
        String value = raw.strip().replaceAll("\\s+", " ").toUpperCase(Locale.ROOT);
        if (PLACEHOLDERS.contains(value)) {
            return null;
        }
        String hex = value.replace("-", "");
        if (ALL_SAME_HEX.matcher(hex).matches()) {
            return null;
        }
        return value;
    }

    private static String sha256(String text) {
        return ResponseSigning.sha256Hex(text.getBytes(StandardCharsets.UTF_8));
    }
}
