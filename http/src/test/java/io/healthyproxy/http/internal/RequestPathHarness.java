package io.healthyproxy.http.internal;

import io.healthyproxy.core.Backend;
import io.healthyproxy.core.BackendPool;
import io.healthyproxy.core.Balancing;
import io.healthyproxy.core.NoBackendPolicy;
import io.healthyproxy.core.health.HealthCheckConfig;
import io.healthyproxy.core.retry.RetryBudget;
import io.healthyproxy.core.stats.RecentLatencies;
import io.healthyproxy.core.time.Jitter;
import io.healthyproxy.core.time.ManualTicker;
import io.healthyproxy.core.time.VirtualTimeScheduler;
import io.healthyproxy.http.ProxyClock;
import io.healthyproxy.http.config.GrpcPolicy;
import io.healthyproxy.http.config.Hedging;
import io.healthyproxy.http.config.ProxyConfig;
import io.healthyproxy.http.config.RetryPolicy;
import io.healthyproxy.http.config.StatusCodes;
import io.healthyproxy.http.config.Timeouts;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelOutboundHandlerAdapter;
import io.netty.channel.ChannelPromise;
import io.netty.channel.DefaultChannelId;
import io.netty.channel.EventLoop;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.channel.local.LocalServerChannel;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.DefaultHttpContent;
import io.netty.handler.codec.http.DefaultHttpRequest;
import io.netty.handler.codec.http.DefaultHttpResponse;
import io.netty.handler.codec.http.DefaultLastHttpContent;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpContent;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.LastHttpContent;
import io.netty.util.ReferenceCountUtil;
import io.netty.util.concurrent.Future;
import io.netty.util.concurrent.ImmediateEventExecutor;
import io.netty.util.concurrent.Promise;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.SplittableRandom;
import java.util.function.UnaryOperator;

/**
 * The request path — {@link ClientConnection}, {@link Exchange}, {@link Attempt}, {@link UpstreamConnection} —
 * with Netty's {@link EmbeddedChannel} on both sides and time that moves only when a test says so. The client
 * is an embedded channel that takes decoded requests and gives back response objects; each backend is a fake
 * {@link Upstream} whose connections are embedded channels the test answers on. Nothing here sleeps or opens
 * a socket.
 */
final class RequestPathHarness {

    /** Per try 1 s, request 5 s, client idle 30 s; hedging off, 3 attempts, budget minimum 10. */
    static ProxyConfig.Builder defaults() {
        return ProxyConfig.builder()
                .backend("127.0.0.1:1")                 // the config needs one; the harness brings its own
                .timeouts(Timeouts.builder().perTry(Duration.ofSeconds(1)).request(Duration.ofSeconds(5))
                        .responseIdle(Duration.ofSeconds(1)).clientIdle(Duration.ofSeconds(30)).build())
                .retries(new RetryPolicy(3, StatusCodes.GATEWAY_ERRORS, 0.2, 10, Hedging.OFF));
    }

    final ManualTicker ticker = new ManualTicker();
    final VirtualTimeScheduler time = new VirtualTimeScheduler(ticker);
    final Map<String, FakeBackend> backends = new LinkedHashMap<>();
    final BackendPool pool;
    final Cluster cluster;
    final ProxyContext proxy;
    final ClientConnection connection;
    final EmbeddedChannel client;

    RequestPathHarness(int backendCount, UnaryOperator<ProxyConfig.Builder> tweak) {
        this(backendCount, tweak, false);
    }

    /**
     * @param http2 the client is an HTTP/2 connection: {@link #client} carries frames as bytes (see
     *              {@code Http2Wire}), each stream an exchange; {@link #connection} is then null
     */
    RequestPathHarness(int backendCount, UnaryOperator<ProxyConfig.Builder> tweak, boolean http2) {
        this(backendCount, tweak, http2, GrpcPolicy.DEFAULTS);
    }

    /** @param grpc the cluster's rules for gRPC calls */
    RequestPathHarness(int backendCount, UnaryOperator<ProxyConfig.Builder> tweak, boolean http2, GrpcPolicy grpc) {
        ProxyConfig config = tweak.apply(defaults()).build();
        List<Backend> members = new ArrayList<>();
        for (int i = 1; i <= backendCount; i++) {
            Backend backend = Backend.create("b" + i, config.breaker().toBuilder().openJitter(0).build(),
                    HealthCheckConfig.defaults(), ticker, new SplittableRandom(i));
            members.add(backend);
            backends.put(backend.id(), new FakeBackend(backend));
        }
        pool = new BackendPool(members, Balancing.ROUND_ROBIN.create(Jitter.threadLocalRandom()), NoBackendPolicy.FAIL_FAST);
        ProxyClock clock = ProxyClock.virtual(time);
        HedgeDelay hedgeDelay = new HedgeDelay(config.retries().hedging(), new RecentLatencies(Duration.ofSeconds(10),
                ticker), config.timeouts().perTry(), ticker);
        cluster = new Cluster("test", pool, new FakeUpstreams(),
                new RetryBudget(config.retries().budgetRatio(), config.retries().budgetMinimum()), hedgeDelay,
                ExchangePolicy.of(config.timeouts(), config.retries(), config.failureStatuses(), config.limits(), grpc));
        proxy = ProxyContext.of(config, clock, cluster);
        if (http2) {
            connection = null;
            // A server's connection has a server channel for parent: Netty's multiplexer tells servers by that.
            client = new EmbeddedChannel(new LocalServerChannel(), DefaultChannelId.newInstance(), true, false);
            new ClientPipelines(proxy, null).http2(client.pipeline());
            client.pipeline().fireChannelActive();      // as the protocol switch does once it has decided
        } else {
            connection = new ClientConnection(proxy);
            // The messages come decoded here; the decoder's word of each read (RequestDecoder.Arrivals) still must.
            client = new EmbeddedChannel(new ChannelInboundHandlerAdapter() {
                @Override
                public void channelRead(ChannelHandlerContext ctx, Object msg) {
                    connection.bytesArrived();
                    ctx.fireChannelRead(msg);
                }
            }, connection);
        }
    }

    static RequestPathHarness start(int backends) {
        return new RequestPathHarness(backends, b -> b);
    }

    static RequestPathHarness start(int backends, UnaryOperator<ProxyConfig.Builder> tweak) {
        return new RequestPathHarness(backends, tweak);
    }

    FakeBackend backend(String id) {
        return backends.get(id);
    }

    // ---- the client --------------------------------------------------------------------------------------

    /** Sends a whole request with no body, as the decoder would deliver it: a head, then an empty last piece. */
    void get(String uri) {
        send(head(HttpMethod.GET, uri));
        send(LastHttpContent.EMPTY_LAST_CONTENT);
    }

    /** Sends a POST with a small (buffered) body. */
    void post(String uri, String body) {
        HttpRequest head = head(HttpMethod.POST, uri);
        head.headers().setInt(HttpHeaderNames.CONTENT_LENGTH, body.length());
        send(head);
        send(new DefaultLastHttpContent(Unpooled.copiedBuffer(body, StandardCharsets.US_ASCII)));
    }

    static HttpRequest head(HttpMethod method, String uri) {
        HttpRequest head = new DefaultHttpRequest(HttpVersion.HTTP_1_1, method, uri);
        head.headers().set(HttpHeaderNames.HOST, "app.example");
        return head;
    }

    void send(Object decoded) {
        client.writeInbound(decoded);
        settle();
    }

    /** What the client received so far, as objects: heads, body pieces, proxy-made full responses. */
    List<Object> received() {
        settle();
        List<Object> all = new ArrayList<>();
        for (Object o; (o = client.readOutbound()) != null; ) {
            all.add(o);
        }
        return all;
    }

    /** The one complete response the client received: its status and body text. */
    Answer answer() {
        List<Object> parts = received();
        if (parts.isEmpty()) {
            throw new AssertionError("the client received nothing");
        }
        StringBuilder body = new StringBuilder();
        HttpResponse head = null;
        boolean complete = false;
        for (Object part : parts) {
            if (part instanceof HttpResponse h) {
                head = h;
            }
            if (part instanceof HttpContent c) {
                body.append(c.content().toString(StandardCharsets.UTF_8));
                complete |= c instanceof LastHttpContent;
            }
            ReferenceCountUtil.release(part);
        }
        if (head == null) {
            throw new AssertionError("no response head in " + parts);
        }
        return new Answer(head.status().code(), body.toString(), complete, head);
    }

    record Answer(int status, String body, boolean complete, HttpResponse head) {
    }

    /** Makes the client's connection look full (not writable) or drained, as a slow client would. */
    void clientWritable(boolean writable) {
        client.unsafe().outboundBuffer().setUserDefinedWritability(1, writable);
        settle();
    }

    // ---- time ------------------------------------------------------------------------------------------

    void advance(Duration duration) {
        time.runFor(duration);
        settle();
    }

    void advanceMillis(long millis) {
        advance(Duration.ofMillis(millis));
    }

    /** Runs what the embedded channels have queued (closes, their listeners) until nothing is left. */
    void settle() {
        for (int round = 0; round < 100; round++) {
            boolean ran = client.hasPendingTasks();
            client.runPendingTasks();
            for (FakeBackend b : backends.values()) {
                for (FakeConnection c : b.connections) {
                    ran |= c.channel.hasPendingTasks();
                    c.channel.runPendingTasks();
                }
            }
            if (!ran) {
                return;
            }
        }
    }

    // ---- the backends -----------------------------------------------------------------------------------

    private final class FakeUpstreams implements Upstreams {
        @Override
        public Upstream of(Backend backend, EventLoop loop) {
            return backends.get(backend.id());
        }

        @Override
        public InetSocketAddress address(Backend backend) {
            return null;
        }

        @Override
        public int openConnections(Backend backend) {
            return (int) backends.get(backend.id()).connections.stream().filter(c -> c.channel.isActive()).count();
        }

        @Override
        public void closeIdle() {
        }
    }

    /** How a fake backend answers the next connection attempt. */
    enum Connect { ACCEPT, REFUSE, HANG }

    /** One backend: the core's view of it, and connections the test can answer on. */
    final class FakeBackend implements Upstream {
        final Backend core;
        final List<FakeConnection> connections = new ArrayList<>();
        final Queue<Connect> script = new ArrayDeque<>();
        final List<Promise<UpstreamConnection>> hanging = new ArrayList<>();
        final ArrayDeque<UpstreamConnection> idle = new ArrayDeque<>();
        /** Hold back every write until {@link FakeConnection#completeWrites()}: a backend slow to read. */
        boolean holdWrites;

        FakeBackend(Backend core) {
            this.core = core;
        }

        /** The next connection attempts go as given, in order; then every one is accepted. */
        FakeBackend thenConnect(Connect... outcomes) {
            script.addAll(List.of(outcomes));
            return this;
        }

        @Override
        public Future<UpstreamConnection> acquire() {
            for (UpstreamConnection c; (c = idle.pollFirst()) != null; ) {
                if (c.isActive()) {
                    return ImmediateEventExecutor.INSTANCE.newSucceededFuture(c);
                }
            }
            Connect how = script.isEmpty() ? Connect.ACCEPT : script.poll();
            return switch (how) {
                case REFUSE -> ImmediateEventExecutor.INSTANCE.newFailedFuture(
                        new java.net.ConnectException("Connection refused"));
                case HANG -> {
                    Promise<UpstreamConnection> promise = ImmediateEventExecutor.INSTANCE.newPromise();
                    hanging.add(promise);
                    yield promise;
                }
                case ACCEPT -> ImmediateEventExecutor.INSTANCE.newSucceededFuture(open());
            };
        }

        /** Opens a connection (as a hanging connect would when it completes). */
        UpstreamConnection open() {
            UpstreamConnection upstream = new UpstreamConnection(this);
            FakeConnection fake = new FakeConnection(this, upstream);
            connections.add(fake);
            return upstream;
        }

        @Override
        public void release(UpstreamConnection connection) {
            connection.unbind();
            if (connection.isActive()) {
                idle.addFirst(connection);
            }
        }

        @Override
        public void closed(UpstreamConnection connection) {
            idle.remove(connection);
        }

        @Override
        public String authority() {
            return core.id() + ".test:80";
        }

        FakeConnection connection(int index) {
            return connections.get(index);
        }

        FakeConnection last() {
            if (connections.isEmpty()) {
                throw new AssertionError(core.id() + " has no connection");
            }
            return connections.get(connections.size() - 1);
        }

        int consecutiveFailures() {
            return core.breaker().snapshot().consecutiveFailures();
        }
    }

    /** One connection to a fake backend: read what the proxy sent, answer, break it. */
    final class FakeConnection {
        final FakeBackend backend;
        final UpstreamConnection upstream;
        final EmbeddedChannel channel;
        final ReadCounter reads = new ReadCounter();
        final WriteHolder writes = new WriteHolder();

        FakeConnection(FakeBackend backend, UpstreamConnection upstream) {
            this.backend = backend;
            this.upstream = upstream;
            this.channel = new EmbeddedChannel();
            channel.config().setAutoRead(false);
            channel.pipeline().addLast(reads, writes, upstream);
            writes.holding = backend.holdWrites;
        }

        /** Everything the proxy wrote to this connection so far (heads and body pieces). */
        List<Object> sent() {
            settle();
            List<Object> all = new ArrayList<>();
            for (Object o; (o = channel.readOutbound()) != null; ) {
                all.add(o);
            }
            return all;
        }

        /** The request head the proxy sent on this connection (releasing what else was sent). */
        HttpRequest request() {
            HttpRequest head = null;
            for (Object o : sent()) {
                if (o instanceof HttpRequest r && head == null) {
                    head = r;
                }
                ReferenceCountUtil.release(o);
            }
            if (head == null) {
                throw new AssertionError("nothing was sent on " + backend.core.id() + "'s connection");
            }
            return head;
        }

        void respond(int status, String body) {
            FullHttpResponse response = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1,
                    HttpResponseStatus.valueOf(status), Unpooled.copiedBuffer(body, StandardCharsets.UTF_8));
            response.headers().setInt(HttpHeaderNames.CONTENT_LENGTH, body.length());
            channel.writeInbound(response);
            settle();
        }

        /** A response head announcing {@code length} bytes; the body is sent with {@link #piece}. */
        void head(int status, long length) {
            HttpResponse head = new DefaultHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.valueOf(status));
            head.headers().set(HttpHeaderNames.CONTENT_LENGTH, length);
            channel.writeInbound(head);
            settle();
        }

        void piece(String text, boolean last) {
            var bytes = Unpooled.copiedBuffer(text, StandardCharsets.UTF_8);
            channel.writeInbound(last ? new DefaultLastHttpContent(bytes) : new DefaultHttpContent(bytes));
            settle();
        }

        /** The backend closes the connection (a crash, a reset). */
        void reset() {
            channel.close();
            settle();
        }

        boolean isOpen() {
            settle();
            return channel.isOpen();
        }

        void completeWrites() {
            writes.release();
            settle();
        }
    }

    /** Counts the reads the proxy asks of a backend connection (auto-read is off: each is a decision). */
    static final class ReadCounter extends ChannelOutboundHandlerAdapter {
        int count;

        @Override
        public void read(ChannelHandlerContext ctx) {
            count++;
            ctx.read();
        }
    }

    /** Holds writes (and their promises) back while {@code holding}: a backend that reads slowly. */
    static final class WriteHolder extends ChannelOutboundHandlerAdapter {
        boolean holding;
        private final List<Object> held = new ArrayList<>();
        private final List<ChannelPromise> promises = new ArrayList<>();
        private ChannelHandlerContext ctx;

        @Override
        public void handlerAdded(ChannelHandlerContext ctx) {
            this.ctx = ctx;
        }

        @Override
        public void write(ChannelHandlerContext ctx, Object msg, ChannelPromise promise) {
            if (holding) {
                held.add(msg);
                promises.add(promise);
            } else {
                ctx.write(msg, promise);
            }
        }

        int heldCount() {
            return held.size();
        }

        void release() {
            List<Object> messages = List.copyOf(held);
            List<ChannelPromise> waiting = List.copyOf(promises);
            held.clear();
            promises.clear();
            for (int i = 0; i < messages.size(); i++) {
                ctx.write(messages.get(i), waiting.get(i));
            }
            ctx.flush();
        }
    }
}
