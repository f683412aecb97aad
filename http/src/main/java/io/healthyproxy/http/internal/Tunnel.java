package io.healthyproxy.http.internal;

import io.healthyproxy.core.time.Ticker;
import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.socket.DuplexChannel;
import io.netty.util.ReferenceCountUtil;

/**
 * A client connection and a backend connection joined after {@code 101 Switching Protocols} (WebSocket): bytes
 * relayed as they come in both directions, untouched, each side read only as fast as the other takes it, until
 * either side closes or neither sends anything for {@code tunnelIdle}. A half-close travels through: a client
 * that shuts its sending side has the backend's shut too.
 *
 * <p>The client side's events arrive from its {@link ClientConnection}; the backend side's through
 * {@link #backendHandler()}, which takes the place of the backend connection's HTTP handlers. Confined to the
 * client connection's event loop (the backend connection was opened on it).
 */
final class Tunnel {

    private final Channel client;
    private final Channel backend;
    private final Ticker ticker;
    private final Alarm alarm;
    private final long idleNanos;
    private final Runnable onClosed;
    private final BackendSide backendSide = new BackendSide();
    private long lastActivity;
    private boolean clientWaiting;
    private boolean backendWaiting;
    private boolean closed;

    /**
     * @param onClosed runs once, when the tunnel is closed for whatever reason
     */
    Tunnel(Channel client, Channel backend, Ticker ticker, Alarm alarm, long idleNanos, Runnable onClosed) {
        this.client = client;
        this.backend = backend;
        this.ticker = ticker;
        this.alarm = alarm;
        this.idleNanos = idleNanos;
        this.onClosed = onClosed;
    }

    /** The handler that takes the backend connection's events from here on. */
    ChannelInboundHandlerAdapter backendHandler() {
        return backendSide;
    }

    void start() {
        touch();
        if (!backend.isActive()) {
            close();
            return;
        }
        client.read();
        backend.read();
    }

    private void touch() {
        lastActivity = ticker.read();
        alarm.wakeBy(lastActivity + idleNanos);
    }

    // ---- the client's side, from its connection ---------------------------------------------------------

    void fromClient(Object msg) {
        if (closed || !(msg instanceof ByteBuf)) {
            ReferenceCountUtil.release(msg);        // nothing but bytes crosses a tunnel
            return;
        }
        touch();
        backend.write(msg, backend.voidPromise());
    }

    void clientReadComplete() {
        if (closed) {
            return;
        }
        backend.flush();
        if (backend.isWritable()) {
            client.read();
        } else {
            clientWaiting = true;                   // read the client again once the backend has drained
        }
    }

    void clientWritable() {
        if (backendWaiting && client.isWritable() && !closed) {
            backendWaiting = false;
            backend.read();
        }
    }

    /** The client shut its sending side: so does the backend's, and the other direction goes on. */
    void clientInputShut() {
        if (backend instanceof DuplexChannel duplex && duplex.isActive()) {
            backend.flush();
            duplex.shutdownOutput();
        } else {
            close();
        }
    }

    void onTimer(long now) {
        if (closed) {
            return;
        }
        if (now - (lastActivity + idleNanos) >= 0) {
            close();
        } else {
            alarm.wakeBy(lastActivity + idleNanos);
        }
    }

    /** Closes both sides, after writing what was relayed. */
    void close() {
        if (closed) {
            return;
        }
        closed = true;
        client.writeAndFlush(io.netty.buffer.Unpooled.EMPTY_BUFFER).addListener(ChannelFutureListener.CLOSE);
        backend.writeAndFlush(io.netty.buffer.Unpooled.EMPTY_BUFFER).addListener(ChannelFutureListener.CLOSE);
        onClosed.run();
    }

    boolean isClosed() {
        return closed;
    }

    /** The backend connection's end of the tunnel. */
    private final class BackendSide extends ChannelInboundHandlerAdapter {

        @Override
        public void channelRead(ChannelHandlerContext ctx, Object msg) {
            if (closed || !(msg instanceof ByteBuf)) {
                ReferenceCountUtil.release(msg);    // the (empty) end of the 101, or anything after closing
                return;
            }
            touch();
            client.write(msg, client.voidPromise());
        }

        @Override
        public void channelReadComplete(ChannelHandlerContext ctx) {
            if (closed) {
                return;
            }
            client.flush();
            if (client.isWritable()) {
                backend.read();
            } else {
                backendWaiting = true;
            }
        }

        @Override
        public void channelWritabilityChanged(ChannelHandlerContext ctx) {
            if (clientWaiting && backend.isWritable() && !closed) {
                clientWaiting = false;
                client.read();
            }
        }

        @Override
        public void channelInactive(ChannelHandlerContext ctx) {
            close();
        }

        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            close();
        }
    }
}
