package io.healthyproxy.http.internal;

import io.healthyproxy.core.Backend;
import io.healthyproxy.core.time.Scheduler;
import io.healthyproxy.core.time.Ticker;
import io.healthyproxy.http.ProxyClock;
import io.healthyproxy.http.internal.h1.DecoderLimits;
import io.healthyproxy.http.internal.h1.UpstreamCodec;
import io.healthyproxy.http.internal.tls.BackendTls;
import io.netty.bootstrap.Bootstrap;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoop;
import io.netty.channel.socket.SocketChannel;
import io.netty.handler.ssl.SslHandler;
import io.netty.util.concurrent.FastThreadLocal;
import io.netty.util.concurrent.Future;
import io.netty.util.concurrent.Promise;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Iterator;
import java.util.Map;

/**
 * Keep-alive connections to one backend, for one event loop. Each event loop has its own pools, so a request
 * and every connection it uses stay on one thread: no locks, no hand-offs. Idle connections are reused
 * most-recently-used first (the warmest), and closed after {@code backendIdle} by a sweep. With TLS (a cluster's
 * {@code tls}), a connection is handed out once its handshake has succeeded; a failed one is a connect failure,
 * logged with what was trusted.
 *
 * <p>Confined to its event loop; every method must be called on it.
 */
final class UpstreamPool implements LoopUpstream {

    private final Backend backend;
    private final InetSocketAddress address;
    private final String authority;
    private final EventLoop loop;
    private final Ticker ticker;
    private final Scheduler scheduler;
    private final long idleNanos;
    private final Bootstrap bootstrap;
    /** TLS to the backend, or null for plain HTTP/1.1. */
    private final BackendTls tls;
    private final ArrayDeque<UpstreamConnection> idle = new ArrayDeque<>();
    private int open;
    private boolean sweeping;
    /** The backend left the cluster: connections are closed as their exchanges end, none is opened. */
    private boolean retired;

    UpstreamPool(Backend backend, InetSocketAddress address, EventLoop loop, ProxyClock clock, Duration connectTimeout,
            Duration idleTimeout, BackendTls tls) {
        this.backend = backend;
        this.tls = tls;
        this.address = address;
        this.authority = address.getHostString() + ":" + address.getPort();
        this.loop = loop;
        this.ticker = clock.ticker();
        this.scheduler = clock.scheduler(loop);
        this.idleNanos = idleTimeout.toNanos();
        this.bootstrap = NettyTransport.backendBootstrap(loop, connectTimeout).option(ChannelOption.AUTO_READ, false);
    }

    @Override
    public Backend backend() {
        return backend;
    }

    @Override
    public Future<UpstreamConnection> acquire() {
        for (UpstreamConnection c; (c = idle.pollFirst()) != null; ) {
            if (c.isActive()) {
                return loop.newSucceededFuture(c);  // the usual case: done, nothing will listen, no promise needed
            }
        }
        Promise<UpstreamConnection> promise = loop.newPromise();
        UpstreamConnection connection = new UpstreamConnection(this);
        ChannelFuture connect = bootstrap.clone().handler(new ChannelInitializer<SocketChannel>() {
            @Override
            protected void initChannel(SocketChannel ch) {
                if (tls != null) {
                    ch.pipeline().addLast("tls", tls.newHandler(ch.alloc(), address));
                }
                ch.pipeline().addLast("http", new UpstreamCodec(DecoderLimits.BACKENDS));
                ch.pipeline().addLast("upstream", connection);
            }
        }).connect(address);
        open++;
        connect.addListener(f -> {
            if (!f.isSuccess()) {
                promise.setFailure(f.cause());
            } else if (tls == null) {
                promise.setSuccess(connection);
            } else {
                connect.channel().pipeline().get(SslHandler.class).handshakeFuture().addListener(h -> {
                    if (h.isSuccess()) {
                        promise.setSuccess(connection);
                    } else {
                        tls.logFailure(backend.id(), address, h.cause());
                        connect.channel().close();
                        promise.setFailure(h.cause());
                    }
                });
            }
        });
        return promise;
    }

    @Override
    public void release(UpstreamConnection connection) {
        connection.unbind();
        if (!connection.isActive()) {
            return;
        }
        if (retired) {
            connection.close();
            return;
        }
        connection.markIdle(ticker.read());
        idle.addFirst(connection);
        if (!sweeping) {
            sweeping = true;
            scheduler.schedule(Math.max(1, idleNanos / 2), this::sweep);
        }
    }

    @Override
    public String authority() {
        return authority;
    }

    @Override
    public void closed(UpstreamConnection connection) {
        open--;
        idle.remove(connection);
    }

    @Override
    public int openConnections() {
        return open;
    }

    @Override
    public void retireOnItsLoop(FastThreadLocal<Map<Backend, LoopUpstream>> lookup) {
        if (loop.isShuttingDown()) {
            return;
        }
        loop.execute(() -> {
            retired = true;
            lookup.get().remove(backend, this);
            closeIdle();
        });
    }

    @Override
    public void closeIdleOnItsLoop() {
        if (!loop.isShuttingDown()) {
            loop.execute(this::closeIdle);
        }
    }

    private void closeIdle() {
        for (UpstreamConnection c; (c = idle.pollFirst()) != null; ) {
            c.close();
        }
    }

    private void sweep() {
        long now = ticker.read();
        // Oldest idle connections sit at the end: most-recently-used are taken from the front.
        for (Iterator<UpstreamConnection> it = idle.descendingIterator(); it.hasNext(); ) {
            UpstreamConnection c = it.next();
            if (now - c.idleSince() < idleNanos) {
                break;
            }
            it.remove();
            c.close();
        }
        if (idle.isEmpty()) {
            sweeping = false;
        } else {
            scheduler.schedule(Math.max(1, idleNanos / 2), this::sweep);
        }
    }
}
