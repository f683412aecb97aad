package io.healthyproxy.testkit.load;

import io.netty.bootstrap.Bootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoop;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.group.ChannelGroup;
import io.netty.channel.group.DefaultChannelGroup;
import io.netty.channel.socket.SocketChannel;
import io.netty.handler.codec.http.DefaultFullHttpRequest;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpClientCodec;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.util.concurrent.ScheduledFuture;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.function.LongFunction;

/**
 * An open-loop HTTP load: requests are sent at a fixed rate whether or not earlier ones were answered. A
 * stalled request never holds back the next (it takes another keep-alive connection, or opens one), and
 * every latency is measured from the moment the schedule said to send, so a stall cannot hide behind the
 * requests it kept from being sent (coordinated omission). This is what makes "no request slower than
 * 250 ms" a meaningful claim; wrk and hey are closed-loop and cannot make it.
 *
 * <p>Runs on one event loop of its own; results are reported on it, so the consumer must be quick.
 */
public final class OpenLoopLoad implements AutoCloseable {

    private final EventLoopGroup group;
    private final EventLoop loop;
    private final InetSocketAddress target;
    /** The path of the n-th request (0, 1, 2, ...). */
    private final LongFunction<String> paths;
    private final long timeoutNanos;
    private final int maxConnections;
    private final Consumer<LoadResult> results;
    private final Bootstrap bootstrap;
    private final ArrayDeque<Connection> idle = new ArrayDeque<>();
    /** Every open connection, to close them all at the end (closed ones leave by themselves). */
    private final ChannelGroup channels;
    private final long periodNanos;
    private long nextDue;
    private int open;
    private final java.util.concurrent.atomic.AtomicLong sent = new java.util.concurrent.atomic.AtomicLong();
    private volatile boolean stopped;
    /** Set by {@link #close()}: results that come after it are not reported. */
    private volatile boolean abandoned;
    private ScheduledFuture<?> ticker;

    private OpenLoopLoad(InetSocketAddress target, LongFunction<String> paths, double perSecond, Duration timeout,
            int maxConnections, Consumer<LoadResult> results) {
        this.group = LoadTransport.newGroup("healthy-proxy-load");
        this.loop = group.next();
        this.channels = new DefaultChannelGroup("open-loop-load", loop);
        this.target = target;
        this.paths = paths;
        this.timeoutNanos = timeout.toNanos();
        this.maxConnections = maxConnections;
        this.results = results;
        this.periodNanos = (long) (1e9 / perSecond);
        this.bootstrap = new Bootstrap().group(loop)
                .channel(LoadTransport.channel())
                .option(ChannelOption.TCP_NODELAY, true)
                .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, (int) Math.max(1, timeout.toMillis()));
    }

    /**
     * Starts sending {@code perSecond} requests a second to {@code path} on {@code target}, until
     * {@link #close()}. Each answer (or failure after {@code timeout}) goes to {@code results}.
     */
    public static OpenLoopLoad start(InetSocketAddress target, String path, double perSecond, Duration timeout,
            int maxConnections, Consumer<LoadResult> results) {
        return start(target, n -> path, perSecond, timeout, maxConnections, results);
    }

    /**
     * As {@link #start(InetSocketAddress, String, double, Duration, int, Consumer)}, with the path of each request
     * chosen by its number: {@code paths.apply(n)} for the n-th request sent (from 0), e.g.
     * {@code n -> n % 10 == 9 ? "/broken" : "/"} for one request in ten to {@code /broken}, evenly spread. Each
     * result carries its request's path. {@code paths} runs on the load's event loop, so it must be quick.
     */
    public static OpenLoopLoad start(InetSocketAddress target, LongFunction<String> paths, double perSecond,
            Duration timeout, int maxConnections, Consumer<LoadResult> results) {
        if (!(perSecond > 0 && perSecond <= 1_000_000)) {
            throw new IllegalArgumentException("perSecond: " + perSecond + " (expected: 0 < rate <= 1000000)");
        }
        OpenLoopLoad load = new OpenLoopLoad(target, paths, perSecond, timeout, maxConnections, results);
        load.loop.execute(load::begin);
        return load;
    }

    private void begin() {
        nextDue = System.nanoTime();
        // Tick often and send every request that has come due: the schedule, not the timer, sets the rate.
        long tick = Math.max(100_000, Math.min(periodNanos, 1_000_000));
        ticker = loop.scheduleAtFixedRate(this::sendDue, 0, tick, TimeUnit.NANOSECONDS);
    }

    private void sendDue() {
        long now = System.nanoTime();
        while (!stopped && now - nextDue >= 0) {
            send(nextDue);
            nextDue += periodNanos;
        }
    }

    private void send(long due) {
        String path = paths.apply(sent.getAndIncrement());
        Connection c = idle.pollFirst();
        while (c != null && !c.channel.isActive()) {
            c = idle.pollFirst();
        }
        if (c != null) {
            c.request(due, path);
            return;
        }
        if (open >= maxConnections) {
            results.accept(LoadResult.unanswered(due, System.nanoTime() - due, "client: all connections busy", path));
            return;
        }
        open++;
        Connection fresh = new Connection();
        bootstrap.clone().handler(new ChannelInitializer<SocketChannel>() {
            @Override
            protected void initChannel(SocketChannel ch) {
                channels.add(ch);
                ch.pipeline().addLast(new HttpClientCodec(), new HttpObjectAggregator(1 << 20), fresh);
            }
        }).connect(target).addListener(f -> {
            if (f.isSuccess()) {
                fresh.request(due, path);
            } else {
                open--;
                if (!abandoned) {
                    results.accept(LoadResult.unanswered(due, System.nanoTime() - due, describe(f.cause()), path));
                }
            }
        });
    }

    /** Requests sent (or attempted) so far; each gets exactly one result. */
    public long sent() {
        return sent.get();
    }

    /** Stops sending; requests under way still get their result (an answer, or their timeout). */
    public void stopSending() {
        stopped = true;
    }

    /**
     * Stops sending and closes every connection, waiting (up to 5 s) until they are closed; requests under
     * way are abandoned and get no result. The connections are closed one by one rather than left to the
     * event loop's shutdown, so that a test measuring open sockets right after this sees none of ours.
     */
    @Override
    public void close() throws InterruptedException {
        stopped = true;
        abandoned = true;
        loop.execute(() -> {
            if (ticker != null) {
                ticker.cancel(false);
            }
        });
        channels.close().await(5, TimeUnit.SECONDS);
        group.shutdownGracefully(0, 1, TimeUnit.SECONDS).await(5, TimeUnit.SECONDS);
    }

    private static String excerpt(ByteBuf body) {
        int length = Math.min(body.readableBytes(), LoadResult.DETAIL_CHARS);
        return body.toString(body.readerIndex(), length, StandardCharsets.UTF_8);
    }

    private static String describe(Throwable cause) {
        String message = cause.getMessage();
        return message == null ? cause.getClass().getSimpleName() : message;
    }

    /** A keep-alive connection carrying one request at a time. */
    private final class Connection extends SimpleChannelInboundHandler<FullHttpResponse> {
        private Channel channel;
        private long due = -1;
        private String path;
        private ScheduledFuture<?> timeout;

        void request(long dueAt, String requestPath) {
            due = dueAt;
            path = requestPath;
            FullHttpRequest request = new DefaultFullHttpRequest(HttpVersion.HTTP_1_1, HttpMethod.GET, path);
            request.headers().set(HttpHeaderNames.HOST, target.getHostString() + ":" + target.getPort());
            channel.writeAndFlush(request);
            long remaining = timeoutNanos - (System.nanoTime() - dueAt);
            timeout = loop.schedule(() -> finish(0, "timeout", null, null, false), Math.max(0, remaining), TimeUnit.NANOSECONDS);
        }

        @Override
        public void handlerAdded(ChannelHandlerContext ctx) {
            channel = ctx.channel();
        }

        @Override
        protected void channelRead0(ChannelHandlerContext ctx, FullHttpResponse response) {
            int status = response.status().code();
            String detail = status >= 400 ? excerpt(response.content()) : null;
            finish(status, null, response.headers().get("X-Backend"), detail, HttpUtil.isKeepAlive(response));
        }

        @Override
        public void channelInactive(ChannelHandlerContext ctx) {
            open--;
            idle.remove(this);
            finish(0, "connection closed", null, null, false);
        }

        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            finish(0, describe(cause), null, null, false);
        }

        private void finish(int status, String error, String servedBy, String detail, boolean reusable) {
            if (due < 0) {
                return;
            }
            long dueAt = due;
            due = -1;
            if (timeout != null) {
                timeout.cancel(false);
            }
            if (abandoned) {
                channel.close();
                return;
            }
            results.accept(new LoadResult(dueAt, System.nanoTime() - dueAt, status, error, servedBy, detail, path));
            if (reusable && !stopped && channel.isActive()) {
                idle.addFirst(this);
            } else {
                channel.close();
            }
        }
    }
}
