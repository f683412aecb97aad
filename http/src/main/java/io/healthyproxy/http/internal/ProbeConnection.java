package io.healthyproxy.http.internal;

import io.healthyproxy.core.health.ProbeResult;
import io.healthyproxy.http.internal.tls.BackendTls;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelPipeline;
import io.netty.channel.ConnectTimeoutException;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.socket.SocketChannel;
import io.netty.handler.ssl.SslHandler;
import io.netty.util.ReferenceCountUtil;
import java.net.ConnectException;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.function.Consumer;

/**
 * A health check's own connection to a backend, whatever the check speaks over it ({@link HttpProber},
 * {@link Http2Prober}): connected as pooled connections are ({@link NettyTransport#backendBootstrap}), over TLS
 * when the cluster has it, so that the check also proves the connect and the handshake. A failed connect or
 * handshake settles the probe with what went wrong; settling the probe, however it happens (an answer, the
 * checker's timeout cancelling it), closes the connection.
 */
final class ProbeConnection {

    private ProbeConnection() {
    }

    /**
     * Connects to {@code address} and hands the channel to {@code ready} once it can carry the check (after the
     * TLS handshake, if any).
     *
     * @param protocol adds the check's handlers to the pipeline, after TLS
     * @param ready    sends the check; called on the channel's event loop
     */
    static void open(EventLoopGroup group, InetSocketAddress address, Duration timeout, BackendTls tls,
            Consumer<ChannelPipeline> protocol, Consumer<Channel> ready, CompletableFuture<ProbeResult> result) {
        if (address == null) {
            result.complete(ProbeResult.failed("no longer in the cluster"));
            return;
        }
        ChannelFuture connect = NettyTransport.backendBootstrap(group, timeout)
                .handler(new ChannelInitializer<SocketChannel>() {
                    @Override
                    protected void initChannel(SocketChannel ch) {
                        if (tls != null) {
                            ch.pipeline().addLast(tls.newHandler(ch.alloc(), address));
                        }
                        protocol.accept(ch.pipeline());
                    }
                })
                .connect(address);
        connect.addListener(f -> {
            if (!f.isSuccess()) {
                result.complete(ProbeResult.failed(describe(f.cause())));
            } else if (tls == null) {
                ready.accept(connect.channel());
            } else {
                connect.channel().pipeline().get(SslHandler.class).handshakeFuture().addListener(h -> {
                    if (h.isSuccess()) {
                        ready.accept(connect.channel());
                    } else {
                        result.complete(ProbeResult.failed("TLS: " + describe(h.cause())));
                    }
                });
            }
        });
        result.whenComplete((r, e) -> connect.channel().close());
    }

    /** What went wrong, as a probe's detail. */
    static String describe(Throwable cause) {
        if (cause instanceof ConnectTimeoutException) {
            return "connect timed out";
        }
        if (cause instanceof ConnectException) {
            return "connection refused";
        }
        return cause.getMessage() == null ? cause.getClass().getSimpleName() : cause.getMessage();
    }

    /**
     * Settles the probe as failed if {@code what} (the connection, or an HTTP/2 stream) ends before an answer
     * did; last in its pipeline, after the handler that takes the answer. Anything else read is dropped.
     */
    static final class EndWithoutAnswer extends ChannelInboundHandlerAdapter {
        private final CompletableFuture<ProbeResult> result;
        private final String what;

        EndWithoutAnswer(CompletableFuture<ProbeResult> result, String what) {
            this.result = result;
            this.what = what;
        }

        @Override
        public void channelRead(ChannelHandlerContext ctx, Object msg) {
            ReferenceCountUtil.release(msg);
        }

        @Override
        public void channelInactive(ChannelHandlerContext ctx) {
            result.complete(ProbeResult.failed(what + " closed without an answer"));
        }

        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            result.complete(ProbeResult.failed(describe(cause)));
            ctx.close();
        }
    }
}
