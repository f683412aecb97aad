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
 * <p>RSS is read 2 s after the last connection is in, and settled: the least of the readings every half second
 * from 6 to 10 s after, which is what the figure per connection is taken from; "before" is likewise the least of
 * five readings over 2 s. A JVM's RSS swings by 10 MiB and more from one second to the next: it compiles its
 * connection-accepting code during the burst of 10,000 connects, and the compiler's scratch memory (up to
 * 15 MiB of the C library's heap, seen with smaps) goes back to the system only within seconds, as the C
 * library is told to trim its heap. What the connections hold while they sit idle is what stays. For HAProxy
 * and NGINX every reading is the same. Both figures are reported.
 *
 * <p>The proxy keeps its part (buffers, per-connection state) in its own memory, which is what RSS counts; the
 * kernel's socket buffers are not in it (for any proxy alike).
 */
final class IdleConnections {

    /** What one proxy held: connections opened and still open when RSS was read, RSS before and after. */
    record Result(int opened, int stillOpen, double rssBeforeMiB, double rssSoonMiB, double rssAfterMiB) {

        /** Per connection once settled: the least RSS from 6 to 10 s after the last connect. */
        double kibPerConnection() {
            return perConnection(rssAfterMiB);
        }

        /** Per connection 2 s after the last connect, the proxy's transient memory of the burst included. */
        double kibPerConnectionSoon() {
            return perConnection(rssSoonMiB);
        }

        private double perConnection(double rssMiB) {
            return stillOpen == 0 ? 0 : (rssMiB - rssBeforeMiB) * 1024 / stillOpen;
        }
    }

    private static final Duration PATIENCE = Duration.ofSeconds(60);
    private static final int CONNECTING_AT_ONCE = 200;
    /** Time for the proxy's timers and allocator to settle before RSS is first read. */
    private static final Duration SOON = Duration.ofSeconds(2);
    /** From when, and until when, RSS is read for the settled figure: the JVM's compiler arenas, trimming (above). */
    private static final Duration SETTLING = Duration.ofSeconds(6);
    private static final Duration SETTLED = Duration.ofSeconds(10);
    private static final Duration READINGS_APART = Duration.ofMillis(500);

    private IdleConnections() {
    }

    static Result measure(ProxyPeer peer, int count) throws InterruptedException {
        EventLoopGroup group = new MultiThreadIoEventLoopGroup(1, NioIoHandler.newFactory());
        ChannelGroup channels = new DefaultChannelGroup(GlobalEventExecutor.INSTANCE);
        try {
            double before = leastRss(peer, 5);
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
            Thread.sleep(SOON.toMillis());
            double soon = peer.stats().rssMiB();
            Thread.sleep(SETTLING.minus(SOON).toMillis());
            double after = leastRss(peer, (int) (SETTLED.minus(SETTLING).toMillis() / READINGS_APART.toMillis()) + 1);
            int open = (int) channels.stream().filter(Channel::isActive).count();
            return new Result(ok.get(), open, before, soon, after);
        } finally {
            channels.close().await(30, TimeUnit.SECONDS);
            group.shutdownGracefully(0, 1, TimeUnit.SECONDS).await(10, TimeUnit.SECONDS);
        }
    }

    /** The least of {@code readings} readings of the proxy's RSS, half a second apart. */
    private static double leastRss(ProxyPeer peer, int readings) throws InterruptedException {
        double least = peer.stats().rssMiB();
        for (int i = 1; i < readings; i++) {
            Thread.sleep(READINGS_APART.toMillis());
            least = Math.min(least, peer.stats().rssMiB());
        }
        return least;
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
