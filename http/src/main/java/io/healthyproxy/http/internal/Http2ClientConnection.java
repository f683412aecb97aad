package io.healthyproxy.http.internal;

import io.healthyproxy.core.time.DeadlineTimer;
import io.netty.buffer.ByteBufUtil;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.http2.DefaultHttp2GoAwayFrame;
import io.netty.handler.codec.http2.Http2CodecUtil;
import io.netty.handler.codec.http2.Http2Error;
import io.netty.util.ReferenceCountUtil;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * An HTTP/2 client connection as a whole: what {@link ClientConnection} does for a connection in HTTP/1.1,
 * minus the requests themselves, which are each stream's ({@link ClientStream}). It counts towards
 * {@code maxClientConnections} (beyond it: GOAWAY and close), is closed with GOAWAY after {@code clientIdle}
 * without a stream, and drains on shutdown: GOAWAY at once (the client opens no new stream here), the streams
 * under way finish, then the connection closes (Netty's codec does the waiting, up to the shutdown grace).
 * Connection-level errors are the codec's: GOAWAY with the error, then close.
 *
 * <p>Sits last in the connection's pipeline, after the multiplexer and the {@code ControlFrameGuard}; what
 * connection-level frames reach it are dropped. Confined to the connection's event loop.
 */
final class Http2ClientConnection extends ChannelInboundHandlerAdapter {

    private static final Logger LOG = LoggerFactory.getLogger(Http2ClientConnection.class);

    private final ProxyContext proxy;
    private ChannelHandlerContext ctx;
    private DeadlineTimer timer;
    private int openStreams;
    /** When the last stream closed (ticker reading): the idle clock runs from here while no stream is open. */
    private long idleSince;
    private boolean draining;

    Http2ClientConnection(ProxyContext proxy) {
        this.proxy = proxy;
    }

    @Override
    public void handlerAdded(ChannelHandlerContext ctx) {
        this.ctx = ctx;
        this.timer = new DeadlineTimer(proxy.clock.scheduler(ctx.executor()), proxy.ticker, this::onTimer);
    }

    @Override
    public void channelActive(ChannelHandlerContext ctx) {
        if (proxy.clientConnected() > proxy.limits.maxClientConnections()) {
            goAway(Http2Error.NO_ERROR, "the proxy has too many client connections");
            return;
        }
        idleSince = proxy.ticker.read();
        timer.wakeBy(idleSince + proxy.clientIdleNanos);
        if (proxy.isDraining()) {
            drain();
        }
        ctx.fireChannelActive();
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        proxy.clientDisconnected();
        timer.stop();
        ctx.fireChannelInactive();
    }

    void streamOpened() {
        openStreams++;
    }

    void streamClosed() {
        if (--openStreams == 0) {
            idleSince = proxy.ticker.read();
            timer.wakeBy(idleSince + proxy.clientIdleNanos);
        }
    }

    int openStreams() {
        return openStreams;
    }

    private void onTimer() {
        if (openStreams > 0 || draining) {
            return;                                 // the next stream to close starts the idle clock again
        }
        long due = idleSince + proxy.clientIdleNanos;
        if (proxy.ticker.read() - due >= 0) {
            drain();
        } else {
            timer.wakeBy(due);
        }
    }

    /**
     * Closes gracefully: GOAWAY now with the last stream the proxy took, the streams under way finish, then the
     * connection closes. Called on shutdown and when the connection has been idle too long.
     */
    void drain() {
        if (!draining) {
            draining = true;
            ctx.channel().close();                  // the codec sends GOAWAY and waits for open streams
        }
    }

    private void goAway(Http2Error error, String why) {
        draining = true;
        ctx.writeAndFlush(new DefaultHttp2GoAwayFrame(error, ByteBufUtil.writeAscii(ctx.alloc(), why)))
                .addListener(ChannelFutureListener.CLOSE);
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        ReferenceCountUtil.release(msg);            // SETTINGS, PING, GOAWAY: the codec has acted on them
    }

    /**
     * A protocol error is the codec's to answer: it tells the next handlers first, then sends GOAWAY with the
     * error's code and closes. Closing here would send a GOAWAY saying NO_ERROR ahead of it.
     */
    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        LOG.debug("{}: {}", ctx.channel(), cause.toString(), cause);
        if (Http2CodecUtil.getEmbeddedHttp2Exception(cause) == null) {
            ctx.close();                            // an I/O error: the connection is gone anyway
        }
    }
}
