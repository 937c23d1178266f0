package dev.licensor.server.web;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.Properties;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * The panel speaks English and German (SPEC §4): every label of the English bundle has a German
 * one, and no German key is left over from a label that was renamed. The German problem details
 * may leave out the titles, which stay English like the problem {@code type}s.
 */
class MessageBundlesTest {
    private static Set<String> keys(String resource) throws IOException {
        Properties properties = new Properties();
        try (InputStream in = MessageBundlesTest.class.getResourceAsStream("/" + resource)) {
            assertThat(in).as(resource).isNotNull();
            properties.load(new InputStreamReader(in, StandardCharsets.UTF_8));
        }
        return new TreeSet<>(properties.stringPropertyNames());
    }

    @Test
    void thePanelLabelsAreInBothLanguages() throws IOException {
        assertThat(keys("panel_de.properties")).isEqualTo(keys("panel.properties"));
    }

    @Test
    void theServerMessagesAreInGermanTooExceptTheProblemTitles() throws IOException {
        Set<String> english = keys("messages.properties").stream()
                .filter(k -> !(k.startsWith("problem.") && k.endsWith(".title")))
                .collect(Collectors.toCollection(TreeSet::new));
        assertThat(keys("messages_de.properties")).isEqualTo(english);
    }
}
