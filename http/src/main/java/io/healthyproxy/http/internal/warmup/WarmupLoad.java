package io.healthyproxy.http.internal.warmup;

import io.healthyproxy.http.internal.NettyTransport;
import io.healthyproxy.http.internal.h1.DecoderLimits;
import io.healthyproxy.http.internal.h1.UpstreamCodec;
import io.netty.bootstrap.Bootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.handler.codec.http.DefaultFullHttpRequest;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.LastHttpContent;
import io.netty.util.ReferenceCountUtil;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The warm-up's clients: a few keep-alive connections to the proxy, each sending its next request as soon as
 * the answer to its last one has ended (a closed loop, so the load is as much as the machine gives), until a
 * deadline. The mix is what a proxy mostly carries: GETs answered with a small body, every eighth a POST with
 * a body, every sixteenth answered chunked, a few 404s; their headers those of the usual kinds of client
 * ({@link ClientKind}), since the compiled code is shaped by the inputs it has seen (a Host with a port, a
 * Cookie, a Connection header), and an input it has not seen costs a deoptimization and a recompilation in
 * the first seconds of real traffic. They write and read with the proxy's own backend-side codec
 * ({@link UpstreamCodec}).
 */
final class WarmupLoad {

    /** Each connection's share of the work; enough to keep both sides of the proxy's event loops busy. */
    static final int CONNECTIONS = 16;

    private static final byte[] FORM = ("name=warm-up&note=" + "x".repeat(200)).getBytes(
            java.nio.charset.StandardCharsets.US_ASCII);

    private final AtomicLong answered = new AtomicLong();
    private final AtomicLong ok = new AtomicLong();

    /** How many answers came, and how many of them had the backend's status (so the proxy passed them on). */
    record Count(long answered, long ok) {
    }

    /**
     * Runs the load against {@code proxy} from {@code group} until {@code deadlineNanos} ({@link System#nanoTime()}),
     * then waits for the answers in flight, at most {@code grace} nanoseconds more.
     */
    static Count run(EventLoopGroup group, InetSocketAddress proxy, long deadlineNanos, long graceNanos)
            throws InterruptedException {
        WarmupLoad load = new WarmupLoad();
        CountDownLatch closed = new CountDownLatch(CONNECTIONS);
        Bootstrap bootstrap = new Bootstrap()
                .group(group)
                .channel(NettyTransport.clientChannel())
                .option(ChannelOption.ALLOCATOR, NettyTransport.allocator())
                .option(ChannelOption.TCP_NODELAY, true)
                .handler(new ChannelInitializer<Channel>() {
                    @Override
                    protected void initChannel(Channel ch) {
                        ch.pipeline().addLast(new UpstreamCodec(DecoderLimits.BACKENDS),
                                load.new Requester(deadlineNanos, proxy.getPort()));
                        ch.closeFuture().addListener(f -> closed.countDown());
                    }
                });
        List<Channel> channels = new ArrayList<>(CONNECTIONS);
        for (int i = 0; i < CONNECTIONS; i++) {
            channels.add(bootstrap.connect(proxy).channel());
        }
        long wait = Math.max(0, deadlineNanos - System.nanoTime()) + graceNanos;
        if (!closed.await(wait, TimeUnit.NANOSECONDS)) {
            channels.forEach(Channel::close);                  // an answer that never came ends the warm-up too
        }
        return new Count(load.answered.get(), load.ok.get());
    }

    /** One connection's loop: a request, its answer, the next request. */
    private final class Requester extends ChannelInboundHandlerAdapter {

        private final long deadlineNanos;
        private final int port;
        private int sent;
        /** The status the request in flight should be answered with (the backend's: 404 for the missing path). */
        private int expected;

        Requester(long deadlineNanos, int port) {
            this.deadlineNanos = deadlineNanos;
            this.port = port;
        }

        @Override
        public void channelActive(ChannelHandlerContext ctx) {
            send(ctx);
        }

        @Override
        public void channelRead(ChannelHandlerContext ctx, Object msg) {
            try {
                if (msg instanceof HttpResponse response && response.status().code() == expected) {
                    ok.incrementAndGet();
                }
                if (msg instanceof LastHttpContent) {
                    answered.incrementAndGet();
                    if (System.nanoTime() - deadlineNanos < 0) {
                        send(ctx);
                    } else {
                        ctx.close();
                    }
                }
            } finally {
                ReferenceCountUtil.release(msg);
            }
        }

        private void send(ChannelHandlerContext ctx) {
            int n = sent++;
            boolean post = n % 8 == 3;
            String path = post ? "/warm-up/form" : path(n);
            expected = path.equals(WarmupBackend.MISSING_PATH) ? 404 : 200;
            FullHttpRequest request;
            if (post) {
                request = new DefaultFullHttpRequest(HttpVersion.HTTP_1_1, HttpMethod.POST, path,
                        Unpooled.wrappedBuffer(FORM));
                request.headers().set(HttpHeaderNames.CONTENT_TYPE, HttpHeaderValues.APPLICATION_X_WWW_FORM_URLENCODED)
                        .setInt(HttpHeaderNames.CONTENT_LENGTH, FORM.length);
            } else {
                request = new DefaultFullHttpRequest(HttpVersion.HTTP_1_1, HttpMethod.GET, path, Unpooled.EMPTY_BUFFER);
            }
            ClientKind.of(n).addHeaders(request.headers(), port);
            ctx.writeAndFlush(request).addListener(ChannelFutureListener.CLOSE_ON_FAILURE);
        }

        private static String path(int n) {
            if (n % 16 == 15) {
                return "/warm-up" + WarmupBackend.CHUNKED_PATH;
            }
            if (n % 32 == 5) {
                return WarmupBackend.MISSING_PATH;
            }
            return n % 2 == 0 ? "/warm-up/item?id=" + (n & 63) : "/";
        }

        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            ctx.close();
        }
    }
}
