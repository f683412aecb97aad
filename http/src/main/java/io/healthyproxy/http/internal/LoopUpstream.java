package io.healthyproxy.http.internal;

import io.healthyproxy.core.Backend;

/**
 * The connections to one backend for one event loop, as {@link UpstreamPools} keeps them: keep-alive HTTP/1.1
 * connections ({@link UpstreamPool}) or multiplexed HTTP/2 ones ({@link Http2UpstreamPool}). Confined to its
 * loop, but for {@link #openConnections()} (read racily for status) and {@link #closeIdleOnItsLoop()}.
 */
interface LoopUpstream extends Upstream {

    Backend backend();

    /** Connections open to the backend from this loop. */
    int openConnections();

    /** Closes the idle connections, on the pool's loop (called from any thread: the proxy is draining). */
    void closeIdleOnItsLoop();
}
