package dev.licensor.server.session.api;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;
import org.springframework.boot.tomcat.autoconfigure.TomcatServerProperties;
import org.springframework.boot.web.server.autoconfigure.ServerProperties;

/** The heartbeat listener finds the caller's address as the main port's Tomcat does. */
class ClientAddressTest {
    private static String of(ClientAddress addresses, String peer, String... forwarded) {
        // Header names are case-insensitive, as in the listener's requests.
        Map<String, List<String>> headers = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
        headers.put("X-Forwarded-For", List.of(forwarded));
        return addresses.of(peer, name -> headers.getOrDefault(name, List.of()));
    }

    private static ClientAddress strategy(ServerProperties.ForwardHeadersStrategy strategy) {
        ServerProperties server = new ServerProperties();
        server.setForwardHeadersStrategy(strategy);
        return new ClientAddress(server, new TomcatServerProperties());
    }

    @Test
    void withoutAStrategyTheHeaderIsIgnored() {
        assertThat(of(new ClientAddress(null, null), "10.0.0.5", "203.0.113.7")).isEqualTo("10.0.0.5");
        assertThat(of(strategy(ServerProperties.ForwardHeadersStrategy.NONE), "10.0.0.5", "203.0.113.7"))
                .isEqualTo("10.0.0.5");
    }

    @Test
    void nativeBelievesOnlyInternalProxiesAndSkipsThem() {
        ClientAddress addresses = strategy(ServerProperties.ForwardHeadersStrategy.NATIVE);
        // nginx on the private network sets the header: the client is what it says.
        assertThat(of(addresses, "127.0.0.1", "203.0.113.7")).isEqualTo("203.0.113.7");
        // A forged entry ahead of the proxies' own is not believed: the first address from the
        // right that is not a proxy is the client.
        assertThat(of(addresses, "10.0.0.2", "198.51.100.1, 203.0.113.7, 10.0.0.3"))
                .isEqualTo("203.0.113.7");
        assertThat(of(addresses, "10.0.0.2", "203.0.113.7", "10.0.0.3")).isEqualTo("203.0.113.7");
        // A caller from the internet cannot claim another address.
        assertThat(of(addresses, "198.51.100.9", "127.0.0.1")).isEqualTo("198.51.100.9");
        assertThat(of(addresses, "127.0.0.1")).isEqualTo("127.0.0.1");
    }

    @Test
    void trustedProxiesCountAsProxies() {
        TomcatServerProperties tomcat = new TomcatServerProperties();
        tomcat.getRemoteip().setTrustedProxies("198\\.51\\.100\\.\\d+");
        ServerProperties server = new ServerProperties();
        server.setForwardHeadersStrategy(ServerProperties.ForwardHeadersStrategy.NATIVE);
        assertThat(of(new ClientAddress(server, tomcat), "198.51.100.9", "203.0.113.7"))
                .isEqualTo("203.0.113.7");
    }

    @Test
    void proxiesMayBeARegularExpressionAsInOlderTomcats() {
        TomcatServerProperties tomcat = new TomcatServerProperties();
        tomcat.getRemoteip().setInternalProxies("10\\.1\\.\\d+\\.\\d+");
        ServerProperties server = new ServerProperties();
        server.setForwardHeadersStrategy(ServerProperties.ForwardHeadersStrategy.NATIVE);
        ClientAddress addresses = new ClientAddress(server, tomcat);
        assertThat(of(addresses, "10.1.2.3", "203.0.113.7")).isEqualTo("203.0.113.7");
        assertThat(of(addresses, "127.0.0.1", "203.0.113.7")).isEqualTo("127.0.0.1");
    }

    @Test
    void frameworkTakesTheFirstAddress() {
        assertThat(of(strategy(ServerProperties.ForwardHeadersStrategy.FRAMEWORK), "10.0.0.5", "203.0.113.7, 10.0.0.3"))
                .isEqualTo("203.0.113.7");
    }
}
