package dev.licensor.server.session.api;

import java.util.List;
import java.util.function.Function;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;
import org.springframework.boot.tomcat.autoconfigure.TomcatServerProperties;
import org.springframework.boot.web.server.autoconfigure.ServerProperties;

/**
 * The caller's address as the main port's Tomcat determines it, for a listener that is not Tomcat:
 * the socket peer, unless {@code server.forward-headers-strategy} says to take it from the
 * forwarding header. With {@code native} that is Tomcat's {@code RemoteIpValve}: only a peer that is
 * an internal or trusted proxy ({@code server.tomcat.remoteip.internal-proxies}/{@code
 * trusted-proxies}) is believed, and the header is read from the right, past every proxy, to the
 * first address that is not one. With {@code framework} it is Spring's {@code ForwardedHeaderFilter}:
 * the header's first address.
 */
final class ClientAddress {
    private final ServerProperties.ForwardHeadersStrategy strategy;
    private final String header;
    private final @Nullable Pattern internal;
    private final @Nullable Pattern trusted;

    ClientAddress(@Nullable ServerProperties server, @Nullable TomcatServerProperties tomcat) {
        ServerProperties.ForwardHeadersStrategy configured = server == null ? null : server.getForwardHeadersStrategy();
        this.strategy = configured == null ? ServerProperties.ForwardHeadersStrategy.NONE : configured;
        TomcatServerProperties.Remoteip remoteIp =
                tomcat == null ? new TomcatServerProperties.Remoteip() : tomcat.getRemoteip();
        this.header = remoteIp.getRemoteIpHeader() == null ? "X-Forwarded-For" : remoteIp.getRemoteIpHeader();
        this.internal = pattern(remoteIp.getInternalProxies());
        this.trusted = pattern(remoteIp.getTrustedProxies());
    }

    private static @Nullable Pattern pattern(@Nullable String regex) {
        return regex == null || regex.isEmpty() ? null : Pattern.compile(regex);
    }

    /** The caller's address for a request from {@code peer} with these headers. */
    String of(String peer, Function<String, List<String>> headers) {
        if (strategy == ServerProperties.ForwardHeadersStrategy.NONE) {
            return peer;
        }
        List<String> forwarded = headers.apply(header).stream()
                .flatMap(value -> java.util.Arrays.stream(value.split(",")))
                .map(String::strip)
                .filter(value -> !value.isEmpty())
                .toList();
        if (forwarded.isEmpty()) {
            return peer;
        }
        if (strategy == ServerProperties.ForwardHeadersStrategy.FRAMEWORK) {
            return forwarded.getFirst();
        }
        if (!isProxy(peer)) {
            return peer;
        }
        for (int i = forwarded.size() - 1; i > 0; i--) {
            if (!isProxy(forwarded.get(i))) {
                return forwarded.get(i);
            }
        }
        return forwarded.getFirst();
    }

    private boolean isProxy(String address) {
        return internal != null && internal.matcher(address).matches()
                || trusted != null && trusted.matcher(address).matches();
    }
}
