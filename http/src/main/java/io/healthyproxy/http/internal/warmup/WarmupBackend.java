package io.healthyproxy.http.internal.warmup;

import io.healthyproxy.http.internal.NettyTransport;
import io.healthyproxy.http.internal.h1.DecoderLimits;
import io.healthyproxy.http.internal.h1.RequestDecoder;
import io.healthyproxy.http.internal.h1.ResponseEncoder;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.socket.SocketChannel;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.DefaultHttpContent;
import io.netty.handler.codec.http.DefaultHttpResponse;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.LastHttpContent;
import io.netty.util.ReferenceCountUtil;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;

/**
 * The warm-up's backend, in this process on 127.0.0.1: answers every request with a small 200, framed by
 * Content-Length, or chunked when the path ends in {@value #CHUNKED_PATH}, or a 404 for {@value #MISSING_PATH},
 * with the fields a web server sends (Server, Date, caching validators, now and then a cookie; in turn, since
 * the compiled code is shaped by what it has seen). It reads and writes with the
 * proxy's own client-side codec ({@link RequestDecoder}, {@link ResponseEncoder}), so serving the warm-up
 * compiles those too.
 */
final class WarmupBackend {

    static final String CHUNKED_PATH = "/chunked";
    static final String MISSING_PATH = "/warm-up/missing";

    private static final byte[] BODY = "{\"warm\":true,\"note\":\"the proxy's warm-up; nobody sees this\"}\n"
            .getBytes(StandardCharsets.US_ASCII);

    private static final String DATE = "Wed, 02 Dec 2026 00:00:00 GMT";

    private WarmupBackend() {
    }

    /** Listens on a free loopback port of {@code group}; closing the returned channel stops listening. */
    static Channel bind(EventLoopGroup group) throws InterruptedException {
        return new ServerBootstrap()
                .group(group)
                .channel(NettyTransport.serverChannel())
                .childOption(ChannelOption.ALLOCATOR, NettyTransport.allocator())
                .childOption(ChannelOption.TCP_NODELAY, true)
                .childHandler(new ChannelInitializer<SocketChannel>() {
                    @Override
                    protected void initChannel(SocketChannel ch) {
                        ch.pipeline().addLast(new RequestDecoder(DecoderLimits.BACKENDS), new ResponseEncoder(),
                                new Answers());
                    }
                })
                .bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0)).sync().channel();
    }

    /** Answers each request once it has been read to its end. */
    private static final class Answers extends ChannelInboundHandlerAdapter {

        private boolean chunked;
        private boolean missing;
        private int answered;

        @Override
        public void channelRead(ChannelHandlerContext ctx, Object msg) {
            try {
                if (msg instanceof HttpRequest request) {
                    if (request.decoderResult().isFailure()) {
                        ctx.close();
                        return;
                    }
                    chunked = request.uri().endsWith(CHUNKED_PATH);
                    missing = request.uri().equals(MISSING_PATH);
                }
                if (msg instanceof LastHttpContent) {
                    answer(ctx);
                }
            } finally {
                ReferenceCountUtil.release(msg);
            }
        }

        private void answer(ChannelHandlerContext ctx) {
            int n = answered++;
            if (chunked) {
                HttpResponse head = new DefaultHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.OK);
                head.headers().set(HttpHeaderNames.CONTENT_TYPE, HttpHeaderValues.APPLICATION_JSON)
                        .set(HttpHeaderNames.TRANSFER_ENCODING, HttpHeaderValues.CHUNKED);
                addFields(head.headers(), n);
                ctx.write(head);
                ctx.write(new DefaultHttpContent(Unpooled.wrappedBuffer(BODY)));
                ctx.writeAndFlush(LastHttpContent.EMPTY_LAST_CONTENT);
                return;
            }
            FullHttpResponse response = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1,
                    missing ? HttpResponseStatus.NOT_FOUND : HttpResponseStatus.OK, Unpooled.wrappedBuffer(BODY));
            response.headers().set(HttpHeaderNames.CONTENT_TYPE, HttpHeaderValues.APPLICATION_JSON)
                    .setInt(HttpHeaderNames.CONTENT_LENGTH, BODY.length);
            addFields(response.headers(), n);
            ctx.writeAndFlush(response);
        }

        /** A web server's usual fields; which of them varies from one answer to the next. */
        private static void addFields(HttpHeaders h, int n) {
            h.set(HttpHeaderNames.SERVER, "nginx/1.22.1").set(HttpHeaderNames.DATE, DATE);
            switch (n % 4) {
                case 0 -> h.set(HttpHeaderNames.CONNECTION, HttpHeaderValues.KEEP_ALIVE)
                        .set(HttpHeaderNames.ETAG, "\"6567a1b2-3d\"")
                        .set(HttpHeaderNames.LAST_MODIFIED, DATE)
                        .set(HttpHeaderNames.ACCEPT_RANGES, HttpHeaderValues.BYTES);
                case 1 -> h.set(HttpHeaderNames.CACHE_CONTROL, "no-store").set("X-Request-Id", "warm-up-" + n);
                case 2 -> h.set(HttpHeaderNames.SET_COOKIE, "session=warm-up; Path=/; HttpOnly")
                        .set(HttpHeaderNames.VARY, HttpHeaderNames.ACCEPT_ENCODING);
                default -> { }
            }
        }

        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            ctx.close();
        }
    }
}
