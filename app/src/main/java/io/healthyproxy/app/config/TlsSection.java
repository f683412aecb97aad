package io.healthyproxy.app.config;

import io.healthyproxy.http.config.TlsCertificate;
import io.healthyproxy.http.config.TlsConfig;
import io.healthyproxy.http.config.TlsEngine;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * A listener's {@code tls}: keys named as in {@link TlsConfig}. Every certificate's files are read and checked
 * now (PEM, a chain and its own key), so a bad file is a config error on its line, not a failed start or a
 * failed handshake later. Relative paths are taken from the working directory, as the proxy will open them.
 *
 * <pre>
 * tls:
 *   certificates:
 *     - { certificate: certs/example.pem, key: certs/example.key }                  # the default one
 *     - { certificate: certs/other.pem, key: certs/other.key, names: ["*.other.test"] }
 *   protocols: [TLSv1.3, TLSv1.2]
 *   reloadInterval: 5s
 *   engine: auto                                                                     # or openssl, jdk
 * </pre>
 */
final class TlsSection {

    private static final String CERTIFICATES = "a list of { certificate: FILE, key: FILE }";

    private TlsSection() {
    }

    static Optional<TlsConfig> read(YamlMapping tls) {
        Optional<List<TlsCertificate>> certificates = tls.require("certificates", CERTIFICATES)
                .flatMap(TlsSection::certificates);
        List<String> protocols = tls.readOr("protocols", TlsSection::strings, TlsConfig.DEFAULT_PROTOCOLS);
        List<String> ciphers = tls.readOr("ciphers", TlsSection::strings, TlsConfig.DEFAULT_CIPHERS);
        Duration reloadInterval = tls.readOr("reloadInterval", ConfigValues::duration,
                TlsConfig.DEFAULT_RELOAD_INTERVAL);
        TlsEngine engine = tls.readOr("engine", ConfigValues.choice(TlsEngine.class), TlsEngine.AUTO);
        return certificates.flatMap(c -> tls.build(() -> new TlsConfig(c, protocols, ciphers, reloadInterval, engine)));
    }

    private static Optional<List<TlsCertificate>> certificates(YamlValue value) {
        return value.list(CERTIFICATES).flatMap(elements -> {
            List<TlsCertificate> certificates = new ArrayList<>();
            for (YamlValue element : elements) {
                element.mapping(TlsSection::certificate).ifPresent(certificates::add);
            }
            if (elements.isEmpty()) {
                value.reject("[] (expected: at least one certificate)");
            }
            return certificates.size() == elements.size() && !elements.isEmpty()
                    ? Optional.of(certificates) : Optional.empty();
        });
    }

    private static Optional<TlsCertificate> certificate(YamlMapping entry) {
        Optional<Path> certificate = entry.require("certificate", "a PEM file: the certificate, then its chain")
                .flatMap(YamlValue::string).map(Path::of);
        Optional<Path> key = entry.require("key", "a PEM file with the private key").flatMap(YamlValue::string)
                .map(Path::of);
        List<String> names = entry.readOr("names", TlsSection::strings, List.of());
        if (certificate.isEmpty() || key.isEmpty()) {
            return Optional.empty();
        }
        return entry.build(() -> {
            TlsCertificate pair = new TlsCertificate(certificate.get(), key.get(), names);
            pair.check();
            return pair;
        });
    }

    private static Optional<List<String>> strings(YamlValue value) {
        return value.list("a list of strings").flatMap(elements -> {
            List<String> strings = new ArrayList<>();
            for (YamlValue element : elements) {
                element.string().ifPresent(strings::add);
            }
            return strings.size() == elements.size() ? Optional.of(strings) : Optional.empty();
        });
    }
}
