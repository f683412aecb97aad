package io.healthyproxy.http.internal;

import io.healthyproxy.http.internal.h1.RequestTarget;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.CompositeByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.handler.codec.http.DefaultFullHttpRequest;
import io.netty.handler.codec.http.DefaultHttpContent;
import io.netty.handler.codec.http.DefaultHttpRequest;
import io.netty.handler.codec.http.DefaultLastHttpContent;
import io.netty.handler.codec.http.EmptyHttpHeaders;
import io.netty.handler.codec.http.HttpContent;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.LastHttpContent;

/**
 * A client's request as the proxy forwards it: the head with this hop's header changes, and the body.
 *
 * <p>A body up to {@code maxBufferedBodyBytes} (or no body) is <em>buffered</em>: held until the exchange
 * ends, so that every attempt can send it again, and sent with a Content-Length. A larger body is
 * <em>streamed</em> to one backend as it arrives, and such a request can be repeated only if no backend was
 * reached. A body of known length is one or the other from the start; a chunked one is buffered until it
 * outgrows the limit and streamed from then on ({@link #startStreaming}), so that a small chunked upload can
 * be retried, and a malformed one is refused before any backend has seen its head. Confined to the client
 * connection's event loop; {@link #release()} frees the body.
 */
final class ProxiedRequest {

    private final HttpRequest clientHead;
    /** The client's headers, rewritten in place for the backend (no copy) and shared by every attempt. */
    private final HttpHeaders upstreamHeaders;
    private boolean streamed;
    private final boolean keepAlive;
    private final boolean hadLength;
    private final String clientAddress;
    private final ByteBufAllocator alloc;
    /** A buffered body; null until a piece arrives, so a GET allocates nothing for it. */
    private CompositeByteBuf body;
    private long bodyBytes;
    private boolean lengthSet;
    /** The protocol a tunnelled upgrade asks for (websocket), or null for an ordinary request. */
    private final String upgrade;
    /** The request target the backend gets: the client's, unless a route rewrote it. */
    private String upstreamTarget;
    /** Whether the client named a Host; if not (HTTP/1.0), each attempt names its backend's. */
    private final boolean hadHost;
    /** Trailer fields of a buffered chunked body, or null: such a body is then sent chunked, with them. */
    private HttpHeaders trailers;
    /** Its X-Request-Id: the client's, or one made for it ({@link RequestId}); the backend is sent it too. */
    private final String requestId;
    /** What the client spoke, for the access log: {@code HTTP/1.1}, {@code HTTP/1.0}, {@code HTTP/2}. */
    private final String protocol;
    /** The route that took it, once routed; null before. */
    private Route route;

    /** A request from a plain-HTTP/1.x client: see the main constructor. */
    ProxiedRequest(HttpRequest clientHead, String clientAddress, boolean streamed, ByteBufAllocator alloc) {
        this(clientHead, clientAddress, "http", clientHead.protocolVersion().text(), streamed, alloc);
    }

    /**
     * Takes over {@code clientHead}: its headers become the backend's.
     *
     * @param scheme   what the client spoke, {@code http} or {@code https} (TLS), for X-Forwarded-Proto
     * @param protocol the client's protocol as the access log names it: {@code HTTP/1.1}, {@code HTTP/2}
     */
    ProxiedRequest(HttpRequest clientHead, String clientAddress, String scheme, String protocol, boolean streamed,
            ByteBufAllocator alloc) {
        this.clientHead = clientHead;
        this.protocol = protocol;
        this.clientAddress = clientAddress;
        this.streamed = streamed;
        this.alloc = alloc;
        this.keepAlive = HttpUtil.isKeepAlive(clientHead);
        this.upstreamHeaders = clientHead.headers();
        this.hadLength = upstreamHeaders.contains(HttpHeaderNames.CONTENT_LENGTH);
        String target = clientHead.uri();
        if (!target.isEmpty() && target.charAt(0) != '/' && !target.equals("*")) {
            // Absolute-form (RequestChecks let no other through): RFC 9110 §7.2 has a proxy take the Host from
            // the target's authority and forward the origin-form.
            RequestTarget absolute = RequestTarget.parse(clientHead.method(), target);
            upstreamHeaders.set(HttpHeaderNames.HOST, absolute.authority());
            target = absolute.originForm();
        }
        this.upstreamTarget = target;
        this.hadHost = upstreamHeaders.contains(HttpHeaderNames.HOST);
        boolean chunked = HttpUtil.isTransferEncodingChunked(clientHead);
        this.upgrade = Headers.tunnelledUpgrade(clientHead);
        Headers.removeHopByHop(upstreamHeaders);
        if (upgrade != null) {
            // The one upgrade that is tunnelled: its hop-by-hop request goes on to this hop's backend.
            upstreamHeaders.set(HttpHeaderNames.CONNECTION, HttpHeaderValues.UPGRADE);
            upstreamHeaders.set(HttpHeaderNames.UPGRADE, upgrade);
        }
        // 100-continue was answered by this proxy already; the backend gets the body without asking.
        upstreamHeaders.remove(HttpHeaderNames.EXPECT);
        Headers.addForwarded(upstreamHeaders, clientAddress, scheme);
        this.requestId = RequestId.assign(upstreamHeaders);
        if (streamed && chunked) {
            upstreamHeaders.set(HttpHeaderNames.TRANSFER_ENCODING, HttpHeaderValues.CHUNKED);
        }
    }

    HttpMethod method() {
        return clientHead.method();
    }

    String uri() {
        return clientHead.uri();
    }

    /** The target as the backend gets it. */
    String upstreamTarget() {
        return upstreamTarget;
    }

    /** A route's rewrite of the target (before any attempt was made). */
    void rewriteTarget(String target) {
        upstreamTarget = target;
    }

    /** The headers as the backend gets them, for a route to edit before any attempt was made. */
    HttpHeaders upstreamHeaders() {
        return upstreamHeaders;
    }

    /** The client's Host, for routing; null if it sent none. */
    String host() {
        return hadHost ? upstreamHeaders.get(HttpHeaderNames.HOST) : null;
    }

    HttpVersion clientVersion() {
        return clientHead.protocolVersion();
    }

    String clientAddress() {
        return clientAddress;
    }

    /** Its X-Request-Id, as the backend and the client get it. */
    String requestId() {
        return requestId;
    }

    /** {@code HTTP/1.1}, {@code HTTP/1.0} or {@code HTTP/2}: what the client spoke. */
    String protocol() {
        return protocol;
    }

    /** Records the route that took it (for the access log), before the route's rewrites are applied. */
    void routedBy(Route route) {
        this.route = route;
    }

    /** The route that took it, or null if it was not routed (yet). */
    Route route() {
        return route;
    }

    boolean isStreamed() {
        return streamed;
    }

    /**
     * A buffered chunked body outgrew the buffer: the request is streamed from now on, and what was buffered
     * goes first ({@link #takeBufferedBody}).
     */
    void startStreaming() {
        streamed = true;
        upstreamHeaders.set(HttpHeaderNames.TRANSFER_ENCODING, HttpHeaderValues.CHUNKED);
    }

    /** What was buffered of a body before it was streamed, handed over once; null if nothing was. */
    HttpContent takeBufferedBody() {
        if (body == null) {
            return null;
        }
        HttpContent buffered = new DefaultHttpContent(body);
        body = null;
        return buffered;
    }

    boolean clientWantsKeepAlive() {
        return keepAlive;
    }

    /** Whether this is an upgrade the proxy tunnels after a {@code 101} (WebSocket). */
    boolean isUpgrade() {
        return upgrade != null;
    }

    boolean isIdempotent() {
        return Methods.isIdempotent(clientHead.method());
    }

    /** Whether any number of attempts can each send the whole request. */
    boolean isReplayable() {
        return !streamed;
    }

    long bodyBytes() {
        return bodyBytes;
    }

    /** Adds a piece of a buffered body (taking over the content's reference), and the trailer fields if any. */
    void append(HttpContent content) {
        if (content instanceof LastHttpContent last && !last.trailingHeaders().isEmpty()) {
            trailers = last.trailingHeaders();
        }
        ByteBuf bytes = content.content();
        bodyBytes += bytes.readableBytes();
        if (bytes.isReadable()) {
            if (body == null) {
                body = alloc.compositeBuffer();
            }
            body.addComponent(true, bytes);
        } else {
            bytes.release();
        }
    }

    /** Counts a piece of a streamed body. */
    void countStreamed(HttpContent content) {
        bodyBytes += content.content().readableBytes();
    }

    /**
     * Writes the complete request for one attempt to {@code channel} and flushes it: the buffered body as its
     * own view, with a Content-Length, or chunked when it came with trailer fields, which only chunking can
     * carry. Every attempt shares the one set of headers (the encoder only reads them); a request without a
     * Host (HTTP/1.0) gets {@code authority}, its backend's, as NGINX does.
     */
    void writeBufferedTo(Channel channel, String authority, ChannelFutureListener onFailure) {
        nameHost(authority);
        ByteBuf content = body != null ? body.retainedDuplicate() : Unpooled.EMPTY_BUFFER;
        if (trailers != null) {
            if (!lengthSet) {
                lengthSet = true;
                upstreamHeaders.remove(HttpHeaderNames.CONTENT_LENGTH);
                upstreamHeaders.set(HttpHeaderNames.TRANSFER_ENCODING, HttpHeaderValues.CHUNKED);
            }
            channel.write(new DefaultHttpRequest(HttpVersion.HTTP_1_1, clientHead.method(), upstreamTarget,
                    upstreamHeaders)).addListener(onFailure);
            channel.writeAndFlush(new DefaultLastHttpContent(content, trailers)).addListener(onFailure);
            return;
        }
        if (!lengthSet) {
            lengthSet = true;
            if (content.isReadable() || hadLength) {
                upstreamHeaders.setInt(HttpHeaderNames.CONTENT_LENGTH, content.readableBytes());
            }
        }
        channel.writeAndFlush(new DefaultFullHttpRequest(HttpVersion.HTTP_1_1, clientHead.method(), upstreamTarget,
                content, upstreamHeaders, EmptyHttpHeaders.INSTANCE)).addListener(onFailure);
    }

    /** The head of a streamed request; the body follows as the client sends it. */
    HttpRequest streamedHeadForUpstream(String authority) {
        nameHost(authority);
        return new DefaultHttpRequest(HttpVersion.HTTP_1_1, clientHead.method(), upstreamTarget, upstreamHeaders);
    }

    /** An HTTP/1.1 request must carry a Host (RFC 9112 §3.2): one the client left out is the backend's. */
    private void nameHost(String authority) {
        if (!hadHost) {
            upstreamHeaders.set(HttpHeaderNames.HOST, authority);
        }
    }

    void release() {
        if (body != null) {
            body.release();
            body = null;
        }
    }
}
