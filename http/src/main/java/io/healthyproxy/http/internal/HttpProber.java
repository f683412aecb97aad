package io.healthyproxy.http.internal;

import io.healthyproxy.core.Backend;
import io.healthyproxy.core.health.ProbeResult;
import io.healthyproxy.core.spi.Prober;
import io.healthyproxy.http.config.HttpHealthCheck;
import io.netty.bootstrap.Bootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.ConnectTimeoutException;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.socket.SocketChannel;
import io.netty.handler.codec.http.DefaultFullHttpRequest;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpClientCodec;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.HttpVersion;
import java.net.ConnectException;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.function.Function;

/**
 * Active HTTP health checks: one request to the health path on a fresh connection (so that the check also
 * proves the backend accepts connections), {@code Connection: close}, passed if the status is expected.
 * The {@link io.healthyproxy.core.ActiveHealthChecker} enforces the timeout and cancels the future, which
 * closes the connection.
 */
final class HttpProber implements Prober {

    private final EventLoopGroup group;
    private final Function<Backend, InetSocketAddress> addresses;
    private final HttpHealthCheck check;

    /** @param addresses where each backend is reached (backends come and go with reloads) */
    HttpProber(EventLoopGroup group, Function<Backend, InetSocketAddress> addresses, HttpHealthCheck check) {
        this.group = group;
        this.addresses = addresses;
        this.check = check;
    }

    @Override
    public CompletionStage<ProbeResult> probe(Backend backend, Duration timeout) {
        CompletableFuture<ProbeResult> result = new CompletableFuture<>();
        InetSocketAddress address = addresses.apply(backend);
        ChannelFuture connect = new Bootstrap()
                .group(group)
                .channel(NettyTransport.clientChannel().asSubclass(SocketChannel.class))
                .option(ChannelOption.ALLOCATOR, NettyTransport.allocator())
                .option(ChannelOption.TCP_NODELAY, true)
                .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, (int) Math.max(1, timeout.toMillis()))
                .handler(new ChannelInitializer<SocketChannel>() {
                    @Override
                    protected void initChannel(SocketChannel ch) {
                        ch.pipeline().addLast(new HttpClientCodec(), new HttpObjectAggregator(64 * 1024),
                                new ProbeHandler(result));
                    }
                })
                .connect(address);
        connect.addListener(f -> {
            if (!f.isSuccess()) {
                result.complete(ProbeResult.failed(describe(f.cause())));
                return;
            }
            FullHttpRequest request = new DefaultFullHttpRequest(HttpVersion.HTTP_1_1, HttpMethod.valueOf(check.method()),
                    check.path());
            request.headers()
                    .set(HttpHeaderNames.HOST, address.getHostString() + ":" + address.getPort())
                    .set(HttpHeaderNames.CONNECTION, HttpHeaderValues.CLOSE)
                    .set(HttpHeaderNames.USER_AGENT, "healthy-proxy-health-check");
            connect.channel().writeAndFlush(request);
        });
        result.whenComplete((r, e) -> {
            Channel channel = connect.channel();
            if (channel != null) {
                channel.close();
            }
        });
        return result;
    }

    private static String describe(Throwable cause) {
        if (cause instanceof ConnectTimeoutException) {
            return "connect timed out";
        }
        if (cause instanceof ConnectException) {
            return "connection refused";
        }
        return cause.getMessage() == null ? cause.getClass().getSimpleName() : cause.getMessage();
    }

    /** Settles the probe with the first response, or with the connection's end. */
    private final class ProbeHandler extends SimpleChannelInboundHandler<FullHttpResponse> {
        private final CompletableFuture<ProbeResult> result;

        ProbeHandler(CompletableFuture<ProbeResult> result) {
            this.result = result;
        }

        @Override
        protected void channelRead0(ChannelHandlerContext ctx, FullHttpResponse response) {
            int status = response.status().code();
            String detail = response.status().toString();
            result.complete(response.decoderResult().isFailure()
                    ? ProbeResult.failed("invalid response")
                    : check.expect().contains(status) ? ProbeResult.passed(detail) : ProbeResult.failed("status " + detail));
            ctx.close();
        }

        @Override
        public void channelInactive(ChannelHandlerContext ctx) {
            result.complete(ProbeResult.failed("connection closed without a response"));
        }

        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            result.complete(ProbeResult.failed(describe(cause)));
            ctx.close();
        }
    }
}
