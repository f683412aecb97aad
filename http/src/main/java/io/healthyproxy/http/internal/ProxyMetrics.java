package io.healthyproxy.http.internal;

import io.healthyproxy.core.Backend;
import io.healthyproxy.core.BackendPool;
import io.healthyproxy.core.BackendStatus;
import io.healthyproxy.core.breaker.CircuitState;
import io.healthyproxy.core.retry.RetryBudget;
import io.prometheus.metrics.core.metrics.Counter;
import io.prometheus.metrics.core.metrics.CounterWithCallback;
import io.prometheus.metrics.core.metrics.GaugeWithCallback;
import io.prometheus.metrics.core.metrics.Histogram;
import io.prometheus.metrics.model.registry.PrometheusRegistry;

/**
 * The proxy's Prometheus metrics, through the Prometheus Java client: counters and a latency histogram fed
 * by the request path, and gauges and counters read from the core's own state at scrape time (circuit
 * state, health, in-flight, calls), so nothing is counted twice. One registry per proxy.
 */
final class ProxyMetrics implements ProxyEvents {

    private final PrometheusRegistry registry = new PrometheusRegistry();
    private final Counter requests;
    private final Histogram duration;
    private final Counter retries;
    private final Counter hedges;
    private final Counter attemptFailures;
    /** Request counters by [source][status], looked up once: a label lookup per request showed in profiles. */
    private final io.prometheus.metrics.core.datapoints.CounterDataPoint[][] requestsByStatus =
            new io.prometheus.metrics.core.datapoints.CounterDataPoint[2][600];

    ProxyMetrics(BackendPool pool, RetryBudget budget, ProxyContextView proxy) {
        requests = Counter.builder().name("healthyproxy_requests_total")
                .help("Requests answered, by status; source is backend or proxy (a proxy-made answer)")
                .labelNames("code", "source").register(registry);
        duration = Histogram.builder().name("healthyproxy_request_duration_seconds")
                .help("Time from a request's head to the end of its answer")
                .classicOnly()
                .classicUpperBounds(0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10)
                .register(registry);
        retries = Counter.builder().name("healthyproxy_retries_total")
                .help("Requests tried again on another backend, by the failure that caused it")
                .labelNames("reason").register(registry);
        hedges = Counter.builder().name("healthyproxy_hedges_total")
                .help("Hedged copies sent because the first attempt was slow").register(registry);
        attemptFailures = Counter.builder().name("healthyproxy_attempt_failures_total")
                .help("Failed attempts, by backend and failure class").labelNames("backend", "reason")
                .register(registry);
        CounterWithCallback.builder().name("healthyproxy_retry_budget_exhausted_total")
                .help("Retries and hedges refused because the retry budget was spent")
                .callback(cb -> cb.call(budget.exhaustedCount())).register(registry);
        GaugeWithCallback.builder().name("healthyproxy_client_connections").help("Client connections open")
                .callback(cb -> cb.call(proxy.clientConnections())).register(registry);
        GaugeWithCallback.builder().name("healthyproxy_active_requests").help("Requests being handled")
                .callback(cb -> cb.call(proxy.activeExchanges())).register(registry);
        registerBackendMetrics(pool);
        GaugeWithCallback.builder().name("healthyproxy_backend_connections")
                .help("Connections open to the backend (pooled and in use)").labelNames("backend")
                .callback(cb -> pool.backends().forEach(b -> cb.call(proxy.connections(b), b.id()))).register(registry);
    }

    /** The live numbers the metrics read from the proxy. */
    interface ProxyContextView {
        int clientConnections();

        int activeExchanges();

        int connections(Backend backend);
    }

    private void registerBackendMetrics(BackendPool pool) {
        GaugeWithCallback.builder().name("healthyproxy_backend_admitting")
                .help("1 if the backend takes traffic now (healthy and its circuit admits)").labelNames("backend")
                .callback(cb -> pool.backends().forEach(b -> cb.call(b.admitsTraffic() ? 1 : 0, b.id())))
                .register(registry);
        GaugeWithCallback.builder().name("healthyproxy_backend_healthy")
                .help("1 if the backend passes its active health checks (rise/fall)").labelNames("backend")
                .callback(cb -> pool.backends().forEach(b -> cb.call(b.health().isHealthy() ? 1 : 0, b.id())))
                .register(registry);
        GaugeWithCallback.builder().name("healthyproxy_backend_circuit_state")
                .help("1 for the backend's current circuit state, 0 for the others").labelNames("backend", "state")
                .callback(cb -> pool.backends().forEach(b -> {
                    CircuitState current = b.breaker().state();
                    for (CircuitState s : CircuitState.values()) {
                        cb.call(s == current ? 1 : 0, b.id(), s.label());
                    }
                })).register(registry);
        GaugeWithCallback.builder().name("healthyproxy_backend_consecutive_failures")
                .help("Consecutive failures counted by the backend's circuit breaker").labelNames("backend")
                .callback(cb -> pool.backends().forEach(b ->
                        cb.call(b.breaker().snapshot().consecutiveFailures(), b.id()))).register(registry);
        CounterWithCallback.builder().name("healthyproxy_backend_circuit_opens_total")
                .help("How often the backend's circuit opened").labelNames("backend")
                .callback(cb -> pool.backends().forEach(b -> cb.call(b.breaker().snapshot().timesOpened(), b.id())))
                .register(registry);
        CounterWithCallback.builder().name("healthyproxy_backend_rejected_total")
                .help("Calls the backend's circuit refused").labelNames("backend")
                .callback(cb -> pool.backends().forEach(b -> cb.call(b.breaker().snapshot().rejected(), b.id())))
                .register(registry);
        GaugeWithCallback.builder().name("healthyproxy_backend_in_flight")
                .help("Attempts under way on the backend").labelNames("backend")
                .callback(cb -> pool.backends().forEach(b -> cb.call(b.inFlight(), b.id()))).register(registry);
        CounterWithCallback.builder().name("healthyproxy_backend_calls_total")
                .help("Attempts that ended, by outcome as the circuit breaker saw it").labelNames("backend", "outcome")
                .callback(cb -> pool.backends().forEach(b -> {
                    cb.call(b.succeeded(), b.id(), "success");
                    cb.call(b.failed(), b.id(), "failure");
                })).register(registry);
        GaugeWithCallback.builder().name("healthyproxy_backend_health_check_seconds")
                .help("How long the backend's latest health check took").labelNames("backend")
                .callback(cb -> pool.backends().forEach(b -> {
                    BackendStatus s = b.status();
                    cb.call(s.health().lastLatencyNanos() / 1e9, b.id());
                })).register(registry);
    }

    PrometheusRegistry registry() {
        return registry;
    }

    @Override
    public void requestCompleted(ProxiedRequest request, int status, String proxyError, String backend, int attempts,
            long durationNanos, long responseBytes) {
        int source = proxyError == null ? 0 : 1;
        int code = status >= 0 && status < 600 ? status : 0;
        var counter = requestsByStatus[source][code];
        if (counter == null) {
            counter = requests.labelValues(Integer.toString(status), source == 0 ? "backend" : "proxy");
            requestsByStatus[source][code] = counter;    // a race fills it twice with the same data point
        }
        counter.inc();
        if (request != null) {
            duration.observe(durationNanos / 1e9);
        }
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
    public void attemptFailed(String backend, AttemptFailure failure) {
        attemptFailures.labelValues(backend, failure.code()).inc();
    }
}
