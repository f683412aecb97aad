package io.healthyproxy.http.internal;

import io.healthyproxy.core.Backend;
import io.healthyproxy.core.time.Scheduler;
import io.healthyproxy.core.time.Ticker;
import io.healthyproxy.http.ProxyClock;
import io.healthyproxy.http.internal.h1.DecoderLimits;
import io.healthyproxy.http.internal.tls.BackendTls;
import io.netty.bootstrap.Bootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.ConnectTimeoutException;
import io.netty.channel.EventLoop;
import io.netty.channel.socket.SocketChannel;
import io.netty.handler.codec.http2.Http2FrameCodec;
import io.netty.handler.codec.http2.Http2FrameCodecBuilder;
import io.netty.handler.codec.http2.Http2MultiplexHandler;
import io.netty.handler.codec.http2.Http2Settings;
import io.netty.handler.codec.http2.Http2StreamChannel;
import io.netty.handler.codec.http2.Http2StreamChannelBootstrap;
import io.netty.handler.codec.http2.Http2StreamFrameToHttpObjectCodec;
import io.netty.util.concurrent.FastThreadLocal;
import io.netty.util.concurrent.Future;
import io.netty.util.concurrent.Promise;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * HTTP/2 connections to one backend, for one event loop: each attempt is one stream, and the streams share a
 * small number of connections — one, while its streams stay below the backend's {@code MAX_CONCURRENT_STREAMS}
 * and {@link Http2BackendConnection#MAX_STREAMS}; another is opened when they reach it. Each stream is a Netty
 * child channel with auto-read off and {@link Http2StreamFrameToHttpObjectCodec} on it, ended by an
 * {@link UpstreamConnection}: the {@link Attempt} on it sees the same HTTP objects, the same events and the same
 * read-when-asked flow as on an HTTP/1.1 connection, so a slow client pauses the backend's stream (its window is
 * returned only as the attempt reads) without touching the other streams.
 *
 * <ul>
 *   <li>A backend's GOAWAY: its connection takes no new stream (new ones go to a new connection) and closes once
 *       its streams end; those above the GOAWAY's last stream id fail as never sent ({@link AttemptFailure#REFUSED}).</li>
 *   <li>A connection whose channel closes, or that stops answering PINGs, is dropped and its streams fail;
 *       the next attempt opens a new one.</li>
 *   <li>A connection with no stream for {@code backendIdle} is closed (GOAWAY first), as idle HTTP/1.1 ones are.</li>
 *   <li>A retired pool (its backend left the cluster) closes each connection once its last stream ends.</li>
 * </ul>
 *
 * <p>Confined to its event loop; every method must be called on it.
 */
final class Http2UpstreamPool implements LoopUpstream {

    /**
     * PING a connection carrying streams after this much silence (5 min): gRPC servers' own keep-alive policy
     * (grpc-java's {@code permitKeepAliveTime}) accepts a ping from a client this often, and answers more
     * frequent ones with GOAWAY. A silent stream is usually given up on sooner by {@code responseIdle}.
     */
    static final Duration PING_AFTER = Duration.ofMinutes(5);
    /** A PING not answered within this (10 s) means the backend is gone. */
    static final Duration PING_TIMEOUT = Duration.ofSeconds(10);

    /** Refuses server push (disabled in our SETTINGS, so only a broken server would try). */
    @ChannelHandler.Sharable
    private static final class RefusePush extends ChannelInboundHandlerAdapter {
        static final RefusePush INSTANCE = new RefusePush();

        @Override
        public void handlerAdded(ChannelHandlerContext ctx) {
            ctx.close();
        }
    }

    private final Backend backend;
    private final InetSocketAddress address;
    private final String authority;
    private final EventLoop loop;
    private final Ticker ticker;
    private final Scheduler scheduler;
    private final long connectNanos;
    private final long idleNanos;
    private final long pingAfterNanos;
    private final long pingTimeoutNanos;
    /** TLS for {@code h2}, or null for {@code h2c}. */
    private final BackendTls tls;
    private final Bootstrap bootstrap;
    private final List<Http2BackendConnection> connections = new ArrayList<>(2);
    private boolean sweeping;
    /** The backend left the cluster: connections close as their last streams end, none is opened. */
    private boolean retired;

    Http2UpstreamPool(Backend backend, InetSocketAddress address, EventLoop loop, ProxyClock clock,
            Duration connectTimeout, Duration idleTimeout, BackendTls tls) {
        this(backend, address, loop, clock, connectTimeout, idleTimeout, tls, PING_AFTER, PING_TIMEOUT);
    }

    Http2UpstreamPool(Backend backend, InetSocketAddress address, EventLoop loop, ProxyClock clock,
            Duration connectTimeout, Duration idleTimeout, BackendTls tls, Duration pingAfter, Duration pingTimeout) {
        this.backend = backend;
        this.address = address;
        this.authority = address.getHostString() + ":" + address.getPort();
        this.loop = loop;
        this.ticker = clock.ticker();
        this.scheduler = clock.scheduler(loop);
        this.connectNanos = connectTimeout.toNanos();
        this.idleNanos = idleTimeout.toNanos();
        this.pingAfterNanos = pingAfter.toNanos();
        this.pingTimeoutNanos = pingTimeout.toNanos();
        this.tls = tls;
        this.bootstrap = NettyTransport.backendBootstrap(loop, connectTimeout);
    }

    @Override
    public Backend backend() {
        return backend;
    }

    InetSocketAddress address() {
        return address;
    }

    BackendTls tls() {
        return tls;
    }

    @Override
    public String authority() {
        return authority;
    }

    @Override
    public boolean speaksHttp2() {
        return true;
    }

    @Override
    public Future<UpstreamConnection> acquire() {
        Promise<UpstreamConnection> promise = loop.newPromise();
        place(promise);
        return promise;
    }

    /** A stream on a ready connection with room, else a place among a connecting one's waiters, else a new one. */
    private void place(Promise<UpstreamConnection> promise) {
        for (int i = 0; i < connections.size(); i++) {
            Http2BackendConnection c = connections.get(i);
            if (c.takesStream()) {
                openStream(c, promise);
                return;
            }
        }
        for (int i = 0; i < connections.size(); i++) {
            Http2BackendConnection c = connections.get(i);
            if (c.state() == Http2BackendConnection.State.CONNECTING && c.waiters.size() < Http2BackendConnection.MAX_STREAMS) {
                c.waiters.add(promise);
                return;
            }
        }
        connect().waiters.add(promise);
    }

    private Http2BackendConnection connect() {
        Http2BackendConnection connection = new Http2BackendConnection(this, ticker, scheduler, pingAfterNanos,
                pingTimeoutNanos);
        connections.add(connection);
        bootstrap.clone().handler(new ChannelInitializer<SocketChannel>() {
            @Override
            protected void initChannel(SocketChannel ch) {
                if (tls != null) {
                    ch.pipeline().addLast("tls", tls.newHandler(ch.alloc(), address));
                }
                ch.pipeline().addLast("h2", newCodec());
                ch.pipeline().addLast("goaway", connection.goAwayWatch());
                ch.pipeline().addLast("streams", new Http2MultiplexHandler(RefusePush.INSTANCE));
                ch.pipeline().addLast("connection", connection);
            }
        }).connect(address).addListener(f -> {
            if (!f.isSuccess()) {
                connections.remove(connection);
                failWaiters(connection, f.cause());
            }
        });
        // The handshake and the backend's first SETTINGS are part of connecting, within the same limit.
        scheduler.schedule(connectNanos, () -> {
            if (connection.state() == Http2BackendConnection.State.CONNECTING && connection.channel() != null) {
                connection.close(new ConnectTimeoutException("no HTTP/2 SETTINGS from " + authority
                        + " within " + Duration.ofNanos(connectNanos).toMillis() + " ms"));
            }
        });
        return connection;
    }

    private static Http2FrameCodec newCodec() {
        return Http2FrameCodecBuilder.forClient()
                .initialSettings(new Http2Settings().pushEnabled(false)
                        .maxHeaderListSize(DecoderLimits.BACKENDS.maxFieldBytes()))
                .validateHeaders(true)
                .build();
    }

    private void openStream(Http2BackendConnection connection, Promise<UpstreamConnection> promise) {
        connection.streamOpened();
        UpstreamConnection stream = new UpstreamConnection(this);
        new Http2StreamChannelBootstrap(connection.channel())
                .option(ChannelOption.AUTO_READ, false)
                .handler(new ChannelInitializer<Http2StreamChannel>() {
                    @Override
                    protected void initChannel(Http2StreamChannel ch) {
                        ch.pipeline().addLast("http", new Http2StreamFrameToHttpObjectCodec(false));
                        ch.pipeline().addLast("upstream", stream);
                    }
                })
                .open()
                .addListener(f -> {
                    if (f.isSuccess()) {
                        closeWithItsConnection((Http2StreamChannel) f.getNow(), connection.channel());
                        if (!promise.trySuccess(stream)) {
                            stream.close();
                        }
                    } else {
                        if (connection.streamClosed()) {
                            sweepLater();
                        }
                        promise.tryFailure(f.cause());
                    }
                });
    }

    /**
     * Closes {@code stream} when its connection closes. Netty closes the streams the connection knows as active,
     * but not one whose HEADERS were not written yet (no stream id): a connection dropped for silent PINGs just
     * after a stream opened left that stream, and its attempt, waiting. The listener goes when the stream ends,
     * so a long-lived connection does not gather one per stream it ever carried.
     */
    private static void closeWithItsConnection(Http2StreamChannel stream, Channel connection) {
        ChannelFutureListener closeStream = closed -> stream.close();
        connection.closeFuture().addListener(closeStream);
        stream.closeFuture().addListener(closed -> connection.closeFuture().removeListener(closeStream));
    }

    /** {@code connection} heard the backend's SETTINGS: its waiters get streams, as many as it takes. */
    void ready(Http2BackendConnection connection) {
        for (Promise<UpstreamConnection> p; (p = connection.waiters.poll()) != null; ) {
            if (connection.takesStream()) {
                openStream(connection, p);
            } else {
                place(p);
            }
        }
        if (connection.streams() == 0) {
            sweepLater();
        }
    }

    /** {@code connection} got a GOAWAY: it takes no more streams; whoever waited for it goes elsewhere. */
    void draining(Http2BackendConnection connection) {
        for (Promise<UpstreamConnection> p; (p = connection.waiters.poll()) != null; ) {
            place(p);
        }
    }

    /** {@code connection}'s channel closed. */
    void closed(Http2BackendConnection connection) {
        connections.remove(connection);
        failWaiters(connection, connection.failure());
    }

    private static void failWaiters(Http2BackendConnection connection, Throwable cause) {
        for (Promise<UpstreamConnection> p; (p = connection.waiters.poll()) != null; ) {
            p.tryFailure(cause);
        }
    }

    /** A stream ends when its exchange with the backend did: it is closed, never reused (RST_STREAM if need be). */
    @Override
    public void release(UpstreamConnection stream) {
        stream.unbind();
        stream.close();
    }

    /** A stream's channel closed: its connection has room again. */
    @Override
    public void closed(UpstreamConnection stream) {
        Channel parent = stream.channel().parent();
        Http2BackendConnection connection = parent == null ? null : parent.pipeline().get(Http2BackendConnection.class);
        if (connection != null && connection.streamClosed()) {
            if (retired) {
                connection.channel().close();
            } else {
                sweepLater();
            }
        }
    }

    @Override
    public int openConnections() {
        return connections.size();
    }

    @Override
    public void closeIdleOnItsLoop() {
        if (!loop.isShuttingDown()) {
            loop.execute(() -> closeIdle(0));
        }
    }

    @Override
    public void retireOnItsLoop(FastThreadLocal<Map<Backend, LoopUpstream>> lookup) {
        if (loop.isShuttingDown()) {
            return;
        }
        loop.execute(() -> {
            retired = true;
            lookup.get().remove(backend, this);
            closeIdle(0);
        });
    }

    private void sweepLater() {
        if (!sweeping) {
            sweeping = true;
            scheduler.schedule(Math.max(1, idleNanos / 2), this::sweep);
        }
    }

    private void sweep() {
        sweeping = false;
        if (closeIdle(idleNanos)) {
            sweepLater();
        }
    }

    /** Closes the connections without streams for {@code idleFor}; returns whether idle ones are left. */
    private boolean closeIdle(long idleFor) {
        long now = ticker.read();
        boolean left = false;
        for (Http2BackendConnection c : List.copyOf(connections)) {
            if (c.state() != Http2BackendConnection.State.CONNECTING && c.streams() == 0) {
                if (now - c.idleSince() >= idleFor) {
                    c.channel().close();            // the codec says GOAWAY (NO_ERROR) first
                } else {
                    left = true;
                }
            }
        }
        return left;
    }
}
