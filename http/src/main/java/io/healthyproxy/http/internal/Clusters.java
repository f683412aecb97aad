package io.healthyproxy.http.internal;

import io.healthyproxy.core.Backend;
import io.healthyproxy.core.BackendGroup;
import io.healthyproxy.core.retry.RetryBudget;
import io.healthyproxy.core.stats.RecentLatencies;
import io.healthyproxy.core.time.Ticker;
import io.healthyproxy.http.ProxyClock;
import io.healthyproxy.http.config.BackendConfig;
import io.healthyproxy.http.config.ClusterConfig;
import io.healthyproxy.http.config.Limits;
import io.healthyproxy.http.config.ProxyConfig;
import io.healthyproxy.http.config.RouteConfig;
import io.healthyproxy.http.routing.RouteTable;
import io.netty.channel.EventLoopGroup;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Every cluster of a config, built and kept running: for each, its backends (breakers, health, weights, slow
 * start), the pool that chooses among them, the connection pools, the retry budget and hedge delay, the active
 * health checks and the slowness comparison among its backends; and the route table that sends each request
 * to one of them. The clusters share the proxy's event loops. Thread-safe.
 */
final class Clusters {

    /** One cluster and the group of backends that keeps it informed (checks, slowness). */
    private record Running(ClusterConfig config, Cluster cluster, BackendGroup group) {
    }

    private final Map<String, Running> byName = new LinkedHashMap<>();
    private final RouteTable<Route> routes;
    private final Limits limits;

    /** @param timeline where each cluster's transitions, health flips and ejections are kept for the admin API */
    Clusters(ProxyConfig config, ProxyClock clock, EventLoopGroup io, Timeline timeline) {
        this.limits = config.limits();
        for (ClusterConfig c : config.clusters().values()) {
            byName.put(c.name(), build(c, config.limits(), clock, io, timeline));
        }
        this.routes = RouteTable.of(config.routes(), this::route);
    }

    private static Running build(ClusterConfig c, Limits limits, ProxyClock clock, EventLoopGroup io,
            Timeline timeline) {
        Ticker ticker = clock.ticker();
        TransitionLog transitions = new TransitionLog(c.name(), timeline, ticker);
        Map<String, InetSocketAddress> byName = new LinkedHashMap<>();
        BackendGroup.Builder members = BackendGroup.builder().balancing(c.balancing()).whenNoneAdmits(c.whenNoneAdmits())
                .breaker(c.breaker()).halfOpenOnHealthRecovery(c.halfOpenOnHealthRecovery()).slowStart(c.slowStart())
                .slowness(c.slowness()).healthCheck(c.healthCheck().schedule()).scheduler(clock.scheduler(io.next()))
                .ticker(ticker).circuitListener(transitions).healthListener(transitions).ejectionListener(transitions);
        for (BackendConfig b : c.backends()) {
            members.backend(b.name(), b.weight());
            byName.put(b.name(), b.address().toSocketAddress());
        }
        if (c.healthCheck().enabled()) {
            members.healthCheck(c.healthCheck().schedule(), new HttpProber(io, byName, c.healthCheck()));
        }
        BackendGroup group = members.build();
        Map<Backend, InetSocketAddress> addresses = new LinkedHashMap<>();
        group.backends().forEach(backend -> addresses.put(backend, byName.get(backend.id())));
        UpstreamPools upstreams = new UpstreamPools(addresses, clock, c.timeouts().connect(), c.timeouts().backendIdle());
        HedgeDelay hedgeDelay = new HedgeDelay(c.retries().hedging(), new RecentLatencies(Duration.ofSeconds(10), ticker),
                c.timeouts().perTry(), ticker);
        Cluster cluster = new Cluster(c.name(), group.pool(), upstreams,
                new RetryBudget(c.retries().budgetRatio(), c.retries().budgetMinimum()), hedgeDelay,
                ExchangePolicy.of(c.timeouts(), c.retries(), c.failureStatuses(), limits));
        return new Running(c, cluster, group);
    }

    /** The route as the request path uses it: its cluster, and the route's own timeouts and retries over it. */
    private Route route(RouteConfig r) {
        Running target = byName.get(r.cluster());
        return new Route(r.name(), target.cluster, ExchangePolicy.of(r.timeouts(), r.retries(),
                target.config.failureStatuses(), limits), r.rewrite(), r.requestHeaders());
    }

    /** Starts the health checks and the slowness comparisons. */
    void start() {
        byName.values().forEach(r -> r.group.start());
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
        byName.values().forEach(r -> r.group.close());
    }
}
