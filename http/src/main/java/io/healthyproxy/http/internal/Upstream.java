package io.healthyproxy.http.internal;

import io.netty.util.concurrent.Future;

/**
 * Connections to one backend, as an {@link Attempt} uses them: {@link UpstreamPool} over real sockets, a fake
 * of embedded channels in unit tests. Confined to one event loop.
 */
interface Upstream {

    /** A connection ready for a request: an idle one if any, else a new one. */
    Future<UpstreamConnection> acquire();

    /** Gives back a connection whose exchange ended cleanly, to be reused. */
    void release(UpstreamConnection connection);

    /** A connection's channel closed, for whatever reason. */
    void closed(UpstreamConnection connection);

    /** The backend's {@code host:port}, for a request that names no Host of its own. */
    String authority();

    /**
     * Whether a connection is an HTTP/2 stream: the request then carries {@code te: trailers} when the client
     * sent it (gRPC servers require it; on HTTP/1.1 it is hop-by-hop and stays on the client's hop).
     */
    default boolean speaksHttp2() {
        return false;
    }
}
