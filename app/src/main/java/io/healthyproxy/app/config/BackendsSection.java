package io.healthyproxy.app.config;

import io.healthyproxy.http.config.BackendConfig;
import io.healthyproxy.http.config.Endpoint;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * {@code backends}: a list, at least one, each in the short form (its address, which is then also its name)
 * or the long form:
 *
 * <pre>
 * backends:
 *   - 127.0.0.1:9101
 *   - { name: api-2, address: 127.0.0.1:9102 }
 * </pre>
 */
final class BackendsSection {

    static final String EXPECTED = "a list of backends, e.g. [127.0.0.1:9101, 127.0.0.1:9102]";

    private BackendsSection() {
    }

    /** Every backend, or empty when any of them is wrong (each one reported). */
    static Optional<List<BackendConfig>> read(YamlValue value) {
        return value.list(EXPECTED).flatMap(elements -> {
            if (elements.isEmpty()) {
                value.reject("[] (expected: at least one backend)");
                return Optional.empty();
            }
            List<BackendConfig> backends = new ArrayList<>();
            for (YamlValue element : elements) {
                backend(element).ifPresent(backends::add);
            }
            return backends.size() == elements.size() ? Optional.of(backends) : Optional.empty();
        });
    }

    private static Optional<BackendConfig> backend(YamlValue element) {
        if (element.isMapping()) {
            return element.mapping(BackendsSection::longForm);
        }
        return element.parsed("host:port, or { name: ..., address: host:port }", BackendConfig::of);
    }

    private static Optional<BackendConfig> longForm(YamlMapping backend) {
        Optional<String> name = backend.get("name").flatMap(YamlValue::string);
        Optional<Endpoint> address = backend.require("address", "host:port, e.g. 127.0.0.1:9101")
                .flatMap(ConfigValues::endpoint);
        return address.flatMap(a -> backend.build(() -> name.map(n -> new BackendConfig(n, a))
                .orElseGet(() -> BackendConfig.of(a))));
    }
}
