package io.healthyproxy.app.config;

import io.healthyproxy.http.config.Endpoint;
import io.healthyproxy.http.config.TlsConfig;
import java.util.Optional;

/**
 * {@code listen} and {@code admin}: an address, or a mapping with the address and the listener's TLS:
 *
 * <pre>
 * listen: 127.0.0.1:8080                 # plain HTTP (and h2c with prior knowledge)
 * listen:
 *   address: 0.0.0.0:8443
 *   tls: { certificates: [ { certificate: /etc/proxy/fullchain.pem, key: /etc/proxy/privkey.pem } ] }
 * </pre>
 */
final class ListenerSection {

    /** One listener as written: where, and with which TLS if any. */
    record Listener(Endpoint address, Optional<TlsConfig> tls) {
    }

    private static final String EXPECTED = "host:port, or { address: host:port, tls: { ... } }";

    private ListenerSection() {
    }

    static Optional<Listener> read(YamlValue value) {
        if (!value.isMapping()) {
            return value.parsed(EXPECTED, text -> new Listener(Endpoint.parse(text), Optional.empty()));
        }
        return value.mapping(listener -> {
            Optional<Endpoint> address = listener.require("address", "host:port, e.g. 0.0.0.0:8443")
                    .flatMap(ConfigValues::endpoint);
            Optional<TlsConfig> tls = listener.get("tls").flatMap(t -> t.mapping(TlsSection::read));
            return address.flatMap(a -> listener.build(() -> new Listener(a, tls)));
        });
    }
}
