package io.healthyproxy.testkit;

import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.group.ChannelGroup;
import io.netty.channel.group.DefaultChannelGroup;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.handler.codec.http.HttpServerCodec;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.regex.Pattern;

/**
 * A real HTTP/1.1 server on 127.0.0.1 that a test can tell to misbehave: the backend behind the proxy in the
 * proxy's integration tests.
 *
 * <h2>What it answers</h2>
 * Normally {@code 200}, {@code Content-Type: text/plain}, the backend's name as the body (so a test sees who served
 * a request) and these headers:
 * <ul>
 *   <li>{@code X-Backend}: the name;
 *   <li>{@code X-Seen-Method}, {@code X-Seen-Uri}: the request's method and target as received;
 *   <li>{@code X-Seen-Body-Length}: how many body bytes arrived (after de-chunking);
 *   <li>{@code X-Seen-Host}, {@code X-Seen-Forwarded-For}, {@code X-Seen-Forwarded-Proto},
 *       {@code X-Seen-Forwarded-Host}, {@code X-Seen-Forwarded}, {@code X-Seen-Via}, {@code X-Seen-Connection}: the
 *       request's {@code Host}, {@code X-Forwarded-*}, {@code Forwarded}, {@code Via} and {@code Connection} headers
 *       as received, several values joined with {@code ", "}; absent when the request had none.
 * </ul>
 * {@value #ECHO_PATH} answers with the request's body instead of the name (up to 16 MiB, then 413). HEAD gets the
 * same headers, {@code Content-Length} included, and no body. Connections are kept alive unless the request says
 * {@code Connection: close} (or is HTTP/1.0 without keep-alive); request bodies of any size, chunked or not, are
 * read and counted; {@code Expect: 100-continue} is honoured.
 *
 * <h2>Misbehaving</h2>
 * {@link #traffic()} controls every path but {@value #HEALTH_PATH}, {@link #health()} controls {@value #HEALTH_PATH}
 * alone; the shortcuts on this class ({@link #freeze()}, {@link #status(int)}, ...) set both. {@link BehaviourSwitch}
 * documents what each behaviour puts on the wire. {@link #crash()} stops listening and resets every connection;
 * {@link #restart()} listens on the same port again.
 *
 * <h2>Counting and waiting</h2>
 * Requests are counted as their head arrives, whatever happens to them next: by route, by path, and while frozen.
 * {@link #awaitRequests(int, Duration)} and its siblings block until a count is reached, so tests wait on conditions
 * with deadlines rather than sleeping.
 *
 * <h2>Resources and threads</h2>
 * Each backend owns one event loop thread (a daemon named {@code backend-<name>-...}) that serves all its
 * connections; {@link #close()} closes every socket and returns only once that thread has exited, so a closed
 * backend leaves no thread, socket or port behind. Many backends may run in one JVM. All methods are thread-safe.
 *
 * <pre>{@code
 * try (ControllableBackend a = ControllableBackend.start("a"); ControllableBackend b = ControllableBackend.start("b")) {
 *     b.traffic().status(500);                       // b fails requests, its health checks still pass
 *     // ... point the proxy at a.address() and b.address(), send traffic ...
 *     assertThat(b.awaitRequests(1, Duration.ofSeconds(5))).isTrue();
 *     assertThat(b.trafficRequests()).isLessThanOrEqualTo(10);
 * }
 * }</pre>
 */
public final class ControllableBackend implements AutoCloseable {

    /** The path health checks use; {@link #health()} controls it, {@link #traffic()} every other path. */
    public static final String HEALTH_PATH = "/health";

    /** The path that answers with the request's body. */
    public static final String ECHO_PATH = "/echo";

    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9._-]{1,64}");
    private static final InetAddress LOOPBACK = InetAddress.getLoopbackAddress();
    /** How long crash() and close() wait for sockets to close and the event loop to exit: "should happen" time. */
    private static final Duration SHUTDOWN_TIMEOUT = Duration.ofSeconds(10);

    private final String name;
    private final BehaviourSwitch traffic = new BehaviourSwitch();
    private final BehaviourSwitch health = new BehaviourSwitch();
    private final Counters counters = new Counters();
    private final AtomicReference<ReceivedRequest> lastRequest = new AtomicReference<>();
    private final OwnThreads threads;
    private final EventLoopGroup eventLoop;
    private final ChannelGroup connections;
    private final ServerBootstrap bootstrap;
    private volatile int port;

    // Guarded by this: listening (null while crashed or closed) and closed.
    private Channel listening;
    private boolean closed;

    private ControllableBackend(String name) {
        this.name = name;
        this.threads = new OwnThreads(name);
        this.eventLoop = new MultiThreadIoEventLoopGroup(1, threads, NioIoHandler.newFactory());
        this.connections = new DefaultChannelGroup("backend-" + name, eventLoop.next());
        ResponseWriter writer = new ResponseWriter(name);
        this.bootstrap = new ServerBootstrap()
                .group(eventLoop)
                .channel(NioServerSocketChannel.class)
                .option(ChannelOption.SO_REUSEADDR, true)
                .childOption(ChannelOption.TCP_NODELAY, true)
                .childHandler(new ChannelInitializer<SocketChannel>() {
                    @Override
                    protected void initChannel(SocketChannel channel) {
                        connections.add(channel);
                        channel.pipeline().addLast(new HttpServerCodec(),
                                new ExchangeHandler(writer, traffic, health, counters, lastRequest));
                    }
                });
    }

    /** Ports a backend picks from: below Linux's ephemeral range (32768-60999), for the reason below. */
    private static final int FIRST_PORT = 20_000;
    private static final int LAST_PORT = 32_767;

    /**
     * Starts a backend on 127.0.0.1 and a free port below the ephemeral range.
     *
     * <p>Why not an ephemeral port (0): {@link #restart()} must bind the same port again after a crash, and an
     * ephemeral port number is up for grabs meanwhile, not only by listeners but as the local port of any
     * outgoing connection on the machine. Below the ephemeral range only another listener can take it.
     *
     * @param name what the backend answers with and calls its thread: 1 to 64 letters, digits, '.', '_' or '-'
     */
    public static ControllableBackend start(String name) {
        java.util.concurrent.ThreadLocalRandom random = java.util.concurrent.ThreadLocalRandom.current();
        UncheckedIOException last = null;
        for (int attempt = 0; attempt < 100; attempt++) {
            try {
                return start(name, random.nextInt(FIRST_PORT, LAST_PORT + 1));
            } catch (UncheckedIOException taken) {
                last = taken;
            }
        }
        throw last;
    }

    /**
     * Starts a backend on 127.0.0.1 and {@code port} (0 for an ephemeral one), e.g. to bring a closed backend back
     * on the port the proxy knows.
     *
     * @throws UncheckedIOException if the port cannot be bound
     */
    public static ControllableBackend start(String name, int port) {
        if (name == null || !NAME.matcher(name).matches()) {
            throw new IllegalArgumentException(
                    "name: " + name + " (expected: 1 to 64 letters, digits, '.', '_' or '-')");
        }
        if (port < 0 || port > 65535) {
            throw new IllegalArgumentException("port: " + port + " (expected: 0..65535)");
        }
        ControllableBackend backend = new ControllableBackend(name);
        try {
            synchronized (backend) {
                backend.listen(port);
            }
            return backend;
        } catch (RuntimeException e) {
            backend.close();
            throw e;
        }
    }

    public String name() {
        return name;
    }

    /** The port it listens on; stays the same across {@link #crash()} and {@link #restart()}. */
    public int port() {
        return port;
    }

    /** {@code "127.0.0.1:PORT"}, as a proxy's backend list wants it. */
    public String address() {
        return LOOPBACK.getHostAddress() + ":" + port;
    }

    /** {@code http://127.0.0.1:PORT} followed by {@code path}, for talking to the backend directly. */
    public URI uri(String path) {
        return URI.create("http://" + address() + path);
    }

    /** Controls every path but {@value #HEALTH_PATH}. */
    public BehaviourSwitch traffic() {
        return traffic;
    }

    /** Controls {@value #HEALTH_PATH} alone. */
    public BehaviourSwitch health() {
        return health;
    }

    /** {@link BehaviourSwitch#ok()} for traffic and health checks. */
    public void ok() {
        traffic.ok();
        health.ok();
    }

    /** {@link BehaviourSwitch#status(int)} for traffic and health checks. */
    public void status(int status) {
        traffic.status(status);
        health.status(status);
    }

    /** {@link BehaviourSwitch#slow(Duration)} for traffic and health checks. */
    public void slow(Duration delay) {
        traffic.slow(delay);
        health.slow(delay);
    }

    /** {@link BehaviourSwitch#freeze()} for traffic and health checks: a hung backend. */
    public void freeze() {
        traffic.freeze();
        health.freeze();
    }

    /** {@link BehaviourSwitch#unfreeze()} for traffic and health checks. */
    public void unfreeze() {
        traffic.unfreeze();
        health.unfreeze();
    }

    /** {@link BehaviourSwitch#resetMidResponse()} for traffic and health checks. */
    public void resetMidResponse() {
        traffic.resetMidResponse();
        health.resetMidResponse();
    }

    /** {@link BehaviourSwitch#closeBeforeResponse()} for traffic and health checks. */
    public void closeBeforeResponse() {
        traffic.closeBeforeResponse();
        health.closeBeforeResponse();
    }

    /** {@link BehaviourSwitch#malformedResponse()} for traffic and health checks. */
    public void malformedResponse() {
        traffic.malformedResponse();
        health.malformedResponse();
    }

    /**
     * A dead backend process: stops listening (new connections are refused) and resets every open connection,
     * frozen ones included (SO_LINGER 0, so clients read RST). Returns once all are closed. Counters and switches are
     * kept. Does nothing if already crashed.
     *
     * @throws IllegalStateException if the backend has been closed
     */
    public synchronized void crash() {
        requireOpen("crash");
        if (listening == null) {
            return;
        }
        await(listening.close());
        listening = null;
        for (Channel connection : connections) {
            ResponseWriter.reset(connection);
        }
        await(connections.newCloseFuture());
    }

    /**
     * Brings a crashed backend back: listens on the same port again and answers {@link #ok()} on every path.
     * Counters are kept.
     *
     * @throws IllegalStateException if the backend is running or closed
     * @throws UncheckedIOException if the port was taken meanwhile
     */
    public synchronized void restart() {
        requireOpen("restart");
        if (listening != null) {
            throw new IllegalStateException("restart: " + name + " is running (expected: crashed)");
        }
        ok();
        listen(port);
    }

    /** Whether it is listening: false after {@link #crash()} until {@link #restart()}, and after {@link #close()}. */
    public synchronized boolean isRunning() {
        return listening != null;
    }

    /** Requests received, traffic and health checks together. */
    public long requests() {
        return counters.trafficRequests() + counters.healthRequests();
    }

    /** Requests received on every path but {@value #HEALTH_PATH}. */
    public long trafficRequests() {
        return counters.trafficRequests();
    }

    /** Requests received on {@value #HEALTH_PATH}. */
    public long healthRequests() {
        return counters.healthRequests();
    }

    /** Requests received on exactly this path (query excluded), e.g. {@code "/orders"}. */
    public long requests(String path) {
        return counters.requests(path);
    }

    /** Requests that arrived while their route was frozen, and so were never answered. */
    public long requestsWhileFrozen() {
        return counters.requestsWhileFrozen();
    }

    /** Connections open now. */
    public int openConnections() {
        return counters.openConnections();
    }

    /** Connections accepted in all. */
    public long acceptedConnections() {
        return counters.acceptedConnections();
    }

    /** Zeroes every count but {@link #openConnections()} and forgets {@link #lastRequest()}. */
    public void resetCounters() {
        counters.reset();
        lastRequest.set(null);
    }

    /** Blocks until at least {@code n} traffic requests have been received; false if {@code timeout} passed first. */
    public boolean awaitRequests(int n, Duration timeout) {
        return counters.await(() -> counters.trafficRequests() >= n, timeout);
    }

    /** Blocks until at least {@code n} health checks have been received; false if {@code timeout} passed first. */
    public boolean awaitHealthChecks(int n, Duration timeout) {
        return counters.await(() -> counters.healthRequests() >= n, timeout);
    }

    /** Blocks until exactly {@code n} connections are open; false if {@code timeout} passed first. */
    public boolean awaitOpenConnections(int n, Duration timeout) {
        return counters.await(() -> counters.openConnections() == n, timeout);
    }

    /** The last request read whole (frozen ones included), or empty if none since start or the last reset. */
    public Optional<ReceivedRequest> lastRequest() {
        return Optional.ofNullable(lastRequest.get());
    }

    /**
     * Closes the listening socket and every connection, then stops the event loop and waits for its thread to exit.
     * Frozen requests fail on the client side at this point. Idempotent.
     */
    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        if (listening != null) {
            await(listening.close());
            listening = null;
        }
        await(connections.close());
        await(eventLoop.shutdownGracefully(0, SHUTDOWN_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS));
        threads.awaitExit(SHUTDOWN_TIMEOUT);
    }

    @Override
    public String toString() {
        return "ControllableBackend[" + name + " at " + address() + "]";
    }

    // Guarded by this.
    private void listen(int port) {
        ChannelFuture bound = bootstrap.bind(LOOPBACK, port).awaitUninterruptibly();
        if (!bound.isSuccess()) {
            String message = "cannot listen on " + LOOPBACK.getHostAddress() + ":" + port;
            if (bound.cause() instanceof IOException) {
                throw new UncheckedIOException(message, (IOException) bound.cause());
            }
            throw new IllegalStateException(message, bound.cause());
        }
        listening = bound.channel();
        this.port = ((InetSocketAddress) listening.localAddress()).getPort();
    }

    private void requireOpen(String action) {
        if (closed) {
            throw new IllegalStateException(action + ": " + name + " is closed");
        }
    }

    private static void await(io.netty.util.concurrent.Future<?> future) {
        future.awaitUninterruptibly(SHUTDOWN_TIMEOUT.toMillis());
    }
}
