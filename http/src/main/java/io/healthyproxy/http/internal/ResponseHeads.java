package io.healthyproxy.http.internal;

import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpVersion;

/**
 * The response head a client gets from a backend's: hop-by-hop headers dropped, and framing chosen for the
 * client's connection (the backend's chunking was between it and the proxy), and the request's
 * {@code X-Request-Id} ({@link RequestId}) in place of any the backend sent. The backend's head object is
 * rewritten in place and sent on: no copy per response.
 */
final class ResponseHeads {

    /** The head to send, and whether the client's connection must close after it. */
    record ForClient(HttpResponse head, boolean closeAfter) {
    }

    private ResponseHeads() {
    }

    /** Rewrites {@code upstream} for the client and returns it (with whether to close after it). */
    static ForClient forClient(HttpResponse upstream, ProxiedRequest request, boolean keepAlive) {
        HttpHeaders headers = upstream.headers();
        boolean hadLength = headers.contains(HttpHeaderNames.CONTENT_LENGTH);
        Headers.removeHopByHop(headers);
        headers.set(RequestId.HEADER, request.requestId());
        int status = upstream.status().code();
        boolean hasBody = !request.method().equals(HttpMethod.HEAD) && status >= 200 && status != 204 && status != 304;
        boolean closeAfter = !keepAlive;
        if (hasBody && !hadLength) {
            if (request.clientVersion().equals(HttpVersion.HTTP_1_0)) {
                closeAfter = true;          // HTTP/1.0 has no chunking: the body ends when the connection does
            } else {
                headers.set(HttpHeaderNames.TRANSFER_ENCODING, HttpHeaderValues.CHUNKED);
            }
        }
        if (closeAfter) {
            headers.set(HttpHeaderNames.CONNECTION, HttpHeaderValues.CLOSE);
        } else if (request.clientVersion().equals(HttpVersion.HTTP_1_0)) {
            headers.set(HttpHeaderNames.CONNECTION, HttpHeaderValues.KEEP_ALIVE);
        }
        upstream.setProtocolVersion(HttpVersion.HTTP_1_1);
        return new ForClient(upstream, closeAfter);
    }
}
