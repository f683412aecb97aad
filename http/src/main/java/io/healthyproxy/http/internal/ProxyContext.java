package io.healthyproxy.http.internal;

import io.healthyproxy.core.Backend;
import io.healthyproxy.core.time.Ticker;
import io.healthyproxy.http.ProxyClock;
import io.healthyproxy.http.config.Limits;
import io.healthyproxy.http.config.ProxyConfig;
import io.healthyproxy.http.routing.RouteTable;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * What every client connection and exchange of one proxy shares: the config, the clock, the clusters and the
 * route table, the events sink and the proxy-wide counters. Immutable but for the draining flag and
 * counters; its parts are thread-safe.
 */
public final class ProxyContext implements ProxyMetrics.ProxyContextView {

    final ProxyConfig config;
    final Limits limits;
    final ProxyClock clock;
    final Ticker ticker;
    /** What {@code POST /reload} runs (the app reads its file again), or null: no reload from the admin API. */
    volatile java.util.function.Supplier<io.healthyproxy.http.ReloadOutcome> reloadHook;
    /** How each cluster's DNS entries stand, for {@code /status}; empty for a cluster with none. */
    volatile java.util.function.Function<String, java.util.Map<String, Discovery.Status>> discoveryStatus =
            cluster -> java.util.Map.of();
    /** The clusters and routes now in force; replaced whole by a reload or a changed DNS answer. */
    private volatile Routing routing;
    final ProxyEvents events;
    final ProxyMetrics metrics;
    /** Read on every request, converted once (Duration.toNanos() showed up in profiles). */
    final long clientIdleNanos;
    final long requestHeaderNanos;
    final long requestBodyIdleNanos;
    private final AtomicInteger activeExchanges = new AtomicInteger();
    private final AtomicInteger clientConnections = new AtomicInteger();
    private volatile boolean draining;

    ProxyContext(ProxyConfig config, ProxyClock clock, Routing routing) {
        this.config = config;
        this.limits = config.limits();
        this.clock = clock;
        this.ticker = clock.ticker();
        this.routing = routing;
        this.clientIdleNanos = config.timeouts().clientIdle().toNanos();
        this.requestHeaderNanos = config.timeouts().requestHeader().toNanos();
        this.requestBodyIdleNanos = config.timeouts().requestBodyIdle().toNanos();
        // The metrics read this context's counters at scrape time, never during construction.
        this.metrics = new ProxyMetrics(this::clusters, this);
        this.events = config.accessLog() ? new BothEvents(metrics, new AccessLog()) : metrics;
    }

    /** The proxy with one cluster and one route taking everything to it (tests). */
    static ProxyContext of(ProxyConfig config, ProxyClock clock, Cluster cluster) {
        return new ProxyContext(config, clock, new Routing(List.of(cluster), RouteTable.of(config.routes(),
                r -> Route.to(cluster))));
    }

    /** The route {@code request} takes; {@link Route#NONE} when no route does. */
    Route route(ProxiedRequest request) {
        Route route = routing.routes().match(request.host(), request.upstreamTarget(), request.method().name(),
                request.upstreamHeaders()::get);
        return route == null ? Route.NONE : route;
    }

    /** The clusters now in force. */
    List<Cluster> clusters() {
        return routing.clusters();
    }

    /** Puts a new config's clusters and routes in force: requests routed from now on use them. */
    void swap(Routing next) {
        routing = next;
    }

    boolean isDraining() {
        return draining;
    }

    void startDraining() {
        draining = true;
    }

    void exchangeStarted() {
        activeExchanges.incrementAndGet();
    }

    void exchangeFinished() {
        activeExchanges.decrementAndGet();
    }

    /** Counts a new client connection; returns how many are open with it. */
    int clientConnected() {
        return clientConnections.incrementAndGet();
    }

    void clientDisconnected() {
        clientConnections.decrementAndGet();
    }

    @Override
    public int activeExchanges() {
        return activeExchanges.get();
    }

    @Override
    public int clientConnections() {
        return clientConnections.get();
    }

    @Override
    public int connections(Cluster cluster, Backend backend) {
        return cluster.upstreams().openConnections(backend);
    }
}
