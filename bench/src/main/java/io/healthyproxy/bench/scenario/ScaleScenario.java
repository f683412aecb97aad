package io.healthyproxy.bench.scenario;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

/**
 * Does HealthyProxy's per-request cost grow with its configuration? Three HealthyProxy processes in front of the
 * same three NGINX processes, measured in alternating throughput rounds: the baseline (3 backends, no routes),
 * 1,000 backends in one cluster (the three NGINX processes listen on ~333 ports each), and 1,000 routes with the
 * one that matches {@code GET /} last (each of the others matches a host and a path prefix that no request
 * has). All three check their backends' health every 5 s, so the 1,000-backend proxy's checks (200 a second)
 * weigh little on the shared machine while the others are measured.
 *
 * <p>HAProxy with 3 and with 1,000 backends runs in the same rounds, as the yardstick: spreading the requests over
 * 1,000 backends costs the machine something whoever balances (2,000 upstream connections instead of 6, each
 * request on sockets, NGINX's among them, that have gone cold in the caches), and HAProxy's own ratio shows how
 * much: 0.73× against HealthyProxy's 0.80× in bench/results/2026-12-01-scale-with-haproxy.md.
 */
final class ScaleScenario {

    /** The variants, in report order: HealthyProxy's three, then HAProxy's two. */
    enum Variant {
        BASELINE("HealthyProxy, 3 backends, 1 route", null),
        BACKENDS("HealthyProxy, 1,000 backends in one cluster", BASELINE),
        ROUTES("HealthyProxy, 1,000 routes, the match last", BASELINE),
        HAPROXY_BASELINE("HAProxy, 3 backends", null),
        HAPROXY_BACKENDS("HAProxy, 1,000 backends", HAPROXY_BASELINE);

        final String label;
        /** What this variant is measured against; null for a baseline. */
        final Variant baseline;

        Variant(String label, Variant baseline) {
            this.label = label;
            this.baseline = baseline;
        }

        /** Its own baseline for a baseline. */
        Variant yardstick() {
            return baseline == null ? this : baseline;
        }
    }

    /** HAProxy's check timing here: every 5 s, as HealthyProxy's in this part. */
    private static final String HAPROXY_CHECKS = "inter 5s fastinter 5s downinter 5s";

    private static final String COMMON = """
            listen: 127.0.0.1:0
            admin: 127.0.0.1:0
            healthCheck: { path: /health, interval: 5s, unhealthyInterval: 5s, timeout: 1s }
            """;

    private ScaleScenario() {
    }

    /**
     * The rounds of each variant, in {@link Variant} order. {@code count}: backends and routes of the big ones
     * (1,000 in the full run).
     */
    static List<ThroughputRounds.Summary> run(Workspace work, int count, int rounds, Duration roundLength, int connections,
            Consumer<String> log) throws InterruptedException {
        List<NginxBackend> backends = new ArrayList<>();
        List<ProxyPeer> peers = new ArrayList<>();
        try {
            int perBackend = (count + 2) / 3;
            for (int i = 1; i <= 3; i++) {
                NginxBackend b = new NginxBackend(work, "scale-b" + i, perBackend - 1);
                b.start();
                backends.add(b);
            }
            List<Integer> three = backends.stream().map(b -> b.port).toList();
            List<Integer> all = new ArrayList<>();
            for (NginxBackend b : backends) {
                all.add(b.port);
                all.addAll(b.extraPorts);
            }
            List<Integer> many = all.subList(0, count);
            for (Variant v : Variant.values()) {
                String name = "scale-" + v.name().toLowerCase(java.util.Locale.ROOT);
                ProxyPeer peer = switch (v) {
                    case BASELINE -> ProxyPeer.healthyProxy(v.label, work.root, work, write(work, name + ".yaml", backendsYaml(three)), "");
                    case BACKENDS -> ProxyPeer.healthyProxy(v.label, work.root, work, write(work, name + ".yaml", backendsYaml(many)), "");
                    case ROUTES -> ProxyPeer.healthyProxy(v.label, work.root, work, write(work, name + ".yaml", routesYaml(three, count)), "");
                    case HAPROXY_BASELINE -> ProxyPeer.haproxy(v.label, work, three, "-" + name, HAPROXY_CHECKS);
                    case HAPROXY_BACKENDS -> ProxyPeer.haproxy(v.label, work, many, "-" + name, HAPROXY_CHECKS);
                };
                log.accept("scale: starting " + peer.label());
                peer.start();
                peers.add(peer);
            }
            return ThroughputRounds.run(peers, rounds, roundLength, connections, log).stream()
                    .map(ThroughputRounds.Summary::of).toList();
        } finally {
            for (ProxyPeer p : peers) {
                p.stop();
            }
            for (NginxBackend b : backends) {
                b.stop();
            }
        }
    }

    static String backendsYaml(List<Integer> ports) {
        StringBuilder yaml = new StringBuilder(COMMON).append("backends:\n");
        for (int i = 0; i < ports.size(); i++) {
            yaml.append("  - { name: b").append(i + 1).append(", address: \"127.0.0.1:").append(ports.get(i)).append("\" }\n");
        }
        return yaml.toString();
    }

    static String routesYaml(List<Integer> ports, int routes) {
        StringBuilder yaml = new StringBuilder(COMMON).append("clusters:\n  web:\n    backends:\n");
        for (int i = 0; i < ports.size(); i++) {
            yaml.append("      - { name: b").append(i + 1).append(", address: \"127.0.0.1:").append(ports.get(i)).append("\" }\n");
        }
        yaml.append("  other:\n    backends:\n      - { name: o1, address: \"127.0.0.1:").append(ports.get(0)).append("\" }\n");
        yaml.append("routes:\n");
        for (int i = 1; i < routes; i++) {
            yaml.append("  - { name: r").append(i).append(", match: { host: svc").append(i)
                    .append(".example.test, pathPrefix: /svc").append(i).append("/ }, cluster: other }\n");
        }
        yaml.append("  - { name: everything, match: { pathPrefix: / }, cluster: web }\n");
        return yaml.toString();
    }

    private static Path write(Workspace work, String name, String yaml) {
        try {
            return Files.writeString(work.file(name), yaml);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
