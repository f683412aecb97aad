package io.healthyproxy.http.internal;

import io.healthyproxy.core.time.Scheduler;
import io.healthyproxy.core.time.Ticker;
import io.healthyproxy.http.internal.tls.BackendTls;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.http2.DefaultHttp2PingFrame;
import io.netty.handler.codec.http2.DefaultHttp2WindowUpdateFrame;
import io.netty.handler.codec.http2.Http2CodecUtil;
import io.netty.handler.codec.http2.Http2GoAwayFrame;
import io.netty.handler.codec.http2.Http2PingFrame;
import io.netty.handler.codec.http2.Http2SettingsFrame;
import io.netty.handler.ssl.SslHandler;
import io.netty.handler.ssl.SslHandshakeCompletionEvent;
import io.netty.util.ReferenceCountUtil;
import io.netty.util.concurrent.Promise;
import java.net.ConnectException;
import java.net.InetSocketAddress;
import java.net.SocketTimeoutException;
import java.util.ArrayDeque;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLHandshakeException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One HTTP/2 connection to a backend, shared by the attempts of one event loop, each on a stream of its own
 * ({@link Http2UpstreamPool}); the handler at the end of the connection's pipeline, after Netty's frame codec
 * and multiplexer, where the frames about the connection as a whole arrive.
 *
 * <p>Its life is a {@link State}: {@code CONNECTING} until the backend's first SETTINGS (so its
 * {@code MAX_CONCURRENT_STREAMS} is known before any stream is opened), {@code READY} while it takes new
 * streams, {@code DRAINING} after the backend's GOAWAY (the streams it processed finish; those it did not are
 * told so by the multiplexer and fail as never sent), and {@code CLOSED}.
 *
 * <p>Implementation notes. A connection is seen dead by its channel closing; and one carrying streams that
 * has heard nothing for {@code pingAfterNanos} is sent a PING, and closed when no ACK comes within
 * {@code pingTimeoutNanos} (a backend that vanished without a FIN). The connection-level flow-control window
 * is raised to {@link #CONNECTION_WINDOW}: each stream's window stays 64 KiB, so a paused stream (its client
 * is slow) can hold back only its own share, never the other streams'. Confined to its event loop.
 */
final class Http2BackendConnection extends ChannelInboundHandlerAdapter {

    private static final Logger LOG = LoggerFactory.getLogger(Http2BackendConnection.class);

    /** The connection's life; {@link #canMoveTo} lists the legal moves. */
    enum State {
        CONNECTING, READY, DRAINING, CLOSED;

        boolean canMoveTo(State next) {
            return switch (this) {
                case CONNECTING -> next == READY || next == DRAINING || next == CLOSED;
                case READY -> next == DRAINING || next == CLOSED;
                case DRAINING -> next == CLOSED;
                case CLOSED -> false;
            };
        }
    }

    /**
     * Streams per connection the proxy opens at most, whatever the backend allows: RFC 9113 §6.5.2 asks servers
     * for at least 100, Netty's and most servers' default; beyond it another connection is opened, so one
     * connection's window and head-of-line blocking on a lost packet are shared by at most 100 requests.
     */
    static final int MAX_STREAMS = 100;
    /** The connection window: every stream's full 64 KiB window at once (6.25 MiB). */
    static final int CONNECTION_WINDOW = MAX_STREAMS * Http2CodecUtil.DEFAULT_WINDOW_SIZE;

    private final Http2UpstreamPool pool;
    private final Ticker ticker;
    private final Scheduler scheduler;
    private final long pingAfterNanos;
    private final long pingTimeoutNanos;
    /** Attempts waiting for this connection to be ready; only while {@link State#CONNECTING}. */
    final ArrayDeque<Promise<UpstreamConnection>> waiters = new ArrayDeque<>(2);
    private State state = State.CONNECTING;
    private Channel channel;
    private Throwable failure;
    /** Streams opened on it and not yet closed. */
    private int streams;
    private int maxStreams = MAX_STREAMS;
    private long lastHeard;
    private long idleSince;
    /** When the outstanding PING was sent, or 0 for none. */
    private long pingSentAt;

    Http2BackendConnection(Http2UpstreamPool pool, Ticker ticker, Scheduler scheduler, long pingAfterNanos,
            long pingTimeoutNanos) {
        this.pool = pool;
        this.ticker = ticker;
        this.scheduler = scheduler;
        this.pingAfterNanos = pingAfterNanos;
        this.pingTimeoutNanos = pingTimeoutNanos;
    }

    State state() {
        return state;
    }

    Channel channel() {
        return channel;
    }

    /** Whether a new stream may be opened on it now. */
    boolean takesStream() {
        return state == State.READY && streams < maxStreams;
    }

    /**
     * A handler to sit between the codec and the multiplexer, where a GOAWAY is heard before the streams it
     * refuses are told: an attempt retried from such a stream must find this connection draining already, or
     * it would be placed on it as a stream above the GOAWAY's last id, and reset.
     */
    ChannelInboundHandlerAdapter goAwayWatch() {
        return new ChannelInboundHandlerAdapter() {
            @Override
            public void channelRead(ChannelHandlerContext ctx, Object msg) {
                if (msg instanceof Http2GoAwayFrame goAway) {
                    goAway(goAway);
                }
                ctx.fireChannelRead(msg);
            }
        };
    }

    private void goAway(Http2GoAwayFrame goAway) {
        LOG.debug("backend {} sent GOAWAY (last stream {}, error {}): new streams go to a new connection",
                pool.backend().id(), goAway.lastStreamId(), goAway.errorCode());
        if (state == State.CONNECTING || state == State.READY) {
            moveTo(State.DRAINING);
            pool.draining(this);
        }
    }

    int streams() {
        return streams;
    }

    long idleSince() {
        return idleSince;
    }

    void streamOpened() {
        streams++;
    }

    /** A stream closed; returns whether the connection carries none now. */
    boolean streamClosed() {
        streams--;
        if (streams == 0) {
            idleSince = ticker.read();
            if (state == State.DRAINING) {
                channel.close();
            }
        }
        return streams == 0;
    }

    /** Why it could not be used, for the attempts that waited for it. */
    Throwable failure() {
        return failure != null ? failure : new ConnectException("the HTTP/2 connection closed before it was ready");
    }

    void close(Throwable why) {
        if (failure == null) {
            failure = why;
        }
        channel.close();
    }

    private void moveTo(State next) {
        if (!state.canMoveTo(next)) {
            throw new IllegalStateException("backend HTTP/2 connection: " + state + " -> " + next + " is not a legal move");
        }
        state = next;
    }

    // ---- the channel's events ---------------------------------------------------------------------------

    @Override
    public void handlerAdded(ChannelHandlerContext ctx) {
        channel = ctx.channel();
        lastHeard = ticker.read();
    }

    @Override
    public void channelActive(ChannelHandlerContext ctx) {
        // The codec has sent its preface and SETTINGS (queued behind the TLS handshake, if any): now the window.
        ctx.writeAndFlush(new DefaultHttp2WindowUpdateFrame(CONNECTION_WINDOW - Http2CodecUtil.DEFAULT_WINDOW_SIZE));
        ctx.fireChannelActive();
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        try {
            if (msg instanceof Http2SettingsFrame settings) {
                Long peerMax = settings.settings().maxConcurrentStreams();
                maxStreams = peerMax == null ? MAX_STREAMS : (int) Math.min(MAX_STREAMS, peerMax);
                if (state == State.CONNECTING) {
                    moveTo(State.READY);
                    idleSince = ticker.read();
                    watchLiveness();
                    pool.ready(this);
                }
            } else if (msg instanceof Http2GoAwayFrame) {
                // Draining since goAwayWatch heard it; its refused streams have been told by now.
                if (streams == 0) {
                    ctx.close();
                }
            } else if (msg instanceof Http2PingFrame ping && ping.ack()) {
                pingSentAt = 0;
            }
        } finally {
            ReferenceCountUtil.release(msg);
        }
    }

    @Override
    public void channelReadComplete(ChannelHandlerContext ctx) {
        lastHeard = ticker.read();              // the multiplexer passes every read's end on, streams' included
        ctx.fireChannelReadComplete();
    }

    @Override
    public void userEventTriggered(ChannelHandlerContext ctx, Object evt) {
        if (evt instanceof SslHandshakeCompletionEvent handshake) {
            BackendTls tls = pool.tls();
            if (!handshake.isSuccess()) {
                tls.logFailure(pool.backend().id(), pool.address(), handshake.cause());
                close(handshake.cause());
            } else {
                String agreed = ctx.pipeline().get(SslHandler.class).applicationProtocol();
                if (!tls.alpn().equals(agreed)) {
                    String why = "did not agree to " + tls.alpn() + " (ALPN: " + (agreed == null ? "none" : agreed) + ")";
                    InetSocketAddress a = pool.address();
                    LOG.warn("backend {} ({}:{}) {}: protocol h2 needs an HTTP/2 server", pool.backend().id(),
                            a.getHostString(), a.getPort(), why);
                    close(new SSLHandshakeException(why));
                }
            }
        }
        ctx.fireUserEventTriggered(evt);
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        state = State.CLOSED;                   // from any state: the socket is gone
        pool.closed(this);
        ctx.fireChannelInactive();
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        LOG.debug("backend {} HTTP/2 connection failed", pool.backend().id(), cause);
        close(cause);
    }

    // ---- liveness ---------------------------------------------------------------------------------------

    /** Checks, now and then, that a connection carrying streams still hears from its backend. */
    private void watchLiveness() {
        scheduler.schedule(Math.min(pingAfterNanos, pingTimeoutNanos), this::checkLiveness);
    }

    private void checkLiveness() {
        if (state == State.CLOSED) {
            return;
        }
        long now = ticker.read();
        if (pingSentAt != 0 && now - pingSentAt >= pingTimeoutNanos) {
            InetSocketAddress a = pool.address();
            LOG.warn("backend {} ({}:{}): no answer to a PING within {} ms; closing its HTTP/2 connection and its {} "
                    + "streams", pool.backend().id(), a.getHostString(), a.getPort(),
                    TimeUnit.NANOSECONDS.toMillis(pingTimeoutNanos), streams);
            close(new SocketTimeoutException("no PING answer"));
            return;
        }
        if (pingSentAt == 0 && streams > 0 && now - lastHeard >= pingAfterNanos) {
            pingSentAt = now;
            channel.writeAndFlush(new DefaultHttp2PingFrame(now));
        }
        watchLiveness();
    }
}
