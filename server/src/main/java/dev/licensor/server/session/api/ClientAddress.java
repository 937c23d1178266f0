package dev.licensor.server.session.api;

import java.net.UnknownHostException;
import java.util.List;
import java.util.function.Function;
import java.util.function.Predicate;
import java.util.regex.Pattern;
import org.apache.catalina.util.NetMaskSet;
import org.apache.catalina.valves.RemoteIpValve;
import org.jspecify.annotations.Nullable;
import org.springframework.boot.tomcat.autoconfigure.TomcatServerProperties;
import org.springframework.boot.web.server.autoconfigure.ServerProperties;

/**
 * The caller's address as the main port's Tomcat determines it, for a listener that is not Tomcat:
 * the socket peer, unless {@code server.forward-headers-strategy} says to take it from the
 * forwarding header. With {@code native} that is Tomcat's {@code RemoteIpValve}: only a peer that is
 * an internal or trusted proxy ({@code server.tomcat.remoteip.internal-proxies}/{@code
 * trusted-proxies}, CIDR ranges or a regular expression, as Tomcat reads them) is believed, and the header is read from the right, past every proxy, to the
 * first address that is not one. With {@code framework} it is Spring's {@code ForwardedHeaderFilter}:
 * the header's first address.
 */
final class ClientAddress {
    private final ServerProperties.ForwardHeadersStrategy strategy;
    private final String header;
    private final Predicate<String> internal;
    private final Predicate<String> trusted;

    ClientAddress(@Nullable ServerProperties server, @Nullable TomcatServerProperties tomcat) {
        ServerProperties.ForwardHeadersStrategy configured = server == null ? null : server.getForwardHeadersStrategy();
        this.strategy = configured == null ? ServerProperties.ForwardHeadersStrategy.NONE : configured;
        TomcatServerProperties.Remoteip remoteIp =
                tomcat == null ? new TomcatServerProperties.Remoteip() : tomcat.getRemoteip();
        // Unset properties leave Tomcat's own defaults in place, so they are the defaults here too.
        RemoteIpValve tomcatDefaults = new RemoteIpValve();
        this.header = remoteIp.getRemoteIpHeader() == null
                ? tomcatDefaults.getRemoteIpHeader()
                : remoteIp.getRemoteIpHeader();
        this.internal = proxies(
                remoteIp.getInternalProxies() == null
                        ? tomcatDefaults.getInternalProxies()
                        : remoteIp.getInternalProxies());
        this.trusted = proxies(remoteIp.getTrustedProxies());
    }

    /**
     * A proxy list as Tomcat reads it: CIDR ranges if it has a {@code /} (Tomcat 11's default),
     * else a regular expression.
     */
    private static Predicate<String> proxies(@Nullable String value) {
        if (value == null || value.isEmpty()) {
            return address -> false;
        }
        if (value.indexOf('/') > 0) {
            NetMaskSet ranges = NetMaskSet.parse(value);
            return address -> {
                try {
                    // Only literals: a name would be looked up in the DNS.
                    return isLiteral(address) && ranges.contains(address);
                } catch (UnknownHostException e) {
                    return false;
                }
            };
        }
        Pattern pattern = Pattern.compile(value);
        return address -> pattern.matcher(address).matches();
    }

    private static boolean isLiteral(String address) {
        return !address.isEmpty() && address.chars().allMatch(c -> Character.digit(c, 16) >= 0 || c == '.' || c == ':');
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
        return internal.test(address) || trusted.test(address);
    }
}
