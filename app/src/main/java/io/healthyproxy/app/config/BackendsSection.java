package io.healthyproxy.app.config;

import io.healthyproxy.core.Backend;
import io.healthyproxy.http.config.BackendConfig;
import io.healthyproxy.http.config.Endpoint;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * {@code backends} (at the top level, or a cluster's): a list, at least one, each in the short form (its
 * address, which is then also its name, weight 1) or the long form; names unique within the list.
 *
 * <pre>
 * backends:
 *   - 127.0.0.1:9101
 *   - { name: api-2, address: 127.0.0.1:9102, weight: 2 }
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
            Map<String, Integer> lines = new HashMap<>();
            for (YamlValue element : elements) {
                backend(element).ifPresent(backend -> {
                    Integer first = lines.putIfAbsent(backend.name(), element.line());
                    if (first != null) {
                        element.reject("'" + backend.name() + "' (expected: unique names; the same name is at line "
                                + first + ")");
                    } else {
                        backends.add(backend);
                    }
                });
            }
            return backends.size() == elements.size() ? Optional.of(backends) : Optional.empty();
        });
    }

    private static Optional<BackendConfig> backend(YamlValue element) {
        if (element.isMapping()) {
            return element.mapping(BackendsSection::longForm);
        }
        return element.parsed("host:port, or { name: ..., address: host:port, weight: ... }", BackendConfig::of);
    }

    private static Optional<BackendConfig> longForm(YamlMapping backend) {
        Optional<String> name = backend.get("name").flatMap(YamlValue::string);
        Optional<Endpoint> address = backend.require("address", "host:port, e.g. 127.0.0.1:9101")
                .flatMap(ConfigValues::endpoint);
        int weight = backend.readOr("weight", YamlValue::integer, Backend.DEFAULT_WEIGHT);
        return address.flatMap(a -> backend.build(() -> new BackendConfig(name.orElseGet(a::toString), a, weight)));
    }
}
