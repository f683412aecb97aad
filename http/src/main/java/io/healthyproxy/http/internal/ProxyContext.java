package io.healthyproxy.http.internal;

import io.healthyproxy.core.BackendPool;
import io.healthyproxy.core.retry.RetryBudget;
import io.healthyproxy.core.time.Ticker;
import io.healthyproxy.http.config.ProxyConfig;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * What every client connection and exchange of one proxy shares: config, backends, pools, budget. The
 * fields are thread-safe objects; the context itself is immutable but for the draining flag and counters.
 */
public final class ProxyContext implements ProxyMetrics.ProxyContextView {

    final ProxyConfig config;
    final BackendPool pool;
    final UpstreamPools upstreams;
    final RetryBudget budget;
    final HedgeDelay hedgeDelay;
    final Ticker ticker;
    final ProxyEvents events;
    final ProxyMetrics metrics;
    /** The timeouts read on every request, converted once (Duration.toNanos() showed up in profiles). */
    final long perTryNanos;
    final long requestNanos;
    final long clientIdleNanos;
    final long requestHeaderNanos;
    final AtomicInteger activeExchanges = new AtomicInteger();
    final AtomicInteger clientConnections = new AtomicInteger();
    private volatile boolean draining;

    ProxyContext(ProxyConfig config, BackendPool pool, UpstreamPools upstreams, RetryBudget budget,
            HedgeDelay hedgeDelay, Ticker ticker) {
        this.config = config;
        this.pool = pool;
        this.upstreams = upstreams;
        this.budget = budget;
        this.hedgeDelay = hedgeDelay;
        this.ticker = ticker;
        this.perTryNanos = config.timeouts().perTry().toNanos();
        this.requestNanos = config.timeouts().request().toNanos();
        this.clientIdleNanos = config.timeouts().clientIdle().toNanos();
        this.requestHeaderNanos = config.timeouts().requestHeader().toNanos();
        // The metrics read this context's counters at scrape time, never during construction.
        this.metrics = new ProxyMetrics(pool, budget, this);
        this.events = config.accessLog() ? new BothEvents(metrics, new AccessLog()) : metrics;
    }

    boolean isDraining() {
        return draining;
    }

    void startDraining() {
        draining = true;
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
    public int connections(io.healthyproxy.core.Backend backend) {
        return upstreams.openConnections(backend);
    }
}
