package io.healthyproxy.app.config;

import io.healthyproxy.http.config.BackendConfig;
import io.healthyproxy.http.config.ClusterConfig;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * {@code clusters}: a mapping from each cluster's name to its backends and any of the top-level sections it
 * sets differently, key by key ({@link ClusterSettings}). A name given twice is a duplicate key, reported with
 * both lines.
 *
 * <pre>
 * clusters:
 *   api:
 *     backends: [127.0.0.1:9101, { name: api-2, address: 127.0.0.1:9102, weight: 2 }]
 *     breaker: { failureThreshold: 3 }
 *     slowStart: 30s
 *   static:
 *     backends: [127.0.0.1:9201]
 * </pre>
 */
final class ClustersSection {

    static final String EXPECTED = "a mapping of cluster names to clusters, e.g. api: { backends: [127.0.0.1:9101] }";

    private ClustersSection() {
    }

    /** The clusters that could be read, in file order, with the line of each name; problems are reported. */
    static Clusters read(YamlValue value, ClusterSettings topLevel) {
        Map<String, Read> clusters = new LinkedHashMap<>();
        Set<String> declared = new LinkedHashSet<>();
        value.mapping(all -> {
            declared.addAll(all.entries().keySet());
            if (all.entries().isEmpty()) {
                value.reject("no clusters (expected: " + EXPECTED + ")");
            }
            all.entries().forEach((name, cluster) -> {
                try {
                    ClusterConfig.checkName(name);
                } catch (IllegalArgumentException e) {
                    cluster.reject(e);
                    return;
                }
                cluster.mapping(m -> cluster(name, m, topLevel))
                        .ifPresent(c -> clusters.put(name, new Read(c, cluster.line())));
            });
            return Optional.of(clusters);
        });
        return new Clusters(clusters, declared);
    }

    private static Optional<ClusterConfig> cluster(String name, YamlMapping cluster, ClusterSettings topLevel) {
        Optional<BackendsSection.Backends> backends = cluster.require("backends", BackendsSection.EXPECTED)
                .flatMap(BackendsSection::read);
        ClusterSettings settings = ClusterSettings.read(cluster, topLevel, Level.CLUSTER);
        return backends.flatMap(read -> cluster.build(() -> {
            ClusterConfig.Builder b = settings.applyTo(ClusterConfig.builder(name));
            read.fixed().forEach(b::backend);
            read.discovered().forEach(b::discover);
            return b.build();
        }));
    }

    /** A cluster read from the file, and the line of its name. */
    record Read(ClusterConfig cluster, int line) {
    }

    /**
     * The clusters read, and the names of all in the file: a route to a cluster that has problems of its own is
     * not also told the cluster is unknown.
     */
    record Clusters(Map<String, Read> read, Set<String> declared) {
    }
}
