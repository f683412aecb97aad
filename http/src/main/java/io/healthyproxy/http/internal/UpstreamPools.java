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
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * Finds the {@link UpstreamPool} of a backend for the calling event loop. Each event loop thread keeps its
 * own map, so the lookup on the request path takes no lock. Backends come and go with reloads and discovery
 * ({@link #add}, {@link #retire}): a retired backend's pools take no new connection, and close each one as its
 * exchange ends.
 */
final class UpstreamPools implements Upstreams {

    private final Map<Backend, InetSocketAddress> addresses;
    private final ProxyClock clock;
    private final Duration connectTimeout;
    private final Duration idleTimeout;
    private final List<UpstreamPool> all = new CopyOnWriteArrayList<>();
    private final FastThreadLocal<Map<Backend, UpstreamPool>> perLoop = new FastThreadLocal<>() {
        @Override
        protected Map<Backend, UpstreamPool> initialValue() {
            return new IdentityHashMap<>();
        }
    };

    UpstreamPools(Map<Backend, InetSocketAddress> addresses, ProxyClock clock, Duration connectTimeout,
            Duration idleTimeout) {
        this.addresses = new ConcurrentHashMap<>(addresses);
        this.clock = clock;
        this.connectTimeout = connectTimeout;
        this.idleTimeout = idleTimeout;
    }

    @Override
    public Upstream of(Backend backend, EventLoop loop) {
        Map<Backend, UpstreamPool> mine = perLoop.get();
        UpstreamPool pool = mine.get(backend);        // no computeIfAbsent: its capturing lambda would allocate
        if (pool == null) {
            pool = new UpstreamPool(backend, addresses.get(backend), loop, clock, connectTimeout, idleTimeout);
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
        return all.stream().filter(p -> p.backend() == backend).mapToInt(UpstreamPool::openConnections).sum();
    }

    /** Whether these pools were made with {@code connect} and {@code idle}: a reload keeps them if so. */
    boolean madeWith(Duration connect, Duration idle) {
        return connectTimeout.equals(connect) && idleTimeout.equals(idle);
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
        for (UpstreamPool pool : all) {
            if (pool.backend() == backend) {
                all.remove(pool);
                pool.retireOnItsLoop(perLoop);
            }
        }
    }

    /** Retires every backend: the pools' cluster is gone, or replaced by pools made differently. */
    void retireAll() {
        for (UpstreamPool pool : all) {
            pool.retireOnItsLoop(perLoop);
        }
        all.clear();
    }

    @Override
    public void closeIdle() {
        for (UpstreamPool pool : all) {
            pool.closeIdleOnItsLoop();
        }
    }
}
