package io.healthyproxy.http.internal.h2;

import io.healthyproxy.core.time.Scheduler;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelPipeline;
import io.netty.handler.codec.http2.Http2CodecUtil;
import io.netty.handler.ssl.ApplicationProtocolNames;
import io.netty.handler.ssl.SslHandler;
import io.netty.handler.ssl.SslHandshakeCompletionEvent;
import io.netty.util.ReferenceCountUtil;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Decides which HTTP a new client connection speaks, installs that protocol's handlers behind itself, and
 * leaves. Over TLS the client's ALPN choice decides ({@code h2}, else HTTP/1.1); on a plain listener a
 * connection that opens with the HTTP/2 preface ({@code PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n}, "prior
 * knowledge") is h2c, anything else HTTP/1.1. The installed handlers see the connection become active then,
 * with the bytes read so far, as if they had been there from the start.
 *
 * <p>A connection must decide within its deadline — the TLS handshake done, or a first byte sent — or is
 * closed: that is the slowloris limit before any HTTP handler exists. Nothing is decided by an HTTP/1.1
 * {@code Upgrade: h2c}: such a request goes to the HTTP/1.1 handlers, which refuse the upgrade. Confined to
 * the connection's event loop.
 */
public final class ProtocolSwitch extends ChannelInboundHandlerAdapter {

    private static final Logger LOG = LoggerFactory.getLogger(ProtocolSwitch.class);

    /** What installs each protocol's handlers at the end of a pipeline. */
    public interface Protocols {
        void http1(ChannelPipeline pipeline);

        void http2(ChannelPipeline pipeline);
    }

    private static final ByteBuf PREFACE = Http2CodecUtil.connectionPrefaceBuf();

    private final boolean tls;
    private final boolean cleartextHttp2;
    private final Protocols protocols;
    private final Scheduler scheduler;
    private final long deadlineNanos;
    private Scheduler.Cancellable timeout;
    private ByteBuf received;
    private boolean decided;

    /**
     * @param tls            a TLS handler is ahead of this one: wait for its handshake and ALPN
     * @param cleartextHttp2 on a plain connection, look for the h2c preface
     * @param scheduler      runs on the connection's event loop
     * @param deadlineNanos  how long the connection has to decide
     */
    public ProtocolSwitch(boolean tls, boolean cleartextHttp2, Protocols protocols, Scheduler scheduler,
            long deadlineNanos) {
        this.tls = tls;
        this.cleartextHttp2 = cleartextHttp2;
        this.protocols = protocols;
        this.scheduler = scheduler;
        this.deadlineNanos = deadlineNanos;
    }

    /** The connection becomes active for the protocol's handlers only once it is decided. */
    @Override
    public void channelActive(ChannelHandlerContext ctx) {
        timeout = scheduler.schedule(deadlineNanos, () -> {
            if (!decided) {
                ctx.close();
            }
        });
        ctx.read();
    }

    @Override
    public void userEventTriggered(ChannelHandlerContext ctx, Object event) {
        if (tls && event instanceof SslHandshakeCompletionEvent handshake && !decided) {
            if (!handshake.isSuccess()) {
                ctx.close();                        // a failed handshake says nothing an HTTP handler could answer
                return;
            }
            SslHandler ssl = ctx.pipeline().get(SslHandler.class);
            String protocol = ssl == null ? null : ssl.applicationProtocol();
            decide(ctx, ApplicationProtocolNames.HTTP_2.equals(protocol));
            return;
        }
        ctx.fireUserEventTriggered(event);
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (decided || tls || !(msg instanceof ByteBuf bytes)) {
            ctx.fireChannelRead(msg);               // with TLS, nothing is read here before the handshake ends
            return;
        }
        received = received == null ? bytes : ctx.alloc().compositeBuffer().addComponents(true, received, bytes);
        int compared = Math.min(received.readableBytes(), PREFACE.readableBytes());
        boolean prefaceSoFar = cleartextHttp2 && ByteBufUtil.equals(received, received.readerIndex(), PREFACE, 0, compared);
        if (prefaceSoFar && compared < PREFACE.readableBytes()) {
            ctx.read();                             // could still be the preface: wait for the rest of it
            return;
        }
        decide(ctx, prefaceSoFar);
    }

    private void decide(ChannelHandlerContext ctx, boolean http2) {
        decided = true;
        if (timeout != null) {
            timeout.cancel();
        }
        if (http2) {
            protocols.http2(ctx.pipeline());
        } else {
            protocols.http1(ctx.pipeline());
        }
        ctx.fireChannelActive();
        if (received != null) {
            ByteBuf bytes = received;
            received = null;
            ctx.fireChannelRead(bytes);
            ctx.fireChannelReadComplete();
        }
        ctx.pipeline().remove(this);
    }

    @Override
    public void channelReadComplete(ChannelHandlerContext ctx) {
        if (decided) {
            ctx.fireChannelReadComplete();
        }
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        if (timeout != null) {
            timeout.cancel();
        }
        ReferenceCountUtil.release(received);
        received = null;
        if (decided) {
            ctx.fireChannelInactive();
        }
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        LOG.debug("{}: {}", ctx.channel(), cause.toString(), cause);
        ctx.close();                                // a broken handshake or reset before any protocol was chosen
    }
}
