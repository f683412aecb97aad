package io.healthyproxy.app.config;

import io.healthyproxy.core.Backend;
import io.healthyproxy.http.config.BackendConfig;
import io.healthyproxy.http.config.DiscoveredBackends;
import io.healthyproxy.http.config.Endpoint;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * {@code backends} (at the top level, or a cluster's): a list, at least one, each in the short form (its
 * address, which is then also its name, weight 1), the long form, or an entry of backends found in DNS
 * ({@code dns:} a host's addresses, {@code srv:} SRV records); names unique within the list.
 *
 * <pre>
 * backends:
 *   - 127.0.0.1:9101
 *   - { name: api-2, address: 127.0.0.1:9102, weight: 2 }
 *   - { dns: api.internal:8080, resolveEvery: 5s }       # every A/AAAA address; or resolveEvery: ttl
 *   - { srv: _http._tcp.api.internal }                   # SRV targets, with their ports and weights
 * </pre>
 */
final class BackendsSection {

    static final String EXPECTED = "a list of backends, e.g. [127.0.0.1:9101, 127.0.0.1:9102]";

    /** The backends listed, and the DNS entries that find more. */
    record Backends(List<BackendConfig> fixed, List<DiscoveredBackends> discovered) {
    }

    private BackendsSection() {
    }

    /** Every backend, or empty when any of them is wrong (each one reported). */
    static Optional<Backends> read(YamlValue value) {
        return value.list(EXPECTED).flatMap(elements -> {
            if (elements.isEmpty()) {
                value.reject("[] (expected: at least one backend)");
                return Optional.empty();
            }
            List<BackendConfig> backends = new ArrayList<>();
            List<DiscoveredBackends> discovered = new ArrayList<>();
            Map<String, Integer> lines = new HashMap<>();
            for (YamlValue element : elements) {
                if (isDiscovery(element)) {
                    element.mapping(BackendsSection::discovery).ifPresent(d -> {
                        if (unique(d.name(), element, lines)) {
                            discovered.add(d);
                        }
                    });
                    continue;
                }
                backend(element).ifPresent(backend -> {
                    if (unique(backend.name(), element, lines)) {
                        backends.add(backend);
                    }
                });
            }
            return backends.size() + discovered.size() == elements.size()
                    ? Optional.of(new Backends(backends, discovered)) : Optional.empty();
        });
    }

    private static boolean unique(String name, YamlValue element, Map<String, Integer> lines) {
        Integer first = lines.putIfAbsent(name, element.line());
        if (first != null) {
            element.reject("'" + name + "' (expected: unique names; the same name is at line " + first + ")");
            return false;
        }
        return true;
    }

    private static boolean isDiscovery(YamlValue element) {
        return element.isMapping() && element.mapping(m -> Optional.of(m.entries().containsKey("dns")
                || m.entries().containsKey("srv"))).orElse(false);
    }

    /** {@code { dns: host:port | srv: name, name?, weight?, resolveEvery?: 5s | ttl }}. */
    private static Optional<DiscoveredBackends> discovery(YamlMapping entry) {
        Optional<YamlValue> dns = entry.get("dns");
        Optional<YamlValue> srv = entry.get("srv");
        if (dns.isPresent() && srv.isPresent()) {
            srv.get().reject("given with dns (expected: one of dns or srv)");
            return Optional.empty();
        }
        Optional<DiscoveredBackends> base = dns.isPresent()
                ? dns.get().parsed("host:port, e.g. api.internal:8080", DiscoveredBackends::dns)
                : srv.get().parsed("an SRV name, e.g. _http._tcp.api.internal", DiscoveredBackends::srv);
        Optional<String> name = entry.get("name").flatMap(YamlValue::string);
        int weight = entry.readOr("weight", YamlValue::integer, Backend.DEFAULT_WEIGHT);
        Optional<Optional<Duration>> every = entry.get("resolveEvery").flatMap(ConfigValues::durationOrTtl);
        return base.flatMap(d -> entry.build(() -> {
            DiscoveredBackends e = name.map(d::named).orElse(d).withWeight(weight);
            return every.map(o -> o.map(dur -> e.resolvedEvery(dur, false))
                    .orElseGet(() -> e.resolvedEvery(e.resolveEvery(), true))).orElse(e);
        }));
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
