package io.healthyproxy.http.internal;

import io.healthyproxy.core.Backend;
import io.netty.util.concurrent.FastThreadLocal;
import java.util.Map;

/**
 * The connections to one backend for one event loop, as {@link UpstreamPools} keeps them: keep-alive HTTP/1.1
 * connections ({@link UpstreamPool}) or multiplexed HTTP/2 ones ({@link Http2UpstreamPool}). Confined to its
 * loop, but for {@link #openConnections()} (read racily for status) and the two {@code OnItsLoop} methods.
 */
interface LoopUpstream extends Upstream {

    Backend backend();

    /** Connections open to the backend from this loop. */
    int openConnections();

    /** Closes the idle connections, on the pool's loop (called from any thread: the proxy is draining). */
    void closeIdleOnItsLoop();

    /**
     * Retires the pool, on its loop (called from any thread: a reload removed the backend): it leaves the loop's
     * {@code lookup}, its idle connections close now and busy ones when their exchanges end.
     */
    void retireOnItsLoop(FastThreadLocal<Map<Backend, LoopUpstream>> lookup);
}
