package dev.licensor.client;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledOnOs;
import org.junit.jupiter.api.condition.OS;

class FingerprintTest {
    static final String HEX64 = "[0-9a-f]{64}";

    /** A scripted operating system; sources can be switched off one by one. */
    static final class FakeProbe implements SystemProbe {
        final String os;
        final Map<String, String> files = new HashMap<>();
        final Map<String, String> commands = new HashMap<>();
        final Map<String, String> env = new HashMap<>();
        final List<Adapter> adapters = new ArrayList<>();
        final Set<String> failing = new HashSet<>();
        final List<String> ran = new ArrayList<>();

        FakeProbe(String os) {
            this.os = os;
        }

        @Override
        public String osName() {
            return os;
        }

        @Override
        public Optional<String> readFile(Path path) {
            String key = path.toString().replace('\\', '/');
            return failing.contains(key) ? Optional.empty() : Optional.ofNullable(files.get(key));
        }

        @Override
        public Optional<String> run(List<String> command, Duration timeout) {
            String key = String.join(" ", command);
            ran.add(key);
            return failing.contains(command.getFirst()) || failing.contains(key)
                    ? Optional.empty()
                    : Optional.ofNullable(commands.get(key));
        }

        @Override
        public List<Adapter> adapters() {
            return adapters;
        }

        @Override
        public Optional<String> env(String name) {
            return Optional.ofNullable(env.get(name));
        }
    }

    static SystemProbe.Adapter adapter(String name, int... bytes) {
        byte[] mac = new byte[bytes.length];
        for (int i = 0; i < bytes.length; i++) {
            mac[i] = (byte) bytes[i];
        }
        return new SystemProbe.Adapter(name, name, mac, false, false, false);
    }

    static FakeProbe linux() {
        FakeProbe p = new FakeProbe("Linux");
        p.files.put("/sys/class/dmi/id/product_uuid", "4c4c4544-0042-3510-8052-b4c04f4e3432\n");
        p.files.put("/etc/machine-id", "0123456789abcdef0123456789abcdef\n");
        p.files.put("/var/lib/dbus/machine-id", "fedcba9876543210fedcba9876543210\n");
        p.files.put(
                "/proc/cpuinfo",
                """
                processor	: 0
                vendor_id	: GenuineIntel
                cpu family	: 6
                model		: 142
                model name	: Intel(R) Core(TM) i7-8650U CPU @ 1.90GHz
                stepping	: 10

                processor	: 1
                vendor_id	: GenuineIntel
                """);
        p.files.put("/etc/hostname", "build-box\n");
        p.adapters.add(adapter("wlan0", 0x3c, 0x22, 0xfb, 0x01, 0x02, 0x03));
        p.adapters.add(adapter("eth0", 0x00, 0x1b, 0x21, 0xaa, 0xbb, 0xcc));
        return p;
    }

    @Test
    @EnabledOnOs(OS.LINUX)
    void collectsAStableFingerprintOnThisMachine() {
        Fingerprint first = Fingerprint.collect();
        Fingerprint second = Fingerprint.collect();

        assertThat(first.hardwareHash()).matches(HEX64).isEqualTo(second.hardwareHash());
        assertThat(first.machineId()).matches(HEX64);
        assertThat(first.os()).isEqualTo("Linux");
        if (Files.isReadable(Path.of("/etc/machine-id"))
                || Files.isReadable(Path.of("/sys/class/dmi/id/product_uuid"))) {
            assertThat(first.systemUuid()).isNotNull();
            assertThat(first.components().systemUuid()).matches(HEX64);
        }
        if (Files.isReadable(Path.of("/proc/cpuinfo"))) {
            assertThat(first.cpuId()).isNotNull();
            assertThat(first.components().cpuId()).matches(HEX64);
        }
        assertThat(first.macAddresses()).allMatch(m -> m.matches("([0-9A-F]{2}:){5}[0-9A-F]{2}"));
    }

    @Test
    void linuxReadsUuidCpuAndSortedMacs() {
        Fingerprint fp = Fingerprint.collect(linux());

        assertThat(fp.systemUuid()).isEqualTo("4C4C4544-0042-3510-8052-B4C04F4E3432");
        assertThat(fp.cpuId()).isEqualTo("GENUINEINTEL INTEL(R) CORE(TM) I7-8650U CPU @ 1.90GHZ 6 142 10");
        assertThat(fp.macAddresses()).containsExactly("00:1B:21:AA:BB:CC", "3C:22:FB:01:02:03");
        assertThat(fp.hostName()).isEqualTo("build-box");
        assertThat(fp.hardwareHash()).matches(HEX64);
    }

    @Test
    void theHashDependsOnTheComponentsNotOnTheirOrder() {
        FakeProbe reordered = linux();
        java.util.Collections.reverse(reordered.adapters);
        assertThat(Fingerprint.collect(reordered).hardwareHash())
                .isEqualTo(Fingerprint.collect(linux()).hardwareHash());

        FakeProbe otherCard = linux();
        otherCard.adapters.set(0, adapter("wlan0", 0x3c, 0x22, 0xfb, 0x09, 0x09, 0x09));
        Fingerprint a = Fingerprint.collect(linux());
        Fingerprint b = Fingerprint.collect(otherCard);
        assertThat(b.hardwareHash()).isNotEqualTo(a.hardwareHash());
        // Two of three components still match, which is what lets the server keep the slot.
        assertThat(b.components().cpuId()).isEqualTo(a.components().cpuId());
        assertThat(b.components().systemUuid()).isEqualTo(a.components().systemUuid());
        assertThat(b.components().mac()).isNotEqualTo(a.components().mac());
    }

    @Test
    void componentsAreHashedSoRawIdsAreNotSent() {
        Fingerprint fp = Fingerprint.collect(linux());
        Components c = fp.components();
        assertThat(List.of(c.mac(), c.cpuId(), c.systemUuid())).allMatch(v -> v.matches(HEX64));
        assertThat(Json.write(c.toJson())).doesNotContain("4C4C4544").doesNotContain("00:1B:21");
        assertThat(fp.machineId()).matches(HEX64).doesNotContain("4c4c4544");
    }

    @Test
    void linuxFallsBackSourceBySource() {
        FakeProbe p = linux();
        p.failing.add("/sys/class/dmi/id/product_uuid");
        assertThat(Fingerprint.collect(p).systemUuid()).isEqualTo("0123456789ABCDEF0123456789ABCDEF");

        p.failing.add("/etc/machine-id");
        assertThat(Fingerprint.collect(p).systemUuid()).isEqualTo("FEDCBA9876543210FEDCBA9876543210");

        p.failing.add("/var/lib/dbus/machine-id");
        assertThat(Fingerprint.collect(p).systemUuid()).isNull();
        assertThat(Fingerprint.collect(p).components().systemUuid()).isNull();

        p.failing.add("/proc/cpuinfo");
        assertThat(Fingerprint.collect(p).cpuId()).isNull();

        p.adapters.clear();
        Fingerprint nothing = Fingerprint.collect(p);
        assertThat(nothing.macAddresses()).isEmpty();
        assertThat(nothing.components()).isEqualTo(new Components(null, null, null));
        // Still a stable hash, from the host name.
        assertThat(nothing.hardwareHash())
                .matches(HEX64)
                .isEqualTo(Fingerprint.collect(p).hardwareHash());

        p.failing.add("/etc/hostname");
        p.commands.put("hostname", "from-command\n");
        assertThat(Fingerprint.collect(p).hostName()).isEqualTo("from-command");
    }

    @Test
    void placeholderUuidsFromFirmwareAreIgnored() {
        for (String placeholder : List.of(
                "00000000-0000-0000-0000-000000000000",
                "FFFFFFFF-FFFF-FFFF-FFFF-FFFFFFFFFFFF",
                "03000200-0400-0500-0006-000700080009",
                "To Be Filled By O.E.M.",
                "  ")) {
            FakeProbe p = linux();
            p.files.put("/sys/class/dmi/id/product_uuid", placeholder);
            assertThat(Fingerprint.collect(p).systemUuid())
                    .as(placeholder)
                    .isEqualTo("0123456789ABCDEF0123456789ABCDEF");
        }
    }

    @Test
    void armBoardsUseTheCpuSerial() {
        FakeProbe p = linux();
        p.files.put("/proc/cpuinfo", "processor : 0\nHardware : BCM2835\nSerial : 10000000abcdef01\n");
        assertThat(Fingerprint.collect(p).cpuId()).isEqualTo("SERIAL 10000000ABCDEF01");
    }

    @Test
    void virtualZeroAndRandomMacsAreSkipped() {
        FakeProbe p = linux();
        p.adapters.clear();
        p.adapters.add(adapter("eth0", 0x00, 0x1b, 0x21, 0xaa, 0xbb, 0xcc));
        p.adapters.add(new SystemProbe.Adapter("lo", "lo", new byte[6], true, false, false));
        p.adapters.add(adapter("docker0", 0x00, 0x42, 0xac, 0x11, 0x00, 0x02));
        p.adapters.add(adapter("veth12ab", 0x00, 0x42, 0xac, 0x11, 0x00, 0x03));
        p.adapters.add(adapter("virbr0", 0x52, 0x54, 0x00, 0x00, 0x00, 0x01));
        p.adapters.add(adapter("eth1", 0x00, 0x00, 0x00, 0x00, 0x00, 0x00));
        p.adapters.add(adapter("wlan1", 0x02, 0x11, 0x22, 0x33, 0x44, 0x55)); // locally administered
        p.adapters.add(adapter("eth2", 0x01, 0x00, 0x5e, 0x00, 0x00, 0x01)); // multicast
        p.adapters.add(adapter("fw0", 0x00, 0x11, 0x22, 0x33, 0x44, 0x55, 0x66, 0x77)); // not 6 bytes
        p.adapters.add(new SystemProbe.Adapter(
                "eth9", "Hyper-V Virtual Ethernet Adapter", new byte[] {0, 0x15, 0x5d, 1, 2, 3}, false, false, false));
        p.adapters.add(new SystemProbe.Adapter("tun0", "tun0", new byte[] {0, 1, 2, 3, 4, 5}, false, false, true));
        p.adapters.add(new SystemProbe.Adapter("eth0:1", "eth0:1", new byte[] {0, 1, 2, 3, 4, 6}, false, true, false));

        assertThat(Fingerprint.collect(p).macAddresses()).containsExactly("00:1B:21:AA:BB:CC");
    }

    @Test
    void windowsPrefersPowerShellThenWmicThenTheRegistry() {
        FakeProbe p = new FakeProbe("Windows 11");
        String ps = "powershell.exe -NoProfile -NonInteractive -Command ";
        p.commands.put(
                ps + "(Get-CimInstance -ClassName Win32_ComputerSystemProduct).UUID",
                "4C4C4544-0042-3510-8052-B4C04F4E3432\r\n");
        p.commands.put(ps + "(Get-CimInstance -ClassName Win32_Processor).ProcessorId", "BFEBFBFF000806EA\r\n");
        p.commands.put("wmic csproduct get UUID /value", "\r\n\r\nUUID=11111111-2222-3333-4444-555555555555\r\n\r\n");
        p.commands.put("wmic cpu get ProcessorId /value", "\r\nProcessorId=BFEBFBFF000906EA\r\n");
        p.commands.put(
                "reg query HKLM\\SOFTWARE\\Microsoft\\Cryptography /v MachineGuid",
                "\r\nHKEY_LOCAL_MACHINE\\SOFTWARE\\Microsoft\\Cryptography\r\n    MachineGuid    REG_SZ    9b2c0f2e-1111-2222-3333-444455556666\r\n");
        p.env.put("PROCESSOR_IDENTIFIER", "Intel64 Family 6 Model 142 Stepping 10, GenuineIntel");
        p.env.put("COMPUTERNAME", "DESKTOP-42");

        Fingerprint fp = Fingerprint.collect(p);
        assertThat(fp.systemUuid()).isEqualTo("4C4C4544-0042-3510-8052-B4C04F4E3432");
        assertThat(fp.cpuId()).isEqualTo("BFEBFBFF000806EA");
        assertThat(fp.hostName()).isEqualTo("DESKTOP-42");
        assertThat(p.ran).noneMatch(c -> c.startsWith("wmic"));

        p.failing.add("powershell.exe");
        fp = Fingerprint.collect(p);
        assertThat(fp.systemUuid()).isEqualTo("11111111-2222-3333-4444-555555555555");
        assertThat(fp.cpuId()).isEqualTo("BFEBFBFF000906EA");

        p.failing.add("wmic");
        fp = Fingerprint.collect(p);
        assertThat(fp.systemUuid()).isEqualTo("9B2C0F2E-1111-2222-3333-444455556666");
        assertThat(fp.cpuId()).isEqualTo("INTEL64 FAMILY 6 MODEL 142 STEPPING 10, GENUINEINTEL");

        p.failing.add("reg");
        p.env.remove("PROCESSOR_IDENTIFIER");
        fp = Fingerprint.collect(p);
        assertThat(fp.systemUuid()).isNull();
        assertThat(fp.cpuId()).isNull();
        assertThat(fp.hardwareHash()).matches(HEX64);
    }

    @Test
    void macOsReadsIoregAndSysctlWithFallbacks() {
        FakeProbe p = new FakeProbe("Mac OS X");
        p.commands.put(
                "ioreg -rd1 -c IOPlatformExpertDevice",
                """
                +-o J314sAP  <class IOPlatformExpertDevice, id 0x100000210, registered>
                    {
                      "IOPlatformSerialNumber" = "C02XXXXXXX"
                      "IOPlatformUUID" = "A1B2C3D4-0000-1111-2222-333344445555"
                    }
                """);
        p.commands.put(
                "system_profiler SPHardwareDataType",
                """
                Hardware:
                    Hardware Overview:
                      Hardware UUID: 99999999-0000-1111-2222-333344445555
                """);
        p.commands.put("sysctl -n machdep.cpu.brand_string", "Apple M1 Pro\n");
        p.commands.put("sysctl -n hw.model", "MacBookPro18,1\n");

        Fingerprint fp = Fingerprint.collect(p);
        assertThat(fp.systemUuid()).isEqualTo("A1B2C3D4-0000-1111-2222-333344445555");
        assertThat(fp.cpuId()).isEqualTo("APPLE M1 PRO");

        p.failing.add("ioreg");
        p.failing.add("sysctl -n machdep.cpu.brand_string");
        fp = Fingerprint.collect(p);
        assertThat(fp.systemUuid()).isEqualTo("99999999-0000-1111-2222-333344445555");
        assertThat(fp.cpuId()).isEqualTo("MACBOOKPRO18,1");

        p.failing.add("system_profiler");
        p.failing.add("sysctl");
        fp = Fingerprint.collect(p);
        assertThat(fp.systemUuid()).isNull();
        assertThat(fp.cpuId()).isNull();
    }

    @Test
    @EnabledOnOs({OS.LINUX, OS.MAC})
    void theSystemProbeRunsCommandsWithATimeout() {
        SystemProbe probe = SystemProbe.system();
        assertThat(probe.run(List.of("echo", "hello"), Duration.ofSeconds(30))).contains("hello\n");
        assertThat(probe.run(List.of("false"), Duration.ofSeconds(30))).isEmpty();
        assertThat(probe.run(List.of("no-such-command-licensor"), Duration.ofSeconds(30)))
                .isEmpty();
        assertThat(probe.run(List.of("sleep", "30"), Duration.ofMillis(200))).isEmpty();
        assertThat(probe.readFile(Path.of("/no/such/file"))).isEmpty();
    }
}
