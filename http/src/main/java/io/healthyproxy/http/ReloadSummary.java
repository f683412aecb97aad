package io.healthyproxy.http;

import java.util.ArrayList;
import java.util.List;

/**
 * What applying a new config changed ({@link HttpProxy#reload}): clusters and backends added, removed or
 * changed, how many backends kept their state (circuit, health, connections), and the settings that changed
 * but take effect only after a restart (the listeners, for one).
 *
 * @param clustersAdded   clusters new in this config
 * @param clustersRemoved clusters gone from it
 * @param clustersChanged clusters kept whose settings or backends changed
 * @param backendsAdded   {@code cluster/backend} of each backend that starts afresh (new, or its address or
 *                        settings changed)
 * @param backendsRemoved {@code cluster/backend} of each backend that takes no more requests
 * @param backendsKept    backends that go on as they were
 * @param routes          routes in force now
 * @param needRestart     top-level keys that changed but are read only at start
 */
public record ReloadSummary(List<String> clustersAdded, List<String> clustersRemoved, List<String> clustersChanged,
        List<String> backendsAdded, List<String> backendsRemoved, int backendsKept, int routes,
        List<String> needRestart) {

    public ReloadSummary {
        clustersAdded = List.copyOf(clustersAdded);
        clustersRemoved = List.copyOf(clustersRemoved);
        clustersChanged = List.copyOf(clustersChanged);
        backendsAdded = List.copyOf(backendsAdded);
        backendsRemoved = List.copyOf(backendsRemoved);
        needRestart = List.copyOf(needRestart);
    }

    /** The same, with {@code keys} that changed but need a restart. */
    public ReloadSummary needingRestartFor(List<String> keys) {
        return new ReloadSummary(clustersAdded, clustersRemoved, clustersChanged, backendsAdded, backendsRemoved,
                backendsKept, routes, keys);
    }

    /** One line for a log: {@code 2 clusters (1 added), 5 backends (1 added, 1 removed, 3 kept), 3 routes}. */
    @Override
    public String toString() {
        StringBuilder s = new StringBuilder();
        s.append("backends: ").append(backendsKept).append(" kept");
        if (!backendsAdded.isEmpty()) {
            s.append(", added ").append(backendsAdded);
        }
        if (!backendsRemoved.isEmpty()) {
            s.append(", removed ").append(backendsRemoved);
        }
        if (!clustersAdded.isEmpty()) {
            s.append("; clusters added ").append(clustersAdded);
        }
        if (!clustersRemoved.isEmpty()) {
            s.append("; clusters removed ").append(clustersRemoved);
        }
        if (!clustersChanged.isEmpty()) {
            s.append("; clusters changed ").append(clustersChanged);
        }
        s.append("; ").append(routes).append(routes == 1 ? " route" : " routes");
        if (!needRestart.isEmpty()) {
            s.append("; changed but read only at start (restart to apply): ").append(needRestart);
        }
        return s.toString();
    }

    public static Builder builder() {
        return new Builder();
    }

    /** Collects a summary while a config is applied. Not thread-safe. */
    public static final class Builder {
        private final List<String> clustersAdded = new ArrayList<>();
        private final List<String> clustersRemoved = new ArrayList<>();
        private final List<String> clustersChanged = new ArrayList<>();
        private final List<String> backendsAdded = new ArrayList<>();
        private final List<String> backendsRemoved = new ArrayList<>();
        private int backendsKept;
        private int routes;

        private Builder() {
        }

        public Builder clusterAdded(String name) {
            clustersAdded.add(name);
            return this;
        }

        public Builder clusterRemoved(String name) {
            clustersRemoved.add(name);
            return this;
        }

        public Builder clusterChanged(String name) {
            clustersChanged.add(name);
            return this;
        }

        public Builder backendAdded(String name) {
            backendsAdded.add(name);
            return this;
        }

        public Builder backendRemoved(String name) {
            backendsRemoved.add(name);
            return this;
        }

        public Builder backendKept() {
            backendsKept++;
            return this;
        }

        public Builder routes(int routes) {
            this.routes = routes;
            return this;
        }

        public ReloadSummary build() {
            return new ReloadSummary(clustersAdded, clustersRemoved, clustersChanged, backendsAdded, backendsRemoved,
                    backendsKept, routes, List.of());
        }
    }
}
