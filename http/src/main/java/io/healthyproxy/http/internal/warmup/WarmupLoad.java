package io.healthyproxy.http.internal.warmup;

import io.healthyproxy.http.internal.NettyTransport;
import io.netty.bootstrap.Bootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The warm-up's clients: a few keep-alive connections to the proxy, each sending its next request as soon as
 * the answer to its last one has ended (a closed loop, so the load is as much as the machine gives), and each
 * replaced by a new one after one cycle of the mix, until a deadline. The mix is what a proxy mostly carries,
 * in a cycle of {@value #CYCLE} requests: GETs answered with a small body, every eighth a POST with a form,
 * every sixteenth answered chunked, one a 404; the fields of each {@link ClientKind} in turn. Requests are
 * bytes made once and answers are read with {@link Received}, so the warm-up's own work stays small and
 * outside the proxy's codec.
 */
final class WarmupLoad {

    /** Enough connections to keep both sides of every event loop of the proxy busy. */
    static final int CONNECTIONS = 16;
    /** The mix repeats after this many requests. */
    static final int CYCLE = 32;

    private static final String FORM = "name=warm-up&note=" + "x".repeat(200);

    private final byte[][] requests = new byte[CYCLE][];
    private final int[] expected = new int[CYCLE];
    private final AtomicLong answered = new AtomicLong();
    private final AtomicLong ok = new AtomicLong();
    /** Set when the load is cut short: no lane opens another connection. */
    private volatile boolean stopping;

    private WarmupLoad(int port) {
        for (int n = 0; n < CYCLE; n++) {
            String head;
            String body = "";
            if (n % 8 == 3) {
                head = "POST /warm-up/form HTTP/1.1\r\nContent-Type: application/x-www-form-urlencoded\r\n"
                        + "Content-Length: " + FORM.length() + "\r\n";
                body = FORM;
            } else {
                head = "GET " + path(n) + " HTTP/1.1\r\n";
            }
            requests[n] = (head + ClientKind.values()[n % ClientKind.values().length].fields(port) + "\r\n" + body)
                    .getBytes(StandardCharsets.US_ASCII);
            expected[n] = path(n).equals(WarmupBackend.MISSING_PATH) ? 404 : 200;
        }
    }

    private static String path(int n) {
        if (n % 16 == 15) {
            return "/warm-up" + WarmupBackend.CHUNKED_PATH;
        }
        if (n == 5) {
            return WarmupBackend.MISSING_PATH;
        }
        return n % 2 == 0 ? "/warm-up/item?id=" + n : "/";
    }

    /** How many answers came, and how many of them had the backend's status (so the proxy passed them on). */
    record Count(long answered, long ok) {
    }

    /**
     * Runs the load against {@code proxy} from {@code group} until {@code deadlineNanos} ({@link System#nanoTime()}),
     * then waits for the cycles under way, at most {@code graceNanos} more. Each of the {@link #CONNECTIONS}
     * lanes sends the whole mix at least once, whatever the deadline. An interrupt ends it early: the connections
     * are closed, and it returns what was answered with the thread's interrupt status set.
     */
    static Count run(EventLoopGroup group, InetSocketAddress proxy, long deadlineNanos, long graceNanos) {
        WarmupLoad load = new WarmupLoad(proxy.getPort());
        CountDownLatch lanesDone = new CountDownLatch(CONNECTIONS);
        Set<Channel> open = ConcurrentHashMap.newKeySet();
        Bootstrap bootstrap = new Bootstrap()
                .group(group)
                .channel(NettyTransport.clientChannel())
                .option(ChannelOption.ALLOCATOR, NettyTransport.allocator())
                .option(ChannelOption.TCP_NODELAY, true);
        for (int i = 0; i < CONNECTIONS; i++) {
            load.lane(bootstrap, proxy, deadlineNanos, lanesDone, open);
        }
        long wait = Math.max(0, deadlineNanos - System.nanoTime()) + graceNanos;
        try {
            if (!lanesDone.await(wait, TimeUnit.NANOSECONDS)) {
                load.stopping = true;                          // an answer that never came ends the warm-up too
                open.forEach(Channel::close);
            }
        } catch (InterruptedException e) {
            load.stopping = true;
            open.forEach(Channel::close);
            Thread.currentThread().interrupt();
        }
        return new Count(load.answered.get(), load.ok.get());
    }

    /**
     * One of the {@link #CONNECTIONS} lanes: a connection for one cycle of the mix, then, until the deadline, a
     * new one in its place (so accepting, setting up and closing a connection is warmed up too, not only the
     * requests on it). A connection that ends before its cycle did (refused, reset) ends its lane.
     */
    private void lane(Bootstrap bootstrap, InetSocketAddress proxy, long deadlineNanos, CountDownLatch lanesDone,
            Set<Channel> open) {
        Requester requester = new Requester();
        Channel ch = bootstrap.clone().handler(requester).connect(proxy).channel();
        open.add(ch);
        ch.closeFuture().addListener(closed -> {
            open.remove(ch);
            if (requester.cycled && !stopping && System.nanoTime() - deadlineNanos < 0) {
                lane(bootstrap, proxy, deadlineNanos, lanesDone, open);
            } else {
                lanesDone.countDown();
            }
        });
    }

    /** One connection's loop: a request, its answer, the next request, for one cycle of the mix. */
    private final class Requester extends ChannelInboundHandlerAdapter {

        private final Received received = new Received();
        private int sent;
        /** Whether every request of the cycle was answered (then its lane goes on with a new connection). */
        volatile boolean cycled;

        @Override
        public void channelActive(ChannelHandlerContext ctx) {
            send(ctx);
        }

        @Override
        public void channelRead(ChannelHandlerContext ctx, Object msg) {
            received.add((ByteBuf) msg);
            int length = received.firstMessageLength();
            if (length < 0) {
                return;
            }
            answered.incrementAndGet();
            if (received.statusCode() == expected[sent - 1]) {
                ok.incrementAndGet();
            }
            received.consume(length);
            if (sent < CYCLE) {
                send(ctx);
            } else {
                cycled = true;
                ctx.close();
            }
        }

        private void send(ChannelHandlerContext ctx) {
            byte[] request = requests[sent++];
            ctx.writeAndFlush(ctx.alloc().directBuffer(request.length).writeBytes(request))
                    .addListener(ChannelFutureListener.CLOSE_ON_FAILURE);
        }

        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            ctx.close();
        }
    }
}
