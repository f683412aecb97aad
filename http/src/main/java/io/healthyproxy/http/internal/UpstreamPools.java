package io.healthyproxy.http.internal;

import io.healthyproxy.core.Backend;
import io.healthyproxy.http.ProxyClock;
import io.healthyproxy.http.config.ClusterConfig;
import io.healthyproxy.http.config.TlsEngine;
import io.healthyproxy.http.config.UpstreamProtocol;
import io.healthyproxy.http.config.UpstreamTls;
import io.healthyproxy.http.internal.tls.BackendTls;
import io.netty.channel.EventLoop;
import io.netty.util.concurrent.FastThreadLocal;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * Finds the pool of a backend for the calling event loop: an {@link UpstreamPool} of keep-alive HTTP/1.1
 * connections, or an {@link Http2UpstreamPool} of multiplexed ones, as the cluster's protocol says, over TLS
 * when it has {@code tls}. Each event loop thread keeps its own map, so the lookup on the request path takes no
 * lock. Backends come and go with reloads and discovery ({@link #add}, {@link #retire}): a retired backend's
 * pools take no new connection, and close each one as its exchanges end.
 */
final class UpstreamPools implements Upstreams {

    /**
     * What a cluster's connections are made from; a reload keeps the pools (and their open connections) when
     * these are unchanged.
     */
    record Settings(UpstreamProtocol protocol, Optional<UpstreamTls> tls, TlsEngine engine, Duration connect,
            Duration idle) {

        static Settings of(ClusterConfig c, TlsEngine engine) {
            return new Settings(c.protocol(), c.tls(), engine, c.timeouts().connect(), c.timeouts().backendIdle());
        }
    }

    /** Makes the pool of one backend for one event loop, on that loop. */
    @FunctionalInterface
    private interface Factory {
        LoopUpstream create(Backend backend, InetSocketAddress address, EventLoop loop);
    }

    private final Settings settings;
    /** TLS to the backends, or null. */
    private final BackendTls tls;
    private final Factory factory;
    private final Map<Backend, InetSocketAddress> addresses = new ConcurrentHashMap<>();
    private final List<LoopUpstream> all = new CopyOnWriteArrayList<>();
    private final FastThreadLocal<Map<Backend, LoopUpstream>> perLoop = new FastThreadLocal<>() {
        @Override
        protected Map<Backend, LoopUpstream> initialValue() {
            return new IdentityHashMap<>();
        }
    };

    /** @throws IllegalArgumentException naming the field when a TLS file cannot be used */
    UpstreamPools(Settings settings, ProxyClock clock) {
        this.settings = settings;
        this.tls = settings.tls()
                .map(t -> BackendTls.of(t, settings.protocol() == UpstreamProtocol.H2, settings.engine()))
                .orElse(null);
        Duration connect = settings.connect();
        Duration idle = settings.idle();
        this.factory = settings.protocol().isHttp2()
                ? (backend, address, loop) -> new Http2UpstreamPool(backend, address, loop, clock, connect, idle, tls)
                : (backend, address, loop) -> new UpstreamPool(backend, address, loop, clock, connect, idle, tls);
    }

    @Override
    public Upstream of(Backend backend, EventLoop loop) {
        Map<Backend, LoopUpstream> mine = perLoop.get();
        LoopUpstream pool = mine.get(backend);        // no computeIfAbsent: its capturing lambda would allocate
        if (pool == null) {
            pool = factory.create(backend, addresses.get(backend), loop);
            mine.put(backend, pool);
            all.add(pool);
        }
        return pool;
    }

    @Override
    public InetSocketAddress address(Backend backend) {
        return addresses.get(backend);
    }

    /** TLS to the backends, for their health checks to speak it too; null if none. */
    BackendTls tls() {
        return tls;
    }

    UpstreamProtocol protocol() {
        return settings.protocol();
    }

    @Override
    public int openConnections(Backend backend) {
        return all.stream().filter(p -> p.backend() == backend).mapToInt(LoopUpstream::openConnections).sum();
    }

    /** Whether these pools were made from {@code settings}: a reload keeps them if so. */
    boolean madeWith(Settings settings) {
        return this.settings.equals(settings);
    }

    /** A backend joins (a reload, discovery). */
    void add(Backend backend, InetSocketAddress address) {
        addresses.put(backend, address);
    }

    /**
     * A backend leaves: no new connection to it; idle ones are closed now, busy ones when their exchange ends.
     * Exchanges already under way on it finish normally.
     */
    void retire(Backend backend) {
        for (LoopUpstream pool : all) {
            if (pool.backend() == backend) {
                all.remove(pool);
                pool.retireOnItsLoop(perLoop);
            }
        }
    }

    /** Retires every backend: the pools' cluster is gone, or replaced by pools made differently. */
    void retireAll() {
        for (LoopUpstream pool : all) {
            pool.retireOnItsLoop(perLoop);
        }
        all.clear();
    }

    @Override
    public void closeIdle() {
        for (LoopUpstream pool : all) {
            pool.closeIdleOnItsLoop();
        }
    }
}
