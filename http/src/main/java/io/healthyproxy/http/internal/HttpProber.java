package io.healthyproxy.http.internal;

import io.healthyproxy.core.Backend;
import io.healthyproxy.core.health.ProbeResult;
import io.healthyproxy.core.spi.Prober;
import io.healthyproxy.http.config.HttpHealthCheck;
import io.healthyproxy.http.internal.tls.BackendTls;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.handler.codec.http.DefaultFullHttpRequest;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpClientCodec;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.HttpVersion;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.function.Function;

/**
 * Active HTTP health checks: one request to the health path on a fresh connection (so that the check also
 * proves the backend accepts connections), {@code Connection: close}, passed if the status is expected.
 * Over TLS when the cluster has it, so the check also proves the handshake ({@link ProbeConnection}). The
 * {@link io.healthyproxy.core.ActiveHealthChecker} enforces the timeout and cancels the future, which closes
 * the connection.
 */
final class HttpProber implements Prober {

    private final EventLoopGroup group;
    private final Function<Backend, InetSocketAddress> addresses;
    private final HttpHealthCheck check;
    /** TLS to the backends, or null. */
    private final BackendTls tls;

    HttpProber(EventLoopGroup group, Function<Backend, InetSocketAddress> addresses, HttpHealthCheck check) {
        this(group, addresses, check, null);
    }

    /** @param addresses where each backend is reached (backends come and go with reloads) */
    HttpProber(EventLoopGroup group, Function<Backend, InetSocketAddress> addresses, HttpHealthCheck check,
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
                pipeline -> pipeline.addLast(new HttpClientCodec(), new HttpObjectAggregator(64 * 1024),
                        new ProbeHandler(result), new ProbeConnection.EndWithoutAnswer(result, "connection")),
                channel -> channel.writeAndFlush(request(address)),
                result);
        return result;
    }

    private FullHttpRequest request(InetSocketAddress address) {
        FullHttpRequest request = new DefaultFullHttpRequest(HttpVersion.HTTP_1_1, HttpMethod.valueOf(check.method()),
                check.path());
        request.headers()
                .set(HttpHeaderNames.HOST, address.getHostString() + ":" + address.getPort())
                .set(HttpHeaderNames.CONNECTION, HttpHeaderValues.CLOSE)
                .set(HttpHeaderNames.USER_AGENT, "healthy-proxy-health-check");
        return request;
    }

    /** Settles the probe with the first response. */
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
    }
}
