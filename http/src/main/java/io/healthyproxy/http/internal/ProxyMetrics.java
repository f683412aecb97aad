package io.healthyproxy.http.internal;

import io.healthyproxy.core.Backend;
import io.healthyproxy.core.BackendStatus;
import io.healthyproxy.core.breaker.CircuitState;
import io.prometheus.metrics.core.metrics.Counter;
import io.prometheus.metrics.core.metrics.CounterWithCallback;
import io.prometheus.metrics.core.metrics.GaugeWithCallback;
import io.prometheus.metrics.model.registry.Collector;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import io.prometheus.metrics.model.snapshots.ClassicHistogramBuckets;
import io.prometheus.metrics.model.snapshots.HistogramSnapshot;
import io.prometheus.metrics.model.snapshots.MetricSnapshot;
import java.util.List;
import java.util.function.BiConsumer;
import java.util.function.Supplier;

/**
 * The proxy's Prometheus metrics, through the Prometheus Java client: counters and a latency histogram fed
 * by the request path, and gauges and counters read from the core's own state at scrape time (circuit
 * state, health, in-flight, calls), so nothing is counted twice. One registry per proxy.
 */
final class ProxyMetrics implements ProxyEvents {

    private static final String DURATION = "healthyproxy_request_duration_seconds";

    private final PrometheusRegistry registry = new PrometheusRegistry();
    /** Answers and latencies, per thread: the request path's hot counters (see {@link RequestTally}). */
    private final RequestTally tally = new RequestTally();
    private final Counter retries;
    private final Counter hedges;
    private final Counter attemptFailures;

    ProxyMetrics(Supplier<List<Cluster>> clusters, ProxyContextView proxy) {
        CounterWithCallback.builder().name("healthyproxy_requests_total")
                .help("Requests answered, by status; source is backend or proxy (a proxy-made answer)")
                .labelNames("code", "source")
                .callback(cb -> {
                    for (int code = 0; code < RequestTally.STATUSES; code++) {
                        for (int source : new int[] {RequestTally.BACKEND, RequestTally.PROXY}) {
                            long n = tally.answers(source, code);
                            if (n > 0) {
                                cb.call(n, Integer.toString(code), source == RequestTally.BACKEND ? "backend" : "proxy");
                            }
                        }
                    }
                }).register(registry);
        registry.register(new Collector() {
            @Override
            public MetricSnapshot collect() {
                return durationSnapshot();
            }

            @Override
            public String getPrometheusName() {
                return DURATION;
            }
        });
        retries = Counter.builder().name("healthyproxy_retries_total")
                .help("Requests tried again on another backend, by the failure that caused it")
                .labelNames("reason").register(registry);
        hedges = Counter.builder().name("healthyproxy_hedges_total")
                .help("Hedged copies sent because the first attempt was slow").register(registry);
        attemptFailures = Counter.builder().name("healthyproxy_attempt_failures_total")
                .help("Failed attempts, by cluster, backend and failure class").labelNames("cluster", "backend", "reason")
                .register(registry);
        CounterWithCallback.builder().name("healthyproxy_retry_budget_exhausted_total")
                .help("Retries and hedges refused because the cluster's retry budget was spent").labelNames("cluster")
                .callback(cb -> clusters.get().forEach(c -> cb.call(c.budget().exhaustedCount(), c.name())))
                .register(registry);
        GaugeWithCallback.builder().name("healthyproxy_client_connections").help("Client connections open")
                .callback(cb -> cb.call(proxy.clientConnections())).register(registry);
        GaugeWithCallback.builder().name("healthyproxy_active_requests").help("Requests being handled")
                .callback(cb -> cb.call(proxy.activeExchanges())).register(registry);
        registerBackendMetrics(clusters);
        GaugeWithCallback.builder().name("healthyproxy_backend_connections")
                .help("Connections open to the backend (pooled and in use)").labelNames("cluster", "backend")
                .callback(cb -> eachBackend(clusters, (c, b) -> cb.call(proxy.connections(c, b), c.name(), b.id())))
                .register(registry);
    }

    /** Calls {@code each} for every backend of every cluster. */
    private static void eachBackend(Supplier<List<Cluster>> clusters, BiConsumer<Cluster, Backend> each) {
        for (Cluster c : clusters.get()) {
            for (Backend b : c.pool().backends()) {
                each.accept(c, b);
            }
        }
    }

    /** The live numbers the metrics read from the proxy. */
    interface ProxyContextView {
        int clientConnections();

        int activeExchanges();

        int connections(Cluster cluster, Backend backend);
    }

    private void registerBackendMetrics(Supplier<List<Cluster>> clusters) {
        GaugeWithCallback.builder().name("healthyproxy_backend_admitting")
                .help("1 if the backend takes traffic now (healthy, its circuit admits, not ejected)").labelNames("cluster", "backend")
                .callback(cb -> eachBackend(clusters, (c, b) -> cb.call(b.admitsTraffic() ? 1 : 0, c.name(), b.id())))
                .register(registry);
        GaugeWithCallback.builder().name("healthyproxy_backend_healthy")
                .help("1 if the backend passes its active health checks (rise/fall)").labelNames("cluster", "backend")
                .callback(cb -> eachBackend(clusters, (c, b) -> cb.call(b.health().isHealthy() ? 1 : 0, c.name(), b.id())))
                .register(registry);
        GaugeWithCallback.builder().name("healthyproxy_backend_ejected")
                .help("1 while the backend is ejected for being far slower than its peers").labelNames("cluster", "backend")
                .callback(cb -> eachBackend(clusters, (c, b) -> cb.call(b.isEjected() ? 1 : 0, c.name(), b.id())))
                .register(registry);
        GaugeWithCallback.builder().name("healthyproxy_backend_circuit_state")
                .help("1 for the backend's current circuit state, 0 for the others").labelNames("cluster", "backend", "state")
                .callback(cb -> eachBackend(clusters, (c, b) -> {
                    CircuitState current = b.breaker().state();
                    for (CircuitState s : CircuitState.values()) {
                        cb.call(s == current ? 1 : 0, c.name(), b.id(), s.label());
                    }
                })).register(registry);
        GaugeWithCallback.builder().name("healthyproxy_backend_consecutive_failures")
                .help("Consecutive failures counted by the backend's circuit breaker").labelNames("cluster", "backend")
                .callback(cb -> eachBackend(clusters, (c, b) ->
                        cb.call(b.breaker().snapshot().consecutiveFailures(), c.name(), b.id()))).register(registry);
        CounterWithCallback.builder().name("healthyproxy_backend_circuit_opens_total")
                .help("How often the backend's circuit opened").labelNames("cluster", "backend")
                .callback(cb -> eachBackend(clusters, (c, b) -> cb.call(b.breaker().snapshot().timesOpened(), c.name(), b.id())))
                .register(registry);
        CounterWithCallback.builder().name("healthyproxy_backend_rejected_total")
                .help("Calls the backend's circuit refused").labelNames("cluster", "backend")
                .callback(cb -> eachBackend(clusters, (c, b) -> cb.call(b.breaker().snapshot().rejected(), c.name(), b.id())))
                .register(registry);
        GaugeWithCallback.builder().name("healthyproxy_backend_in_flight")
                .help("Attempts under way on the backend").labelNames("cluster", "backend")
                .callback(cb -> eachBackend(clusters, (c, b) -> cb.call(b.inFlight(), c.name(), b.id()))).register(registry);
        CounterWithCallback.builder().name("healthyproxy_backend_calls_total")
                .help("Attempts that ended, by outcome as the circuit breaker saw it").labelNames("cluster", "backend", "outcome")
                .callback(cb -> eachBackend(clusters, (c, b) -> {
                    cb.call(b.succeeded(), c.name(), b.id(), "success");
                    cb.call(b.failed(), c.name(), b.id(), "failure");
                })).register(registry);
        GaugeWithCallback.builder().name("healthyproxy_backend_health_check_seconds")
                .help("How long the backend's latest health check took").labelNames("cluster", "backend")
                .callback(cb -> eachBackend(clusters, (c, b) -> {
                    BackendStatus s = b.status();
                    cb.call(s.health().lastLatencyNanos() / 1e9, c.name(), b.id());
                })).register(registry);
    }

    PrometheusRegistry registry() {
        return registry;
    }

    @Override
    public void requestCompleted(ProxiedRequest request, int status, String proxyError, String backend, int attempts,
            long durationNanos, long responseBytes) {
        tally.record(proxyError == null ? RequestTally.BACKEND : RequestTally.PROXY, status,
                request != null ? durationNanos : -1);
    }

    private HistogramSnapshot durationSnapshot() {
        long[] counts = tally.latencyBuckets();
        ClassicHistogramBuckets.Builder buckets = ClassicHistogramBuckets.builder();   // counts per bucket
        for (int i = 0; i < counts.length; i++) {
            buckets.bucket(i < RequestTally.BOUNDS.length ? RequestTally.BOUNDS[i] : Double.POSITIVE_INFINITY,
                    counts[i]);
        }
        return HistogramSnapshot.builder().name(DURATION)
                .help("Time from a request's head to the end of its answer")
                .dataPoint(HistogramSnapshot.HistogramDataPointSnapshot.builder()
                        .classicHistogramBuckets(buckets.build()).sum(tally.latencySumSeconds()).build())
                .build();
    }

    @Override
    public void retried(AttemptFailure failure) {
        retries.labelValues(failure.code()).inc();
    }

    @Override
    public void hedged() {
        hedges.inc();
    }

    @Override
    public void attemptFailed(String cluster, String backend, AttemptFailure failure) {
        attemptFailures.labelValues(cluster, backend, failure.code()).inc();
    }
}
