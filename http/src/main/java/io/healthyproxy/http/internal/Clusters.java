package io.healthyproxy.http.internal;

import io.healthyproxy.core.ActiveHealthChecker;
import io.healthyproxy.core.Backend;
import io.healthyproxy.core.BackendPool;
import io.healthyproxy.core.Prober;
import io.healthyproxy.core.SlowBackendDetector;
import io.healthyproxy.core.retry.RetryBudget;
import io.healthyproxy.core.stats.RecentLatencies;
import io.healthyproxy.core.time.Jitter;
import io.healthyproxy.core.time.Scheduler;
import io.healthyproxy.core.time.Ticker;
import io.healthyproxy.http.ProxyClock;
import io.healthyproxy.http.config.BackendConfig;
import io.healthyproxy.http.config.ClusterConfig;
import io.healthyproxy.http.config.Limits;
import io.healthyproxy.http.config.ProxyConfig;
import io.healthyproxy.http.config.RouteConfig;
import io.healthyproxy.http.config.TlsConfig;
import io.healthyproxy.http.config.TlsEngine;
import io.healthyproxy.http.config.UpstreamProtocol;
import io.healthyproxy.http.internal.tls.BackendTls;
import io.healthyproxy.http.routing.RouteTable;
import io.netty.channel.EventLoopGroup;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Every cluster of a config, built and kept running: for each, its backends (breakers, health, weights, slow
 * start), the pool that chooses among them, the connection pools, the retry budget and hedge delay, the active
 * health checks and the slowness comparison among its backends; and the route table that sends each request
 * to one of them. A cluster's protocol chooses its connections: keep-alive HTTP/1.1 ({@link UpstreamPool}) or
 * multiplexed HTTP/2 ({@link Http2UpstreamPool}), over TLS when it has {@code tls} ({@link BackendTls}, with the
 * listener's TLS engine); its checks speak the same protocol. The clusters share the proxy's event loops.
 * Thread-safe.
 */
final class Clusters {

    /** One cluster and what keeps it informed. */
    private record Running(ClusterConfig config, Cluster cluster, ActiveHealthChecker checker,
            SlowBackendDetector slowness, Duration slownessInterval) {
    }

    private final Map<String, Running> byName = new LinkedHashMap<>();
    private final RouteTable<Route> routes;
    private final Limits limits;
    private final Scheduler scheduler;
    private final AtomicBoolean stopped = new AtomicBoolean();

    /** @param timeline where each cluster's transitions, health flips and ejections are kept for the admin API */
    Clusters(ProxyConfig config, ProxyClock clock, EventLoopGroup io, Timeline timeline) {
        this.limits = config.limits();
        this.scheduler = clock.scheduler(io.next());
        TlsEngine engine = config.tls().map(TlsConfig::engine).orElse(TlsEngine.AUTO);
        for (ClusterConfig c : config.clusters().values()) {
            byName.put(c.name(), build(c, config.limits(), clock, io, timeline, engine));
        }
        this.routes = RouteTable.of(config.routes(), this::route);
    }

    private static Running build(ClusterConfig c, Limits limits, ProxyClock clock, EventLoopGroup io,
            Timeline timeline, TlsEngine engine) {
        Ticker ticker = clock.ticker();
        TransitionLog transitions = new TransitionLog(c.name(), timeline, ticker);
        Map<Backend, InetSocketAddress> addresses = new LinkedHashMap<>();
        List<Backend> backends = new ArrayList<>();
        for (BackendConfig b : c.backends()) {
            Backend backend = Backend.builder(b.name()).weight(b.weight()).slowStart(c.slowStart())
                    .breaker(c.breaker()).healthCheck(c.healthCheck().schedule()).ticker(ticker)
                    .latencyWindow(c.slowness().window()).build();
            backend.breaker().addListener(transitions);
            backend.health().addListener(transitions);
            backends.add(backend);
            addresses.put(backend, b.address().toSocketAddress());
        }
        BackendPool pool = new BackendPool(backends, c.balancing().create(Jitter.threadLocalRandom()),
                c.whenNoneAdmits());
        BackendTls tls = c.tls().map(t -> BackendTls.of(t, c.protocol() == UpstreamProtocol.H2, engine)).orElse(null);
        Duration connect = c.timeouts().connect();
        Duration idle = c.timeouts().backendIdle();
        UpstreamPools upstreams = new UpstreamPools(addresses, c.protocol().isHttp2()
                ? (backend, address, loop) -> new Http2UpstreamPool(backend, address, loop, clock, connect, idle, tls)
                : (backend, address, loop) -> new UpstreamPool(backend, address, loop, clock, connect, idle, tls));
        HedgeDelay hedgeDelay = new HedgeDelay(c.retries().hedging(), new RecentLatencies(Duration.ofSeconds(10), ticker),
                c.timeouts().perTry(), ticker);
        Cluster cluster = new Cluster(c.name(), pool, upstreams,
                new RetryBudget(c.retries().budgetRatio(), c.retries().budgetMinimum()), hedgeDelay,
                ExchangePolicy.of(c.timeouts(), c.retries(), c.failureStatuses(), limits, c.grpc()));
        Prober prober = c.protocol().isHttp2()
                ? new Http2Prober(io, addresses, c.healthCheck(), tls)
                : new HttpProber(io, addresses, c.healthCheck(), tls);
        ActiveHealthChecker checker = c.healthCheck().enabled()
                ? new ActiveHealthChecker(c.healthCheck().schedule(), prober, clock.scheduler(io.next()), ticker,
                        Jitter.threadLocalRandom())
                : null;
        SlowBackendDetector slowness = new SlowBackendDetector(c.slowness(), pool::backends, ticker, transitions);
        return new Running(c, cluster, checker, slowness, c.slowness().enabled() ? c.slowness().interval() : null);
    }

    /** The route as the request path uses it: its cluster, and the route's own timeouts and retries over it. */
    private Route route(RouteConfig r) {
        Running target = byName.get(r.cluster());
        return new Route(r.name(), target.cluster, ExchangePolicy.of(r.timeouts(), r.retries(),
                target.config.failureStatuses(), limits, target.config.grpc()), r.rewrite(), r.requestHeaders());
    }

    /** Starts the health checks and the slowness comparisons. */
    void start() {
        for (Running r : byName.values()) {
            if (r.checker != null) {
                r.cluster.pool().backends().forEach(r.checker::watch);
            }
            if (r.slownessInterval != null) {
                judgeSlowness(r);
            }
        }
    }

    private void judgeSlowness(Running r) {
        scheduler.schedule(r.slownessInterval, () -> {
            if (!stopped.get()) {
                r.slowness.evaluate();
                judgeSlowness(r);
            }
        });
    }

    List<Cluster> clusters() {
        return byName.values().stream().map(Running::cluster).toList();
    }

    RouteTable<Route> routes() {
        return routes;
    }

    /** Closes every idle backend connection of every cluster (the proxy is draining). */
    void closeIdle() {
        byName.values().forEach(r -> r.cluster.upstreams().closeIdle());
    }

    /** Stops checking and comparing. */
    void stop() {
        stopped.set(true);
        for (Running r : byName.values()) {
            if (r.checker != null) {
                r.checker.close();
            }
        }
    }
}
