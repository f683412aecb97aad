package io.healthyproxy.http.internal.warmup;

import io.healthyproxy.http.internal.NettyTransport;
import io.netty.bootstrap.Bootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.handler.ssl.SslHandshakeCompletionEvent;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
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
 * outside the proxy's codec. Against a proxy terminating TLS ({@link WarmupTls}) every connection shakes hands
 * first, and when h2 is offered every other lane speaks it ({@link H2Requests}), four streams at a time.
 */
final class WarmupLoad {

    /** Enough connections to keep both sides of every event loop of the proxy busy. */
    static final int CONNECTIONS = 16;
    /** The mix repeats after this many requests. */
    static final int CYCLE = 32;

    private static final String FORM = "name=warm-up&note=" + "x".repeat(200);

    private final byte[][] requests = new byte[CYCLE][];
    /** The same requests for the lanes that speak HTTP/2. */
    private final H2Requests h2;
    private final int[] expected = new int[CYCLE];
    private final AtomicLong answered = new AtomicLong();
    private final AtomicLong ok = new AtomicLong();
    private final AtomicLong answeredOverH2 = new AtomicLong();
    private final AtomicLong tlsHandshakes = new AtomicLong();
    /** The clients' TLS, when the proxy terminates it; null for plain HTTP. */
    private final WarmupTls tls;
    /** Set when the load is cut short: no lane opens another connection. */
    private volatile boolean stopping;

    private WarmupLoad(int port, WarmupTls tls) {
        this.tls = tls;
        String[] methods = new String[CYCLE];
        String[] paths = new String[CYCLE];
        String[] fields = new String[CYCLE];
        String[] bodies = new String[CYCLE];
        for (int n = 0; n < CYCLE; n++) {
            String kind = ClientKind.values()[n % ClientKind.values().length].fields(port);
            boolean form = n % 8 == 3;
            methods[n] = form ? "POST" : "GET";
            paths[n] = form ? "/warm-up/form" : path(n);
            fields[n] = form ? "Content-Type: application/x-www-form-urlencoded\r\nContent-Length: " + FORM.length()
                    + "\r\n" + kind : kind;
            bodies[n] = form ? FORM : "";
            requests[n] = (methods[n] + " " + paths[n] + " HTTP/1.1\r\n" + fields[n] + "\r\n" + bodies[n])
                    .getBytes(StandardCharsets.US_ASCII);
            expected[n] = paths[n].equals(WarmupBackend.MISSING_PATH) ? 404 : 200;
        }
        h2 = new H2Requests(methods, paths, fields, bodies);
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

    /**
     * How many answers came, how many of them had the backend's status (so the proxy passed them on), how many
     * came over HTTP/2, and how many TLS handshakes the clients completed.
     */
    record Count(long answered, long ok, long answeredOverH2, long tlsHandshakes) {

        Count plus(Count other) {
            return new Count(answered + other.answered, ok + other.ok, answeredOverH2 + other.answeredOverH2,
                    tlsHandshakes + other.tlsHandshakes);
        }
    }

    /**
     * Runs the load against {@code proxy} (over TLS when {@code tls} is not null) from {@code group} until
     * {@code deadlineNanos} ({@link System#nanoTime()}), then waits for the cycles under way, at most
     * {@code graceNanos} more. Each of the {@link #CONNECTIONS} lanes sends the whole mix at least once, whatever
     * the deadline. An interrupt ends it early: the connections are closed, and it returns what was answered
     * with the thread's interrupt status set.
     */
    static Count run(EventLoopGroup group, InetSocketAddress proxy, WarmupTls tls, long deadlineNanos,
            long graceNanos) {
        WarmupLoad load = new WarmupLoad(proxy.getPort(), tls);
        CountDownLatch lanesDone = new CountDownLatch(CONNECTIONS);
        Set<Channel> open = ConcurrentHashMap.newKeySet();
        Bootstrap bootstrap = new Bootstrap()
                .group(group)
                .channel(NettyTransport.clientChannel())
                .option(ChannelOption.ALLOCATOR, NettyTransport.allocator())
                .option(ChannelOption.TCP_NODELAY, true);
        for (int i = 0; i < CONNECTIONS; i++) {
            load.lane(bootstrap, proxy, tls != null && tls.offersH2() && i % 2 == 1, deadlineNanos, lanesDone, open);
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
        return new Count(load.answered.get(), load.ok.get(), load.answeredOverH2.get(), load.tlsHandshakes.get());
    }

    /**
     * One of the {@link #CONNECTIONS} lanes: a connection for one cycle of the mix, then, until the deadline, a
     * new one in its place (so accepting, setting up and closing a connection is warmed up too, not only the
     * requests on it). A connection that ends before its cycle did (refused, reset) ends its lane. Over TLS
     * that offers h2, every other lane speaks HTTP/2.
     */
    private void lane(Bootstrap bootstrap, InetSocketAddress proxy, boolean speaksH2, long deadlineNanos,
            CountDownLatch lanesDone, Set<Channel> open) {
        Requester requester = speaksH2 ? new H2Requester() : new H1Requester();
        Channel ch = bootstrap.clone().handler(new ChannelInitializer<>() {
            @Override
            protected void initChannel(Channel ch) {
                if (tls != null) {
                    tls.addClientHandler(ch, proxy.getPort(), speaksH2);
                }
                ch.pipeline().addLast(requester);
            }
        }).connect(proxy).channel();
        open.add(ch);
        ch.closeFuture().addListener(closed -> {
            open.remove(ch);
            if (requester.cycled && !stopping && System.nanoTime() - deadlineNanos < 0) {
                lane(bootstrap, proxy, speaksH2, deadlineNanos, lanesDone, open);
            } else {
                lanesDone.countDown();
            }
        });
    }

    /** One connection's loop: a request, its answer, the next request, for one cycle of the mix. */
    private abstract class Requester extends ChannelInboundHandlerAdapter {

        final Received received = new Received();
        /** How many requests of the cycle were sent: the one awaiting its answer is {@code sent - 1}. */
        int sent;
        /** Whether every request of the cycle was answered (then its lane goes on with a new connection). */
        volatile boolean cycled;

        /** Counts the answer to request {@code n} of the cycle. */
        final void count(int n, int status) {
            answered.incrementAndGet();
            if (status == expected[n]) {
                ok.incrementAndGet();
            }
        }

        /** The cycle is done: its lane goes on with a new connection. */
        final void finish(ChannelHandlerContext ctx) {
            cycled = true;
            ctx.close();
        }

        abstract void sendNext(ChannelHandlerContext ctx);

        final void write(ChannelHandlerContext ctx, byte[] bytes) {
            ctx.writeAndFlush(ctx.alloc().directBuffer(bytes.length).writeBytes(bytes))
                    .addListener(ChannelFutureListener.CLOSE_ON_FAILURE);
        }

        @Override
        public void userEventTriggered(ChannelHandlerContext ctx, Object event) {
            if (event instanceof SslHandshakeCompletionEvent handshake && handshake.isSuccess()) {
                tlsHandshakes.incrementAndGet();
            }
            ctx.fireUserEventTriggered(event);
        }

        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            ctx.close();
        }
    }

    /** HTTP/1.1: one request at a time on a keep-alive connection. */
    private final class H1Requester extends Requester {

        @Override
        public void channelActive(ChannelHandlerContext ctx) {
            sendNext(ctx);
        }

        @Override
        public void channelRead(ChannelHandlerContext ctx, Object msg) {
            received.add((ByteBuf) msg);
            int length = received.firstMessageLength();
            if (length < 0) {
                return;
            }
            int status = received.statusCode();
            received.consume(length);
            count(sent - 1, status);
            if (sent < CYCLE) {
                sendNext(ctx);
            } else {
                finish(ctx);
            }
        }

        @Override
        void sendNext(ChannelHandlerContext ctx) {
            write(ctx, requests[sent++]);
        }
    }

    /**
     * HTTP/2 ({@link H2Requests}): up to {@value #STREAMS_AT_ONCE} streams at a time, as a browser's page or a
     * service client multiplexes them, so the proxy's HTTP/2 path from frames to the upstream requests and back
     * is what is warmed up, streams interleaved; SETTINGS and PING are acknowledged, a GOAWAY ends the
     * connection, a reset stream is an answer that is not the backend's. Request {@code n} of the cycle goes on
     * stream {@code 2n + 1}.
     */
    private final class H2Requester extends Requester {

        private static final int STREAMS_AT_ONCE = 4;

        /** The status of each request's answer, once its HEADERS came; -1 before. */
        private final int[] status = new int[CYCLE];
        private final boolean[] ended = new boolean[CYCLE];
        private int answeredHere;

        @Override
        public void channelActive(ChannelHandlerContext ctx) {
            Arrays.fill(status, -1);
            write(ctx, H2Requests.PREFACE);
            for (int i = 0; i < STREAMS_AT_ONCE; i++) {
                sendNext(ctx);
            }
        }

        @Override
        void sendNext(ChannelHandlerContext ctx) {
            int n = sent++;
            write(ctx, h2.request(n, 2 * n + 1));
        }

        @Override
        public void channelRead(ChannelHandlerContext ctx, Object msg) {
            received.add((ByteBuf) msg);
            while (!cycled && received.length() >= H2Requests.FRAME_HEADER) {
                int length = received.unsignedByte(0) << 16 | received.unsignedByte(1) << 8 | received.unsignedByte(2);
                if (received.length() < H2Requests.FRAME_HEADER + length) {
                    return;
                }
                frame(ctx, received.unsignedByte(3), received.unsignedByte(4),
                        (received.unsignedByte(5) & 0x7f) << 24 | received.unsignedByte(6) << 16
                                | received.unsignedByte(7) << 8 | received.unsignedByte(8), length);
                received.consume(H2Requests.FRAME_HEADER + length);
            }
        }

        /** One whole frame, still in {@code received}: its payload starts at {@link H2Requests#FRAME_HEADER}. */
        private void frame(ChannelHandlerContext ctx, int type, int flags, int streamId, int length) {
            boolean ack = (flags & H2Requests.ACK) != 0;
            switch (type) {
                case H2Requests.SETTINGS -> {
                    if (!ack) {
                        write(ctx, H2Requests.SETTINGS_ACK);
                    }
                }
                case H2Requests.PING -> {
                    if (!ack && length == 8) {
                        byte[] payload = new byte[8];
                        for (int i = 0; i < 8; i++) {
                            payload[i] = (byte) received.unsignedByte(H2Requests.FRAME_HEADER + i);
                        }
                        write(ctx, H2Requests.frame(H2Requests.PING, H2Requests.ACK, 0, payload));
                    }
                }
                case H2Requests.GOAWAY -> ctx.close();
                case H2Requests.HEADERS, H2Requests.DATA, H2Requests.RST_STREAM -> {
                    int n = (streamId - 1) / 2;
                    if (streamId % 2 == 1 && n < sent && !ended[n]) {
                        streamFrame(ctx, n, type, flags, length);
                    }
                }
                default -> { }      // WINDOW_UPDATE and the rest: nothing a client of a few small streams needs
            }
        }

        private void streamFrame(ChannelHandlerContext ctx, int n, int type, int flags, int length) {
            if (type == H2Requests.HEADERS && status[n] == -1) {
                int block = H2Requests.FRAME_HEADER + ((flags & H2Requests.PADDED) != 0 ? 1 : 0)
                        + ((flags & H2Requests.PRIORITY) != 0 ? 5 : 0);
                status[n] = block < H2Requests.FRAME_HEADER + length
                        ? H2Requests.statusOf(received.unsignedByte(block)) : 0;
            }
            if (type == H2Requests.RST_STREAM || (flags & H2Requests.END_STREAM) != 0) {
                ended[n] = true;
                answeredOverH2.incrementAndGet();
                count(n, type == H2Requests.RST_STREAM ? -1 : status[n]);
                answeredHere++;
                if (sent < CYCLE) {
                    sendNext(ctx);
                } else if (answeredHere == CYCLE) {
                    finish(ctx);
                }
            }
        }
    }
}
