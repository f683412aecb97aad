package io.healthyproxy.http.config;

import io.healthyproxy.core.internal.Require;
import java.net.InetSocketAddress;
import java.util.Objects;

/**
 * A host and port, as written in configs and flags: {@code 127.0.0.1:8080}, {@code localhost:9101},
 * {@code [::1]:8080}.
 */
public record Endpoint(String host, int port) {

    public Endpoint {
        Objects.requireNonNull(host, "host");
        if (host.isBlank()) {
            throw Require.invalid("host", "''", "a host name or address");
        }
        Require.inRange("port", port, 0, 65535);
    }

    /**
     * Parses {@code host:port}.
     *
     * @throws IllegalArgumentException saying what was expected
     */
    public static Endpoint parse(String text) {
        String t = text.trim();
        int colon = t.lastIndexOf(':');
        if (colon <= 0 || colon == t.length() - 1) {
            throw new IllegalArgumentException("'" + text + "' (expected: host:port, e.g. 127.0.0.1:8080)");
        }
        String host = t.substring(0, colon);
        if (host.startsWith("[") && host.endsWith("]")) {
            host = host.substring(1, host.length() - 1);
        } else if (host.contains(":")) {
            // Unbracketed IPv6 cannot be split from its port: "::1" would be host ":" and port 1.
            throw new IllegalArgumentException("'" + text + "' (expected: host:port, an IPv6 address in brackets, "
                    + "e.g. [::1]:8080)");
        }
        int port;
        try {
            port = Integer.parseInt(t.substring(colon + 1));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("'" + text + "' (expected: host:port with a numeric port)");
        }
        if (port < 0 || port > 65535) {
            throw new IllegalArgumentException("'" + text + "' (expected: a port in 0..65535)");
        }
        return new Endpoint(host, port);
    }

    public InetSocketAddress toSocketAddress() {
        return new InetSocketAddress(host, port);
    }

    /** Whether this is a loopback address (the admin server may be unauthenticated only there). */
    public boolean isLoopback() {
        InetSocketAddress address = toSocketAddress();
        return !address.isUnresolved() && address.getAddress().isLoopbackAddress();
    }

    @Override
    public String toString() {
        return host.contains(":") ? "[" + host + "]:" + port : host + ":" + port;
    }
}
