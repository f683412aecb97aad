package io.healthyproxy.http.config;

import io.healthyproxy.core.internal.Require;
import java.time.Duration;
import java.util.List;

/**
 * How DNS names of {@link DiscoveredBackends} are resolved.
 *
 * @param nameservers the DNS servers to ask, in order (default none: the system's, from
 *                    {@code /etc/resolv.conf})
 * @param timeout     one query's timeout (default 2 s); a resolution that fails keeps the last good answer
 */
public record DiscoverySettings(List<Endpoint> nameservers, Duration timeout) {

    public static final DiscoverySettings DEFAULTS = new DiscoverySettings(List.of(), Duration.ofSeconds(2));

    public DiscoverySettings {
        nameservers = List.copyOf(nameservers);
        Require.positive("discovery.timeout", timeout);
    }
}
