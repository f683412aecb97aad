package io.healthyproxy.http.internal;

import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.http.HttpObject;
import io.netty.handler.codec.http2.Http2Error;
import io.netty.handler.codec.http2.Http2GoAwayFrame;
import io.netty.handler.codec.http2.Http2ResetFrame;
import io.netty.util.ReferenceCountUtil;

/**
 * One connection to a backend, and the handler at the end of its pipeline. Between requests it sits in its
 * {@link Upstream} with one read pending, so that a backend closing it is noticed at once and anything
 * it sends unasked gets it closed. During a request it reports every event to the {@link Attempt} using it.
 * On HTTP/2 it is one stream ({@link Http2UpstreamPool}), used once; the backend saying it never processed the
 * stream (a GOAWAY below its id, or RST_STREAM with REFUSED_STREAM, RFC 9113 §8.7) is reported as such.
 * Confined to its event loop.
 */
final class UpstreamConnection extends ChannelInboundHandlerAdapter {

    private final Upstream owner;
    private Channel channel;
    private Attempt attempt;
    private long idleSince;

    UpstreamConnection(Upstream owner) {
        this.owner = owner;
    }

    Channel channel() {
        return channel;
    }

    /** Hands the connection to {@code attempt}; every response event goes to it until {@link #unbind()}. */
    void bind(Attempt attempt) {
        this.attempt = attempt;
    }

    void unbind() {
        this.attempt = null;
    }

    long idleSince() {
        return idleSince;
    }

    void markIdle(long now) {
        idleSince = now;
        channel.read();     // while idle, a read stays pending: a close by the backend is seen immediately
    }

    boolean isActive() {
        return channel.isActive();
    }

    void close() {
        attempt = null;
        channel.close();
    }

    @Override
    public void handlerAdded(ChannelHandlerContext ctx) {
        channel = ctx.channel();
        channel.closeFuture().addListener(f -> owner.closed(this));
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        Attempt current = attempt;
        if (current == null) {
            // A backend talking while idle is a protocol error (or a late response): never reuse it.
            ReferenceCountUtil.release(msg);
            ctx.close();
            return;
        }
        current.onResponseObject((HttpObject) msg);
    }

    @Override
    public void channelReadComplete(ChannelHandlerContext ctx) {
        Attempt current = attempt;
        if (current != null) {
            current.onReadComplete();
        }
    }

    @Override
    public void userEventTriggered(ChannelHandlerContext ctx, Object evt) {
        boolean refused = evt instanceof Http2GoAwayFrame
                || evt instanceof Http2ResetFrame reset && reset.errorCode() == Http2Error.REFUSED_STREAM.code();
        ReferenceCountUtil.release(evt);        // the multiplexer hands each stream its own duplicate of a GOAWAY
        Attempt current = attempt;
        if (refused && current != null) {
            current.onRefused();
        }
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        Attempt current = attempt;
        attempt = null;
        if (current != null) {
            current.onConnectionLost();
        }
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        Attempt current = attempt;
        attempt = null;
        ctx.close();
        if (current != null) {
            current.onConnectionLost();
        }
    }
}
