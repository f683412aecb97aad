package io.healthyproxy.testkit;

import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.group.ChannelGroup;
import io.netty.channel.group.DefaultChannelGroup;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.nio.NioSocketChannel;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.util.NetUtil;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.URI;
import java.nio.channels.SocketChannel;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;
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
 * {@link #restart()} listens on the same port again, which the backend keeps meanwhile (a {@link PortReservation}):
 * while it is crashed, connections to it are refused and nothing else can take it (wherever the JDK offers
 * {@code SO_REUSEPORT}: Linux, macOS, BSD), so a restart cannot fail.
 *
 * <h2>Counting and waiting</h2>
 * Requests are counted as their head arrives, whatever happens to them next: by route, by path, and while frozen.
 * {@link #awaitRequests(int, Duration)} and its siblings block until a count is reached, so tests wait on conditions
 * with deadlines rather than sleeping.
 *
 * <h2>Resources and threads</h2>
 * Each backend owns one event loop thread that serves all its connections and, while running, one thread that
 * accepts them (daemons named {@code test-backend-<name>-...}); {@link #close()} closes every socket and returns
 * only once those threads have exited, so a closed backend leaves no thread, socket or port behind. Many backends
 * may run in one JVM. All methods are thread-safe.
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
    /** How long crash() and close() wait for sockets to close and threads to exit: "should happen" time. */
    private static final Duration SHUTDOWN_TIMEOUT = Duration.ofSeconds(10);

    private final String name;
    private final BehaviourSwitch traffic = new BehaviourSwitch();
    private final BehaviourSwitch health = new BehaviourSwitch();
    private final Counters counters = new Counters();
    private final AtomicReference<ReceivedRequest> lastRequest = new AtomicReference<>();
    private final OwnThreads threads;
    private final EventLoopGroup eventLoop;
    private final ChannelGroup connections;
    private final ChannelInitializer<Channel> pipeline;
    private final PortReservation port;

    // Guarded by this: acceptor (null while crashed or closed) and closed.
    private Acceptor acceptor;
    private boolean closed;

    private ControllableBackend(String name, PortReservation port) {
        this.name = name;
        this.port = port;
        this.threads = new OwnThreads(name);
        this.eventLoop = new MultiThreadIoEventLoopGroup(1, threads, NioIoHandler.newFactory());
        this.connections = new DefaultChannelGroup("backend-" + name, eventLoop.next());
        ResponseWriter writer = new ResponseWriter(name);
        this.pipeline = new ChannelInitializer<>() {
            @Override
            protected void initChannel(Channel channel) {
                connections.add(channel);
                channel.pipeline().addLast(new HttpServerCodec(),
                        new ExchangeHandler(writer, traffic, health, counters, lastRequest));
            }
        };
    }

    /**
     * Starts a backend on 127.0.0.1 and a port the kernel chooses: one no other socket holds, kept until
     * {@link #close()}.
     *
     * @param name what the backend answers with and calls its threads: 1 to 64 letters, digits, '.', '_' or '-'
     */
    public static ControllableBackend start(String name) {
        return start(name, 0);
    }

    /**
     * Starts a backend on 127.0.0.1 and {@code port} (0: as {@link #start(String)}), e.g. to bring a closed
     * backend back on the port the proxy knows, or on a port the test holds in a {@link PortReservation}.
     *
     * @throws UncheckedIOException if the port is taken
     */
    public static ControllableBackend start(String name, int port) {
        if (name == null || !NAME.matcher(name).matches()) {
            throw new IllegalArgumentException(
                    "name: " + name + " (expected: 1 to 64 letters, digits, '.', '_' or '-')");
        }
        if (port < 0 || port > 65535) {
            throw new IllegalArgumentException("port: " + port + " (expected: 0..65535)");
        }
        ControllableBackend backend = new ControllableBackend(name, PortReservation.of(port));
        try {
            synchronized (backend) {
                backend.listen();
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

    /** The port it listens on; stays the same, and stays its own, across {@link #crash()} and {@link #restart()}. */
    public int port() {
        return port.port();
    }

    /** {@code "127.0.0.1:PORT"}, as a proxy's backend list wants it. */
    public String address() {
        return LOOPBACK.getHostAddress() + ":" + port();
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
     * A dead backend process: stops listening (new connections are refused from the moment this returns) and resets
     * every open connection, frozen ones included (SO_LINGER 0, so clients read RST). Returns once all are closed.
     * The port stays reserved for {@link #restart()}. Counters and switches are kept. Does nothing if already crashed.
     *
     * @throws IllegalStateException if the backend has been closed
     */
    public synchronized void crash() {
        requireOpen("crash");
        if (acceptor == null) {
            return;
        }
        // First the listener, so that no connection arrives after the resets below.
        acceptor.close(SHUTDOWN_TIMEOUT);
        acceptor = null;
        endAllAtOnce(ResponseWriter::reset);
    }

    /**
     * Brings a crashed backend back: listens on the same port again and answers {@link #ok()} on every path.
     * Counters are kept.
     *
     * @throws IllegalStateException if the backend is running or closed
     * @throws UncheckedIOException if the port was taken meanwhile, which only a platform without
     *                              {@link PortReservation#isSupported() SO_REUSEPORT} allows
     */
    public synchronized void restart() {
        requireOpen("restart");
        if (acceptor != null) {
            throw new IllegalStateException("restart: " + name + " is running (expected: crashed)");
        }
        ok();
        listen();
    }

    /** Whether it is listening: false after {@link #crash()} until {@link #restart()}, and after {@link #close()}. */
    public synchronized boolean isRunning() {
        return acceptor != null;
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

    /**
     * The last request read whole on a path other than {@value #HEALTH_PATH} (frozen ones included), or empty if
     * none since start or the last reset. Health checks are left out so that a probe arriving just after the
     * request a test sent through the proxy never stands in for it.
     */
    public Optional<ReceivedRequest> lastRequest() {
        return Optional.ofNullable(lastRequest.get());
    }

    /**
     * Closes the listening socket and every connection, stops the event loop, waits for the backend's threads to exit
     * and gives its port up. Frozen requests fail on the client side at this point. Idempotent.
     */
    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        if (acceptor != null) {
            acceptor.close(SHUTDOWN_TIMEOUT);
            acceptor = null;
        }
        endAllAtOnce(Channel::close);
        await(eventLoop.shutdownGracefully(0, SHUTDOWN_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS));
        threads.awaitExit(SHUTDOWN_TIMEOUT);
        port.close();
    }

    @Override
    public String toString() {
        return "ControllableBackend[" + name + " at " + address() + "]";
    }

    // Guarded by this.
    private void listen() {
        acceptor = Acceptor.start(port.listen(NetUtil.SOMAXCONN), threads, this::serve);
    }

    /**
     * Ends every connection in one task of the event loop, and waits until all are closed: so that, as when a
     * process dies, no connection reads or answers anything once the first has gone. Ended one by one from the
     * caller's thread, a connection could still answer a request that a client had just resent on it because
     * another connection had closed under that request (the JDK's HTTP client resends a GET whose connection
     * ends before any answer, on a pooled connection): a frozen request was then answered after close(), in
     * about 1 close of 60.
     */
    private void endAllAtOnce(Consumer<Channel> end) {
        await(eventLoop.submit(() -> connections.forEach(end)));
        await(connections.newCloseFuture());
    }

    /**
     * Hands an accepted connection to the event loop, and returns once it is registered there, in
     * {@code connections}: so that once the acceptor has stopped, {@link #crash()} resets every connection.
     */
    private void serve(SocketChannel accepted) {
        try {
            accepted.socket().setTcpNoDelay(true);
        } catch (IOException e) {
            // Gone already: the event loop will see it closed.
        }
        NioSocketChannel channel = new NioSocketChannel(null, accepted);
        channel.pipeline().addLast(pipeline);
        ChannelFuture registered = eventLoop.next().register(channel).awaitUninterruptibly();
        if (!registered.isSuccess()) {
            closeQuietly(accepted);             // the backend is closing and its event loop stopped taking work
        }
    }

    private static void closeQuietly(SocketChannel channel) {
        try {
            channel.close();
        } catch (IOException ignored) {
            // A connection of a backend that is going away: nothing to tell anyone.
        }
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
