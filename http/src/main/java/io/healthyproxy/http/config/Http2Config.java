package io.healthyproxy.http.config;

import io.healthyproxy.core.internal.Require;

/**
 * HTTP/2 towards clients: {@code h2} over TLS (chosen by ALPN) and {@code h2c} with prior knowledge on a plain
 * listener (a connection that opens with the HTTP/2 preface). Each stream is one request through the same
 * request path as an HTTP/1.1 request, and goes to the backends over HTTP/1.1. An HTTP/1.1
 * {@code Upgrade: h2c} is never honoured (it is how h2c smuggling gets past a proxy's checks).
 *
 * <p>The header list a stream may send is {@link Limits#maxHeaderBytes()} plus HTTP/2's 32 bytes of overhead
 * per field for {@link Limits#maxHeaders()} fields; more gets 431. The flood defences (rapid reset, control
 * frames, empty frames, CONTINUATION) have fixed limits, chosen and explained in the proxy's HTTP/2 frontend.
 *
 * @param enabled              offer and accept HTTP/2 at all (default true)
 * @param cleartext            accept h2c with prior knowledge on a plain listener (default true: detecting
 *                             the preface costs nothing, and a client must ask for it explicitly)
 * @param maxConcurrentStreams streams one connection may have open at once (default 100, as HAProxy's and
 *                             Envoy's recommended value; NGINX says 128); more are refused with RST_STREAM
 * @param initialWindowBytes   the flow-control window of each stream the proxy receives on (default 65,535, the
 *                             protocol's own): what a client may send ahead on one stream before the proxy has
 *                             passed it on to a backend, which bounds the proxy's buffering per stream
 * @param maxFrameBytes        the largest frame payload the proxy accepts (default 16,384, the protocol's own)
 */
public record Http2Config(boolean enabled, boolean cleartext, int maxConcurrentStreams, int initialWindowBytes,
        int maxFrameBytes) {

    public static final Http2Config DEFAULTS = new Http2Config(true, true, 100, 65_535, 16_384);
    public static final Http2Config OFF = new Http2Config(false, false, 100, 65_535, 16_384);

    public Http2Config {
        Require.inRange("http2.maxConcurrentStreams", maxConcurrentStreams, 1, 10_000);
        Require.inRange("http2.initialWindowBytes", initialWindowBytes, 1024, Integer.MAX_VALUE);
        Require.inRange("http2.maxFrameBytes", maxFrameBytes, 16_384, 16_777_215);
    }

    /** Whether a plain listener looks for the h2c preface. */
    public boolean acceptsCleartext() {
        return enabled && cleartext;
    }
}
