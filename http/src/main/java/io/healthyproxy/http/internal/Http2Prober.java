package io.healthyproxy.http.internal;

import io.healthyproxy.core.Backend;
import io.healthyproxy.core.health.ProbeResult;
import io.healthyproxy.core.spi.Prober;
import io.healthyproxy.http.config.HttpHealthCheck;
import io.healthyproxy.http.internal.tls.BackendTls;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.handler.codec.http.DefaultFullHttpRequest;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http2.Http2FrameCodecBuilder;
import io.netty.handler.codec.http2.Http2MultiplexHandler;
import io.netty.handler.codec.http2.Http2Settings;
import io.netty.handler.codec.http2.Http2StreamChannel;
import io.netty.handler.codec.http2.Http2StreamChannelBootstrap;
import io.netty.handler.codec.http2.Http2StreamFrameToHttpObjectCodec;
import io.netty.handler.ssl.SslHandler;
import io.netty.util.AsciiString;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.function.Function;

/**
 * Active checks of an HTTP/2 cluster's backends ({@code h2c}, or {@code h2} over TLS): one stream on a fresh
 * connection per check, so that the check also proves the backend accepts connections and speaks HTTP/2. The
 * stream carries either the HTTP check ({@code method path}, passing on a status in {@code expect}) or the
 * standard gRPC one, {@code grpc.health.v1.Health/Check}, which passes only on grpc-status 0 with the answer
 * SERVING: NOT_SERVING, UNKNOWN, SERVICE_UNKNOWN, an error status (NOT_FOUND for a service the server does not
 * know, UNIMPLEMENTED for a server without the health service) all fail. The
 * {@link io.healthyproxy.core.ActiveHealthChecker} enforces the timeout and cancels the future, which closes the
 * connection.
 */
final class Http2Prober implements Prober {

    static final String GRPC_HEALTH_CHECK = "/grpc.health.v1.Health/Check";
    private static final AsciiString APPLICATION_GRPC = AsciiString.cached("application/grpc");

    private final EventLoopGroup group;
    private final Function<Backend, InetSocketAddress> addresses;
    private final HttpHealthCheck check;
    /** TLS for {@code h2}, or null for {@code h2c}. */
    private final BackendTls tls;

    /** @param addresses where each backend is reached (backends come and go with reloads) */
    Http2Prober(EventLoopGroup group, Function<Backend, InetSocketAddress> addresses, HttpHealthCheck check,
            BackendTls tls) {
        this.group = group;
        this.addresses = addresses;
        this.check = check;
        this.tls = tls;
    }

    @Override
    public CompletionStage<ProbeResult> probe(Backend backend, Duration timeout) {
        CompletableFuture<ProbeResult> result = new CompletableFuture<>();
        InetSocketAddress address = addresses.apply(backend);
        ProbeConnection.open(group, address, timeout, tls,
                pipeline -> pipeline.addLast(Http2FrameCodecBuilder.forClient()
                                .initialSettings(new Http2Settings().pushEnabled(false)).build(),
                        new Http2MultiplexHandler(new ChannelInboundHandlerAdapter()),
                        new ProbeConnection.EndWithoutAnswer(result, "connection")),
                channel -> {
                    String agreed = tls == null ? null : channel.pipeline().get(SslHandler.class).applicationProtocol();
                    if (tls != null && !tls.alpn().equals(agreed)) {
                        result.complete(ProbeResult.failed("did not agree to h2 (ALPN: " + agreed + ")"));
                    } else {
                        sendCheck(channel, address, result);
                    }
                },
                result);
        return result;
    }

    private void sendCheck(Channel connection, InetSocketAddress address, CompletableFuture<ProbeResult> result) {
        new Http2StreamChannelBootstrap(connection)
                .handler(new ChannelInitializer<Http2StreamChannel>() {
                    @Override
                    protected void initChannel(Http2StreamChannel ch) {
                        ch.pipeline().addLast(new Http2StreamFrameToHttpObjectCodec(false),
                                new HttpObjectAggregator(64 * 1024), new Answer(result),
                                new ProbeConnection.EndWithoutAnswer(result, "stream"));
                    }
                })
                .open()
                .addListener(f -> {
                    if (!f.isSuccess()) {
                        result.complete(ProbeResult.failed(ProbeConnection.describe(f.cause())));
                        return;
                    }
                    Http2StreamChannel stream = (Http2StreamChannel) f.getNow();
                    stream.writeAndFlush(request(stream, address));
                });
    }

    private FullHttpRequest request(Channel stream, InetSocketAddress address) {
        FullHttpRequest request;
        if (check.type() == HttpHealthCheck.Type.GRPC) {
            request = new DefaultFullHttpRequest(HttpVersion.HTTP_1_1, HttpMethod.POST, GRPC_HEALTH_CHECK,
                    GrpcHealthMessages.request(stream.alloc(), check.service()));
            request.headers()
                    .set(HttpHeaderNames.CONTENT_TYPE, APPLICATION_GRPC)
                    .set(HttpHeaderNames.TE, HttpHeaderValues.TRAILERS);
        } else {
            request = new DefaultFullHttpRequest(HttpVersion.HTTP_1_1, HttpMethod.valueOf(check.method()), check.path());
        }
        request.headers()
                .set(HttpHeaderNames.HOST, address.getHostString() + ":" + address.getPort())
                .set(HttpHeaderNames.USER_AGENT, "healthy-proxy-health-check");
        return request;
    }

    /** The verdict on a complete answer. */
    private ProbeResult judge(FullHttpResponse response) {
        if (response.decoderResult().isFailure()) {
            return ProbeResult.failed("invalid response");
        }
        int status = response.status().code();
        if (check.type() == HttpHealthCheck.Type.HTTP) {
            String detail = response.status().toString();
            return check.expect().contains(status) ? ProbeResult.passed(detail) : ProbeResult.failed("status " + detail);
        }
        if (status != 200) {
            return ProbeResult.failed("HTTP status " + status + " to a gRPC health check");
        }
        int grpcStatus = GrpcStatus.of(response.trailingHeaders());
        if (grpcStatus == GrpcStatus.NONE) {
            grpcStatus = GrpcStatus.of(response.headers());     // trailers-only
        }
        if (grpcStatus != 0) {
            String message = response.trailingHeaders().get("grpc-message", response.headers().get("grpc-message", ""));
            return ProbeResult.failed("grpc-status " + (grpcStatus == GrpcStatus.NONE ? "missing" : grpcStatus)
                    + (message.isEmpty() ? "" : " (" + message + ")"));
        }
        try {
            int serving = GrpcHealthMessages.status(response.content());
            String name = GrpcHealthMessages.statusName(serving);
            return serving == GrpcHealthMessages.SERVING ? ProbeResult.passed(name) : ProbeResult.failed(name);
        } catch (IllegalArgumentException e) {
            return ProbeResult.failed("invalid health answer: " + e.getMessage());
        }
    }

    /** Settles the probe with the stream's answer. */
    private final class Answer extends SimpleChannelInboundHandler<FullHttpResponse> {
        private final CompletableFuture<ProbeResult> result;

        Answer(CompletableFuture<ProbeResult> result) {
            this.result = result;
        }

        @Override
        protected void channelRead0(ChannelHandlerContext ctx, FullHttpResponse response) {
            result.complete(judge(response));
        }
    }
}
