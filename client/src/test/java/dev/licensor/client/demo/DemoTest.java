package dev.licensor.client.demo;

import static org.assertj.core.api.Assertions.assertThat;

import dev.licensor.client.DemoFakeServer;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The demo's whole run against the fake server; it ends when the fake server ends the session. */
class DemoTest {
    static final String KEY = "AF-7K2M4-9QX3B-PRT6W-ZH8NC-5DJ2A";

    @TempDir
    Path home;

    @Test
    void activatesStartsASessionHeartbeatsAndReportsTheForcedEnd() throws Exception {
        try (DemoFakeServer server = DemoFakeServer.endingSessionAfterOneHeartbeat()) {
            ByteArrayOutputStream bytes = new ByteArrayOutputStream();

            int code = Demo.run(
                    new String[] {server.baseUri(), "AF-2026-KEY", KEY},
                    new PrintStream(bytes, true, StandardCharsets.UTF_8),
                    home);

            String out = bytes.toString(StandardCharsets.UTF_8);
            assertThat(code).isEqualTo(1);
            assertThat(out)
                    .contains("Pinned the server's keys")
                    .contains("Activated (new device): 1 of 3 devices in use")
                    .contains("update available at https://x/dl")
                    .contains("What's new: New UI")
                    .contains("Session tok-1 started; heartbeat every 1 s")
                    .contains("heartbeat ok")
                    .contains("Session lost: ended by the server (forced)");
            assertThat(home.resolve("this-machine/keys.json")).exists();
            assertThat(home.resolve("this-machine/offline-token.jws")).hasContent("a.b.c");
        }
    }

    @Test
    void printsTheServersLocalizedDetailWhenTheSessionLimitIsReached() throws Exception {
        String german = "Es ist nur eine Sitzung erlaubt, stelle sicher, dass nirgendwo sonst das Programm läuft";
        try (DemoFakeServer server = DemoFakeServer.refusingSessions(german)) {
            ByteArrayOutputStream bytes = new ByteArrayOutputStream();

            int code = Demo.run(
                    new String[] {server.baseUri(), "AF-2026-KEY", KEY, "second-laptop"},
                    new PrintStream(bytes, true, StandardCharsets.UTF_8),
                    home);

            assertThat(code).isEqualTo(3);
            assertThat(bytes.toString(StandardCharsets.UTF_8))
                    .contains("Simulating another machine named second-laptop")
                    .endsWith(german + System.lineSeparator());
            assertThat(server.activatedDeviceName()).isEqualTo("second-laptop");
        }
    }

    @Test
    void wrongArgumentsPrintTheUsage() throws Exception {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        assertThat(Demo.run(new String[] {"x"}, new PrintStream(bytes, true, StandardCharsets.UTF_8), home))
                .isEqualTo(64);
        assertThat(bytes.toString(StandardCharsets.UTF_8)).startsWith("usage:");
    }
}
