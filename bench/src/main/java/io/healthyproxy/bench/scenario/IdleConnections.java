package io.healthyproxy.bench.scenario;

import io.netty.bootstrap.Bootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.group.ChannelGroup;
import io.netty.channel.group.DefaultChannelGroup;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.nio.NioSocketChannel;
import io.netty.util.ReferenceCountUtil;
import io.netty.util.concurrent.GlobalEventExecutor;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Memory per idle keep-alive client connection: {@code count} connections to a proxy, each sends one
 * {@code GET /}, reads its answer and then stays open, idle, as a browser's or a service's pooled connection
 * does; the proxy's RSS before and after, divided by the connections still open. Bounded: at most 200 connects
 * at once and a minute for all of them; every connection is closed at the end.
 *
 * <p>The proxy keeps its part (buffers, per-connection state) in its own memory, which is what RSS counts; the
 * kernel's socket buffers are not in it (for any proxy alike).
 */
final class IdleConnections {

    /** What one proxy held: connections opened and still open when RSS was read, RSS before and after. */
    record Result(int opened, int stillOpen, double rssBeforeMiB, double rssAfterMiB) {

        double kibPerConnection() {
            return stillOpen == 0 ? 0 : (rssAfterMiB - rssBeforeMiB) * 1024 / stillOpen;
        }
    }

    private static final Duration PATIENCE = Duration.ofSeconds(60);
    private static final int CONNECTING_AT_ONCE = 200;
    /** Time for the proxy to settle (its timers, its allocator) before RSS is read. */
    private static final Duration SETTLE = Duration.ofSeconds(2);

    private IdleConnections() {
    }

    static Result measure(ProxyPeer peer, int count) throws InterruptedException {
        EventLoopGroup group = new MultiThreadIoEventLoopGroup(1, NioIoHandler.newFactory());
        ChannelGroup channels = new DefaultChannelGroup(GlobalEventExecutor.INSTANCE);
        try {
            double before = peer.stats().rssMiB();
            byte[] request = ("GET / HTTP/1.1\r\nHost: 127.0.0.1:" + peer.port() + "\r\n\r\n").getBytes(StandardCharsets.US_ASCII);
            Semaphore connecting = new Semaphore(CONNECTING_AT_ONCE);
            CountDownLatch answered = new CountDownLatch(count);
            AtomicInteger ok = new AtomicInteger();
            Bootstrap bootstrap = new Bootstrap().group(group).channel(NioSocketChannel.class)
                    .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, 5000)
                    .handler(new ChannelInboundHandlerAdapter());
            long deadline = System.nanoTime() + PATIENCE.toNanos();
            for (int i = 0; i < count && System.nanoTime() < deadline; i++) {
                if (!connecting.tryAcquire(Math.max(1, deadline - System.nanoTime()), TimeUnit.NANOSECONDS)) {
                    break;
                }
                ChannelFuture connect = bootstrap.clone().handler(new OneAnswer(request, connecting, answered, ok))
                        .connect("127.0.0.1", peer.port());
                channels.add(connect.channel());
                connect.addListener(f -> {
                    if (!f.isSuccess()) {
                        connecting.release();
                        answered.countDown();
                    }
                });
            }
            answered.await(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
            Thread.sleep(SETTLE.toMillis());
            double after = peer.stats().rssMiB();
            int open = (int) channels.stream().filter(Channel::isActive).count();
            return new Result(ok.get(), open, before, after);
        } finally {
            channels.close().await(30, TimeUnit.SECONDS);
            group.shutdownGracefully(0, 1, TimeUnit.SECONDS).await(10, TimeUnit.SECONDS);
        }
    }

    /** Sends one request once connected, waits for the end of the (tiny) answer's head and body, then idles. */
    private static final class OneAnswer extends ChannelInboundHandlerAdapter {
        private final byte[] request;
        private final Semaphore connecting;
        private final CountDownLatch answered;
        private final AtomicInteger ok;
        private final StringBuilder seen = new StringBuilder();
        private boolean done;

        OneAnswer(byte[] request, Semaphore connecting, CountDownLatch answered, AtomicInteger ok) {
            this.request = request;
            this.connecting = connecting;
            this.answered = answered;
            this.ok = ok;
        }

        @Override
        public void channelActive(ChannelHandlerContext ctx) {
            ctx.writeAndFlush(Unpooled.wrappedBuffer(request));
        }

        @Override
        public void channelRead(ChannelHandlerContext ctx, Object msg) {
            ByteBuf bytes = (ByteBuf) msg;
            try {
                if (!done) {
                    seen.append(bytes.toString(StandardCharsets.ISO_8859_1));
                    // The backends answer "ok bN\n" (6 bytes) with a Content-Length: the end is the body after the head.
                    int head = seen.indexOf("\r\n\r\n");
                    if (head >= 0 && seen.length() >= head + 4 + contentLength(seen, head)) {
                        finish(seen.indexOf("HTTP/1.1 200") == 0);
                    }
                }
            } finally {
                ReferenceCountUtil.release(bytes);
            }
        }

        @Override
        public void channelInactive(ChannelHandlerContext ctx) {
            finish(false);
        }

        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            ctx.close();
        }

        private void finish(boolean success) {
            if (done) {
                return;
            }
            done = true;
            seen.setLength(0);
            if (success) {
                ok.incrementAndGet();
            }
            connecting.release();
            answered.countDown();
        }

        private static int contentLength(StringBuilder response, int headEnd) {
            String head = response.substring(0, headEnd).toLowerCase(java.util.Locale.ROOT);
            int at = head.indexOf("\r\ncontent-length:");
            if (at < 0) {
                return 0;
            }
            int end = head.indexOf("\r\n", at + 2);
            return Integer.parseInt(head.substring(at + 17, end < 0 ? head.length() : end).trim());
        }
    }
}
