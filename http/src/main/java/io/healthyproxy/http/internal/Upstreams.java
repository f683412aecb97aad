package io.healthyproxy.http.internal;

import io.healthyproxy.core.Backend;
import io.netty.channel.EventLoop;
import java.net.InetSocketAddress;

/** Where an exchange finds the connections to a backend for the event loop it runs on. */
interface Upstreams {

    /** The connections to {@code backend} for {@code loop}; called on {@code loop}. */
    Upstream of(Backend backend, EventLoop loop);

    /** Where {@code backend} is reached, for status pages; null if unknown. */
    InetSocketAddress address(Backend backend);

    /** Connections open to {@code backend} over every event loop (for status; racy but harmless). */
    int openConnections(Backend backend);

    /** Closes every idle connection, each on its own loop (the proxy is draining). */
    void closeIdle();
}
