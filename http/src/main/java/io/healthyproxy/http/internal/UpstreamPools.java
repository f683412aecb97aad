package io.healthyproxy.http.internal;

import io.healthyproxy.core.Backend;
import io.healthyproxy.http.ProxyClock;
import io.netty.channel.EventLoop;
import io.netty.util.concurrent.FastThreadLocal;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * Finds the pool of a backend for the calling event loop: an {@link UpstreamPool} of HTTP/1.1 connections, or
 * whatever {@link Factory} the cluster's protocol needs ({@link Http2UpstreamPool}). Each event loop thread
 * keeps its own map, so the lookup on the request path takes no lock.
 */
final class UpstreamPools implements Upstreams {

    /** Makes the pool of one backend for one event loop, on that loop. */
    @FunctionalInterface
    interface Factory {
        LoopUpstream create(Backend backend, InetSocketAddress address, EventLoop loop);
    }

    private final Map<Backend, InetSocketAddress> addresses;
    private final Factory factory;
    private final List<LoopUpstream> all = new CopyOnWriteArrayList<>();
    private final FastThreadLocal<Map<Backend, LoopUpstream>> perLoop = new FastThreadLocal<>() {
        @Override
        protected Map<Backend, LoopUpstream> initialValue() {
            return new IdentityHashMap<>();
        }
    };

    /** Plain HTTP/1.1 pools. */
    UpstreamPools(Map<Backend, InetSocketAddress> addresses, ProxyClock clock, Duration connectTimeout,
            Duration idleTimeout) {
        this(addresses, (backend, address, loop) -> new UpstreamPool(backend, address, loop, clock, connectTimeout,
                idleTimeout, null));
    }

    UpstreamPools(Map<Backend, InetSocketAddress> addresses, Factory factory) {
        this.addresses = Map.copyOf(addresses);
        this.factory = factory;
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

    @Override
    public int openConnections(Backend backend) {
        return all.stream().filter(p -> p.backend() == backend).mapToInt(LoopUpstream::openConnections).sum();
    }

    @Override
    public void closeIdle() {
        for (LoopUpstream pool : all) {
            pool.closeIdleOnItsLoop();
        }
    }
}
