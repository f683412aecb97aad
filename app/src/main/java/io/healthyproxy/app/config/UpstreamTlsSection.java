package io.healthyproxy.app.config;

import io.healthyproxy.http.config.UpstreamTls;
import java.nio.file.Path;
import java.util.Optional;

/**
 * A cluster's {@code tls}: TLS from the proxy to its backends, keys named as in {@link UpstreamTls}. The files
 * named are checked for being readable now, so a wrong path is a config error on its line; whether they hold
 * what they should is checked when the proxy starts.
 *
 * <pre>
 * clusters:
 *   api:
 *     protocol: h2
 *     tls: { caFile: certs/backend-ca.pem, serverName: api.internal }   # verify: true by default
 *     # clientCertificate: certs/proxy.pem, clientKey: certs/proxy.key  for mutual TLS
 *     backends: [10.0.0.5:8443]
 * </pre>
 */
final class UpstreamTlsSection {

    private UpstreamTlsSection() {
    }

    static Optional<UpstreamTls> read(YamlMapping tls) {
        UpstreamTls d = UpstreamTls.DEFAULTS;
        Optional<Path> caFile = tls.readOr("caFile", v -> v.string().map(s -> Optional.of(Path.of(s))), d.caFile());
        Optional<String> serverName = tls.readOr("serverName", v -> v.string().map(Optional::of), d.serverName());
        boolean verify = tls.readOr("verify", YamlValue::bool, d.verify());
        Optional<Path> certificate = tls.readOr("clientCertificate", v -> v.string().map(s -> Optional.of(Path.of(s))),
                d.clientCertificate());
        Optional<Path> key = tls.readOr("clientKey", v -> v.string().map(s -> Optional.of(Path.of(s))), d.clientKey());
        return tls.build(() -> {
            UpstreamTls read = new UpstreamTls(caFile, serverName, verify, certificate, key);
            read.checkFiles();
            return read;
        });
    }
}
