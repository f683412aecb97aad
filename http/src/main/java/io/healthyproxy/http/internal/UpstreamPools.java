package io.healthyproxy.http.internal;

import io.healthyproxy.core.Backend;
import io.healthyproxy.core.time.Ticker;
import io.netty.channel.EventLoop;
import io.netty.util.concurrent.FastThreadLocal;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * Finds the {@link UpstreamPool} of a backend for the calling event loop. Each event loop thread keeps its
 * own map, so the lookup on the request path takes no lock.
 */
final class UpstreamPools {

    private final Map<Backend, InetSocketAddress> addresses;
    private final Ticker ticker;
    private final Duration connectTimeout;
    private final Duration idleTimeout;
    private final List<UpstreamPool> all = new CopyOnWriteArrayList<>();
    private final FastThreadLocal<Map<Backend, UpstreamPool>> perLoop = new FastThreadLocal<>() {
        @Override
        protected Map<Backend, UpstreamPool> initialValue() {
            return new IdentityHashMap<>();
        }
    };

    UpstreamPools(Map<Backend, InetSocketAddress> addresses, Ticker ticker, Duration connectTimeout,
            Duration idleTimeout) {
        this.addresses = Map.copyOf(addresses);
        this.ticker = ticker;
        this.connectTimeout = connectTimeout;
        this.idleTimeout = idleTimeout;
    }

    /** The pool for {@code backend} on {@code loop}; must be called on {@code loop}. */
    UpstreamPool pool(Backend backend, EventLoop loop) {
        return perLoop.get().computeIfAbsent(backend, b -> {
            UpstreamPool pool = new UpstreamPool(b, addresses.get(b), loop, ticker, connectTimeout, idleTimeout);
            all.add(pool);
            return pool;
        });
    }

    InetSocketAddress address(Backend backend) {
        return addresses.get(backend);
    }

    /** Connections open to {@code backend}, over every event loop (for status; racy but harmless). */
    int openConnections(Backend backend) {
        return all.stream().filter(p -> p.backend() == backend).mapToInt(UpstreamPool::openConnections).sum();
    }

    /** Closes every idle connection, each on its own loop. */
    void closeIdle() {
        for (UpstreamPool pool : all) {
            pool.closeIdleOnItsLoop();
        }
    }
}
