package io.healthyproxy.app.config;

import io.healthyproxy.http.config.DiscoverySettings;
import io.healthyproxy.http.config.Endpoint;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * {@code discovery}: how the DNS names of {@code dns:} and {@code srv:} backends are resolved.
 *
 * <pre>
 * discovery: { nameservers: [127.0.0.1:53], timeout: 2s }   # default: the system's resolver (/etc/resolv.conf)
 * </pre>
 */
final class DiscoverySection {

    private DiscoverySection() {
    }

    static Optional<DiscoverySettings> read(YamlMapping discovery) {
        DiscoverySettings d = DiscoverySettings.DEFAULTS;
        List<Endpoint> nameservers = discovery.readOr("nameservers", DiscoverySection::endpoints, d.nameservers());
        Duration timeout = discovery.readOr("timeout", ConfigValues::duration, d.timeout());
        return discovery.build(() -> new DiscoverySettings(nameservers, timeout));
    }

    private static Optional<List<Endpoint>> endpoints(YamlValue value) {
        return value.list("a list of host:port, e.g. [127.0.0.1:53]").flatMap(elements -> {
            List<Endpoint> out = new ArrayList<>();
            for (YamlValue e : elements) {
                ConfigValues.endpoint(e).ifPresent(out::add);
            }
            return out.size() == elements.size() ? Optional.of(out) : Optional.empty();
        });
    }
}
