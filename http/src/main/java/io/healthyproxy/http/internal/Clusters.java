package io.healthyproxy.http.internal;

import io.healthyproxy.core.ActiveHealthChecker;
import io.healthyproxy.core.Backend;
import io.healthyproxy.core.BackendPool;
import io.healthyproxy.core.SlowBackendDetector;
import io.healthyproxy.core.retry.RetryBudget;
import io.healthyproxy.core.stats.RecentLatencies;
import io.healthyproxy.core.time.Jitter;
import io.healthyproxy.core.time.Scheduler;
import io.healthyproxy.core.time.Ticker;
import io.healthyproxy.http.ProxyClock;
import io.healthyproxy.http.ReloadSummary;
import io.healthyproxy.http.config.BackendConfig;
import io.healthyproxy.http.config.ClusterConfig;
import io.healthyproxy.http.config.DiscoveredBackends;
import io.healthyproxy.http.config.Limits;
import io.healthyproxy.http.config.ProxyConfig;
import io.healthyproxy.http.config.RouteConfig;
import io.healthyproxy.http.routing.RouteTable;
import io.netty.channel.EventLoopGroup;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Every cluster of the config in force, built and kept running, and changed by difference when a new config
 * is applied ({@link #apply}): for each cluster its backends (breakers, health, weights, slow start), the pool
 * that chooses among them, the connection pools, the retry budget and hedge delay, the active health checks and
 * the slowness comparison among its backends; and the route table that sends each request to one of them.
 *
 * <h2>What a new config keeps</h2>
 * A backend whose name, address and settings (breaker, health check, weight, slow start) are unchanged is the
 * same {@link Backend}: its circuit, health verdict, ejection and slow start go on, and so do its pooled
 * connections when the cluster's connection settings are unchanged. A new backend starts as
 * {@code startHealthy} says, ramping up with slow start when that is on. A removed backend takes no new
 * request; requests under way on it finish (they hold the old config), then its connections close. A
 * request is routed once, on the config in force when it arrived ({@link Routing}).
 *
 * <p>Thread-safe: {@link #apply} is serialised; what the request path reads is immutable.
 */
final class Clusters {

    private static final Logger LOG = LoggerFactory.getLogger(Clusters.class);

    /** One cluster and what keeps it informed; replaced whole when its config changes. */
    private static final class Running {
        final ClusterConfig config;
        final Cluster cluster;
        final UpstreamPools upstreams;
        final ActiveHealthChecker checker;
        final SlowBackendDetector slowness;
        final TransitionLog transitions;
        /** The backends by name, as in {@link #config}. */
        final Map<String, Backend> backends;
        volatile boolean retired;

        Running(ClusterConfig config, Cluster cluster, UpstreamPools upstreams, ActiveHealthChecker checker,
                SlowBackendDetector slowness, TransitionLog transitions, Map<String, Backend> backends) {
            this.config = config;
            this.cluster = cluster;
            this.upstreams = upstreams;
            this.checker = checker;
            this.slowness = slowness;
            this.transitions = transitions;
            this.backends = backends;
        }
    }

    private final ProxyClock clock;
    private final EventLoopGroup io;
    private final Timeline timeline;
    private final Limits limits;
    private final Scheduler scheduler;
    private final Routing initial;
    /** Finds the backends the config names in DNS; null when it names none (made when a config first does). */
    private Discovery discovery;
    /** Guarded by {@code this}. */
    private Map<String, Running> byName = new LinkedHashMap<>();
    /** The config in force. Guarded by {@code this}. */
    private ProxyConfig current;
    /** What each cluster's DNS entries stand for now, by cluster and entry name. Guarded by {@code this}. */
    private final Map<String, Map<DiscoveredBackends, List<BackendConfig>>> found = new LinkedHashMap<>();
    /** Where each new routing goes (the request path); set once, before any apply. */
    private Consumer<Routing> publish = r -> { };
    private boolean started;
    private boolean stopped;

    /** @param timeline where each cluster's transitions, health flips and ejections are kept for the admin API */
    Clusters(ProxyConfig config, ProxyClock clock, EventLoopGroup io, Timeline timeline) {
        this.clock = clock;
        this.io = io;
        this.timeline = timeline;
        this.limits = config.limits();
        this.scheduler = clock.scheduler(io.next());
        this.current = config;
        discover(config);
        for (ClusterConfig c : config.clusters().values()) {
            byName.put(c.name(), build(withFound(c), null));
        }
        this.initial = routing(config);
        watchDiscovered(config);
    }

    /** Sends each routing made after the initial one (a reload, a DNS answer that changed) to {@code sink}. */
    synchronized void publishTo(Consumer<Routing> sink) {
        this.publish = Objects.requireNonNull(sink, "sink");
    }

    /** The clusters and routes of the config the proxy started with. */
    Routing initial() {
        return initial;
    }

    // ---- building -------------------------------------------------------------------------------------

    /** Builds a cluster, keeping what it can of {@code old} (the same cluster under the config in force), if any. */
    private Running build(ClusterConfig c, Running old) {
        Ticker ticker = clock.ticker();
        TransitionLog transitions = old != null ? old.transitions : new TransitionLog(c.name(), timeline, ticker);
        UpstreamPools upstreams = old != null && old.upstreams.madeWith(c.timeouts().connect(), c.timeouts().backendIdle())
                ? old.upstreams : new UpstreamPools(Map.of(), clock, c.timeouts().connect(), c.timeouts().backendIdle());
        Map<String, Backend> backends = new LinkedHashMap<>();
        List<Backend> joining = new ArrayList<>();
        for (BackendConfig b : c.backends()) {
            Backend kept = old == null ? null : keptBackend(old, c, b);
            Backend backend = kept != null ? kept : newBackend(c, b, ticker, transitions);
            if (kept == null) {
                joining.add(backend);
            }
            backends.put(b.name(), backend);
            upstreams.add(backend, b.address().toSocketAddress());
        }
        List<Backend> staying = backends.values().stream().filter(b -> !joining.contains(b)).toList();
        BackendPool pool = new BackendPool(old == null ? backends.values() : staying,
                c.balancing().create(Jitter.threadLocalRandom()), c.whenNoneAdmits());
        if (old != null) {
            joining.forEach(pool::add);             // a backend joining a running cluster ramps up (slow start)
        }
        RetryBudget budget = old != null && sameBudget(old.config, c) ? old.cluster.budget()
                : new RetryBudget(c.retries().budgetRatio(), c.retries().budgetMinimum());
        HedgeDelay hedgeDelay = old != null && sameHedging(old.config, c) ? old.cluster.hedgeDelay()
                : new HedgeDelay(c.retries().hedging(), new RecentLatencies(Duration.ofSeconds(10), ticker),
                        c.timeouts().perTry(), ticker);
        Cluster cluster = new Cluster(c.name(), pool, upstreams, budget, hedgeDelay,
                ExchangePolicy.of(c.timeouts(), c.retries(), c.failureStatuses(), limits));
        ActiveHealthChecker checker = old != null && old.checker != null && old.config.healthCheck().equals(c.healthCheck())
                ? old.checker : newChecker(c, upstreams, ticker);
        SlowBackendDetector slowness = new SlowBackendDetector(c.slowness(), pool::backends, ticker, transitions);
        return new Running(c, cluster, upstreams, checker, slowness, transitions, backends);
    }

    private static Backend newBackend(ClusterConfig c, BackendConfig b, Ticker ticker, TransitionLog transitions) {
        Backend backend = Backend.builder(b.name()).weight(b.weight()).slowStart(c.slowStart())
                .breaker(c.breaker()).halfOpenOnHealthRecovery(c.halfOpenOnHealthRecovery())
                .healthCheck(c.healthCheck().schedule()).ticker(ticker).latencyWindow(c.slowness().window()).build();
        backend.breaker().addListener(transitions);
        backend.health().addListener(transitions);
        return backend;
    }

    /**
     * The running backend {@code b} is, if it is unchanged: same name, same address, and the same settings its
     * breaker, health tracker and share were built from.
     */
    private static Backend keptBackend(Running old, ClusterConfig c, BackendConfig b) {
        Backend backend = old.backends.get(b.name());
        BackendConfig was = old.config.backends().stream().filter(x -> x.name().equals(b.name())).findFirst()
                .orElse(null);
        if (backend == null || was == null || !was.equals(b)) {
            return null;
        }
        ClusterConfig o = old.config;
        boolean sameSettings = o.breaker().equals(c.breaker())
                && o.halfOpenOnHealthRecovery() == c.halfOpenOnHealthRecovery()
                && o.healthCheck().schedule().equals(c.healthCheck().schedule())
                && o.slowStart().equals(c.slowStart()) && o.slowness().window().equals(c.slowness().window());
        return sameSettings ? backend : null;
    }

    private ActiveHealthChecker newChecker(ClusterConfig c, UpstreamPools upstreams, Ticker ticker) {
        return c.healthCheck().enabled()
                ? new ActiveHealthChecker(c.healthCheck().schedule(),
                        new HttpProber(io, upstreams::address, c.healthCheck()), clock.scheduler(io.next()), ticker,
                        Jitter.threadLocalRandom())
                : null;
    }

    private static boolean sameBudget(ClusterConfig a, ClusterConfig b) {
        return a.retries().budgetRatio() == b.retries().budgetRatio()
                && a.retries().budgetMinimum() == b.retries().budgetMinimum();
    }

    private static boolean sameHedging(ClusterConfig a, ClusterConfig b) {
        return a.retries().hedging().equals(b.retries().hedging()) && a.timeouts().perTry().equals(b.timeouts().perTry());
    }

    /** The route table of {@code config} over the clusters built for it. */
    private Routing routing(ProxyConfig config) {
        Map<String, Running> current = byName;
        RouteTable<Route> routes = RouteTable.of(config.routes(), r -> route(current.get(r.cluster()), r));
        return new Routing(current.values().stream().map(r -> r.cluster).toList(), routes);
    }

    /** The route as the request path uses it: its cluster, and the route's own timeouts and retries over it. */
    private Route route(Running target, RouteConfig r) {
        return new Route(r.name(), target.cluster, ExchangePolicy.of(r.timeouts(), r.retries(),
                target.config.failureStatuses(), limits), r.rewrite(), r.requestHeaders());
    }

    // ---- running ----------------------------------------------------------------------------------------

    /** Starts the health checks and the slowness comparisons. */
    synchronized void start() {
        started = true;
        byName.values().forEach(this::startChecks);
    }

    private void startChecks(Running r) {
        if (r.checker != null) {
            r.cluster.pool().backends().forEach(r.checker::watch);  // watching one already watched changes nothing
        }
        if (r.config.slowness().enabled()) {
            judgeSlowness(r);
        }
    }

    private void judgeSlowness(Running r) {
        scheduler.schedule(r.config.slowness().interval(), () -> {
            if (!r.retired) {
                r.slowness.evaluate();
                judgeSlowness(r);
            }
        });
    }

    /**
     * Applies {@code next} by difference (see the class comment) and returns the routing to put in force, with
     * what changed. {@code next} must be valid (a {@link ProxyConfig} is, once built).
     */
    Applied apply(ProxyConfig next) {
        Objects.requireNonNull(next, "next");
        discover(next);                             // outside the lock: answers arrive on the loop that takes it
        synchronized (this) {
            return applyResolved(next);
        }
    }

    private Applied applyResolved(ProxyConfig next) {
        if (stopped) {
            throw new IllegalStateException("the proxy is stopping");
        }
        ReloadSummary.Builder summary = ReloadSummary.builder();
        Map<String, Running> updated = new LinkedHashMap<>();
        for (ClusterConfig c : next.clusters().values()) {
            Running old = byName.get(c.name());
            found.getOrDefault(c.name(), new LinkedHashMap<>()).keySet().retainAll(c.discovered());
            ClusterConfig effective = withFound(c);
            Running now = build(effective, old);
            updated.put(c.name(), now);
            if (old == null) {
                summary.clusterAdded(c.name());
            } else if (!old.config.equals(effective)) {
                summary.clusterChanged(c.name());
            }
            count(old, now, summary);
        }
        for (Running old : byName.values()) {
            Running now = updated.get(old.config.name());
            retire(old, now);
            if (now == null) {
                summary.clusterRemoved(old.config.name());
            }
        }
        byName = updated;
        current = next;
        found.keySet().retainAll(next.clusters().keySet());
        watchDiscovered(next);
        if (started) {
            updated.values().forEach(this::startChecks);
        }
        Routing routing = routing(next);
        publish.accept(routing);                    // under the lock: routings reach the request path in order
        return new Applied(routing, summary.routes(next.routes().size()).build());
    }

    /** A new routing, and what the new config changed. */
    record Applied(Routing routing, ReloadSummary summary) {
    }

    private static void count(Running old, Running now, ReloadSummary.Builder summary) {
        for (Map.Entry<String, Backend> e : now.backends.entrySet()) {
            boolean kept = old != null && old.backends.get(e.getKey()) == e.getValue();
            if (kept) {
                summary.backendKept();
            } else {
                summary.backendAdded(now.config.name() + "/" + e.getKey());
            }
        }
        if (old != null) {
            for (Map.Entry<String, Backend> e : old.backends.entrySet()) {
                if (now.backends.get(e.getKey()) != e.getValue()) {
                    summary.backendRemoved(old.config.name() + "/" + e.getKey());
                }
            }
        }
    }

    /** Winds down what of {@code old} its successor {@code now} (null: the cluster is gone) does not keep. */
    private static void retire(Running old, Running now) {
        old.retired = true;                          // its slowness loop ends; the successor runs its own
        if (old.checker != null && (now == null || now.checker != old.checker)) {
            old.checker.close();
        }
        if (now == null || now.upstreams != old.upstreams) {
            old.upstreams.retireAll();
        } else {
            for (Map.Entry<String, Backend> e : old.backends.entrySet()) {
                if (now.backends.get(e.getKey()) != e.getValue()) {
                    old.upstreams.retire(e.getValue());
                }
            }
        }
        if (old.checker != null && now != null && now.checker == old.checker) {
            for (Backend b : old.backends.values()) {
                if (!now.backends.containsValue(b)) {
                    old.checker.unwatch(b);
                }
            }
        }
    }

    // ---- backends found in DNS -------------------------------------------------------------------------

    /**
     * Resolves, and waits for, each DNS entry of {@code config} not yet resolved (at start, or new in a reload),
     * so that a cluster starts with the backends its names stand for. One that does not answer within the
     * discovery timeout starts empty and is asked again on its schedule.
     */
    private void discover(ProxyConfig config) {
        for (ClusterConfig c : config.clusters().values()) {
            for (DiscoveredBackends e : c.discovered()) {
                Discovery resolver;
                synchronized (this) {
                    if (found.getOrDefault(c.name(), Map.of()).containsKey(e)) {
                        continue;
                    }
                    resolver = discovery(config);
                }
                Optional<List<BackendConfig>> answer = resolver.resolveNow(c.name(), e, config.discovery().timeout());
                synchronized (this) {
                    answer.ifPresent(backends -> found.computeIfAbsent(c.name(), k -> new LinkedHashMap<>())
                            .putIfAbsent(e, backends));
                }
            }
        }
    }

    /** The resolver, made the first time a config names backends in DNS; guarded by {@code this}. */
    private Discovery discovery(ProxyConfig config) {
        if (discovery == null) {
            discovery = new Discovery(config.discovery(), io.next(), clock, this::rediscovered);
        }
        return discovery;
    }

    /** Keeps the resolver watching exactly the DNS entries of {@code config}; guarded by {@code this}. */
    private void watchDiscovered(ProxyConfig config) {
        if (discovery == null) {
            return;
        }
        for (ClusterConfig c : config.clusters().values()) {
            Map<DiscoveredBackends, List<BackendConfig>> known = found.getOrDefault(c.name(), Map.of());
            discovery.watch(c.name(), c.discovered(), e -> known.getOrDefault(e, List.of()));
        }
        byName.keySet().stream().filter(name -> !config.clusters().containsKey(name)).forEach(discovery::forget);
    }

    /** {@code c} with the backends its DNS entries stand for now after those it lists. */
    private ClusterConfig withFound(ClusterConfig c) {
        Map<DiscoveredBackends, List<BackendConfig>> answers = found.get(c.name());
        if (c.discovered().isEmpty() || answers == null || answers.isEmpty()) {
            return c;
        }
        List<BackendConfig> all = new ArrayList<>(c.backends());
        for (DiscoveredBackends e : c.discovered()) {
            all.addAll(answers.getOrDefault(e, List.of()));
        }
        return c.toBuilder().backends(all).build();
    }

    /**
     * A DNS entry's answer changed: its cluster is rebuilt over the new backends as a reload would rebuild it
     * (an address that stays keeps its backend), and the routing goes to the request path.
     */
    private synchronized void rediscovered(String cluster, DiscoveredBackends entry, List<BackendConfig> backends) {
        ClusterConfig c = current.clusters().get(cluster);
        if (stopped || c == null || !c.discovered().contains(entry)) {
            return;                                 // an answer for a config no longer in force
        }
        List<BackendConfig> before = found.computeIfAbsent(cluster, k -> new LinkedHashMap<>())
                .put(entry, backends);
        Running old = byName.get(cluster);
        Running now = build(withFound(c), old);
        ReloadSummary.Builder summary = ReloadSummary.builder();
        count(old, now, summary);
        retire(old, now);
        byName.put(cluster, now);
        if (started) {
            startChecks(now);
        }
        publish.accept(routing(current));
        ReloadSummary s = summary.build();
        LOG.info("cluster {}: {} now stands for {} backends (was {}){}{}", cluster, entry.query(), backends.size(),
                before == null ? 0 : before.size(), s.backendsAdded().isEmpty() ? "" : "; added " + s.backendsAdded(),
                s.backendsRemoved().isEmpty() ? "" : "; removed " + s.backendsRemoved());
    }

    /** How each DNS entry of {@code cluster} stands, by entry name: empty when it has none. */
    synchronized Map<String, Discovery.Status> discoveryStatus(String cluster) {
        return discovery == null ? Map.of() : discovery.status(cluster);
    }

    /** Closes every idle backend connection of every cluster (the proxy is draining). */
    synchronized void closeIdle() {
        byName.values().forEach(r -> r.upstreams.closeIdle());
    }

    /** Stops checking and comparing; no config is applied after this. */
    synchronized void stop() {
        stopped = true;
        if (discovery != null) {
            discovery.close();
        }
        for (Running r : byName.values()) {
            r.retired = true;
            if (r.checker != null) {
                r.checker.close();
            }
        }
    }
}
