package io.healthyproxy.http.config;

import io.healthyproxy.core.Backend;
import io.healthyproxy.core.internal.Require;
import java.time.Duration;
import java.util.Objects;

/**
 * Backends found in DNS rather than listed: every address a name resolves to (A and AAAA records) on one port,
 * or every target of an SRV record with its port and weight. The name is resolved again every
 * {@code resolveEvery} (or when the answer's TTL runs out, with {@code followTtl}); what changes is applied as a
 * reload applies it — an address that stays keeps its backend's circuit, health and connections. Each backend
 * found is named {@code <name>@<address>:<port>}.
 *
 * <pre>
 * backends:
 *   - { dns: api.internal:8080 }                 # every A/AAAA address, port 8080
 *   - { srv: _http._tcp.api.internal }           # every SRV target, its port and weight
 * </pre>
 *
 * @param name         names the entry (default: what it resolves): its backends are {@code name@address}
 * @param kind         what is asked: addresses of a host, or SRV records
 * @param query        the host name ({@code api.internal}), or the SRV name ({@code _http._tcp.api.internal})
 * @param port         the backends' port, for {@link Kind#ADDRESSES}; 0 for SRV (each record has its own)
 * @param weight       each backend's weight, for {@link Kind#ADDRESSES} (SRV records carry theirs)
 * @param resolveEvery how often the name is resolved again (default 5 s)
 * @param followTtl    resolve again when the answer's TTL runs out instead (at least 1 s, at most 5 min)
 */
public record DiscoveredBackends(String name, Kind kind, String query, int port, int weight, Duration resolveEvery,
        boolean followTtl) {

    /** How often a name is resolved again unless told otherwise: a few seconds, as HAProxy's {@code hold valid}. */
    public static final Duration DEFAULT_RESOLVE_EVERY = Duration.ofSeconds(5);

    /** What a discovery entry asks DNS for. */
    public enum Kind {
        /** A and AAAA records of a host, on a given port. */
        ADDRESSES,
        /** SRV records: targets, ports, weights (the lowest priority's, as RFC 2782 says). */
        SRV
    }

    public DiscoveredBackends {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(query, "query");
        if (query.isBlank() || query.chars().anyMatch(c -> c <= ' ' || c >= 0x7f)) {
            throw Require.invalid(kind == Kind.SRV ? "srv" : "dns", "'" + query + "'", "a DNS name");
        }
        if (kind == Kind.ADDRESSES) {
            Require.inRange("port", port, 1, 65535);
        }
        Require.inRange("weight", weight, 1, Backend.MAX_WEIGHT);
        Require.positive("resolveEvery", resolveEvery);
    }

    /** {@code host:port}: every address {@code host} resolves to. */
    public static DiscoveredBackends dns(String hostPort) {
        Endpoint e = Endpoint.parse(hostPort);
        return new DiscoveredBackends(e.toString(), Kind.ADDRESSES, e.host(), e.port(), Backend.DEFAULT_WEIGHT,
                DEFAULT_RESOLVE_EVERY, false);
    }

    /** Every target of the SRV records of {@code name}. */
    public static DiscoveredBackends srv(String name) {
        return new DiscoveredBackends(name, Kind.SRV, name, 0, Backend.DEFAULT_WEIGHT, DEFAULT_RESOLVE_EVERY, false);
    }

    public DiscoveredBackends named(String newName) {
        return new DiscoveredBackends(newName, kind, query, port, weight, resolveEvery, followTtl);
    }

    public DiscoveredBackends resolvedEvery(Duration every, boolean ttl) {
        return new DiscoveredBackends(name, kind, query, port, weight, every, ttl);
    }

    public DiscoveredBackends withWeight(int newWeight) {
        return new DiscoveredBackends(name, kind, query, port, newWeight, resolveEvery, followTtl);
    }

    /** The name of the backend found at {@code address}. */
    public String backendName(Endpoint address) {
        return name + "@" + address;
    }
}
