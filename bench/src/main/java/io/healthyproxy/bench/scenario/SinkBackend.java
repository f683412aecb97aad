package io.healthyproxy.bench.scenario;

import io.netty.bootstrap.ServerBootstrap;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpContent;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpObject;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.LastHttpContent;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The upload backends: one Netty server in the runner on three ports of 127.0.0.1, reading every request body
 * to its end and throwing it away, then answering {@code 200 received N} (N: the body's bytes), so that an
 * upload is timed to the last byte through the proxy. {@code /health} and body-less requests get {@code 200 ok}.
 * NGINX cannot stand in: {@code return 200} answers before the body is read. One event-loop thread.
 */
final class SinkBackend implements AutoCloseable {

    private final EventLoopGroup group = new MultiThreadIoEventLoopGroup(1, NioIoHandler.newFactory());
    private final List<Channel> listeners = new ArrayList<>();

    SinkBackend(int ports) throws InterruptedException {
        ServerBootstrap bootstrap = new ServerBootstrap().group(group).channel(NioServerSocketChannel.class)
                .childHandler(new ChannelInitializer<SocketChannel>() {
                    @Override
                    protected void initChannel(SocketChannel ch) {
                        ch.pipeline().addLast(new HttpServerCodec(), new Discard());
                    }
                });
        for (int i = 0; i < ports; i++) {
            listeners.add(bootstrap.bind("127.0.0.1", 0).sync().channel());
        }
    }

    List<Integer> ports() {
        return listeners.stream().map(c -> ((java.net.InetSocketAddress) c.localAddress()).getPort()).toList();
    }

    @Override
    public void close() throws InterruptedException {
        for (Channel c : listeners) {
            c.close().await(5, TimeUnit.SECONDS);
        }
        group.shutdownGracefully(0, 1, TimeUnit.SECONDS).await(10, TimeUnit.SECONDS);
    }

    /** Counts a request's body bytes, releasing each chunk as it comes; answers at its end. */
    private static final class Discard extends SimpleChannelInboundHandler<HttpObject> {
        private long received;
        private boolean keepAlive;

        @Override
        protected void channelRead0(ChannelHandlerContext ctx, HttpObject msg) {
            if (msg instanceof HttpRequest request) {
                received = 0;
                keepAlive = HttpUtil.isKeepAlive(request);
            }
            if (msg instanceof HttpContent content) {
                received += content.content().readableBytes();
            }
            if (msg instanceof LastHttpContent) {
                String body = received == 0 ? "ok\n" : "received " + received + "\n";
                FullHttpResponse response = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.OK,
                        Unpooled.copiedBuffer(body, StandardCharsets.US_ASCII));
                response.headers().set(HttpHeaderNames.CONTENT_LENGTH, response.content().readableBytes());
                if (keepAlive) {
                    ctx.writeAndFlush(response);
                } else {
                    ctx.writeAndFlush(response).addListener(ChannelFutureListener.CLOSE);
                }
            }
        }
    }
}
