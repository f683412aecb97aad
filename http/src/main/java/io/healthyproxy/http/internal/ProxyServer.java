package io.healthyproxy.http.internal;

import io.healthyproxy.core.ActiveHealthChecker;
import io.healthyproxy.core.Backend;
import io.healthyproxy.core.BackendPool;
import io.healthyproxy.core.SlowBackendDetector;
import io.healthyproxy.core.breaker.CircuitBreaker;
import io.healthyproxy.core.health.HealthTracker;
import io.healthyproxy.core.retry.RetryBudget;
import io.healthyproxy.core.stats.RecentLatencies;
import io.healthyproxy.core.time.Jitter;
import io.healthyproxy.core.time.Scheduler;
import io.healthyproxy.core.time.Ticker;
import io.healthyproxy.http.ProxyClock;
import io.healthyproxy.http.config.BackendConfig;
import io.healthyproxy.http.config.ProxyConfig;
import io.healthyproxy.http.config.TlsConfig;
import io.healthyproxy.http.internal.h2.ProtocolSwitch;
import io.healthyproxy.http.internal.tls.CertificateWatch;
import io.healthyproxy.http.internal.tls.TlsEngines;
import io.healthyproxy.http.internal.tls.TlsTerminator;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.WriteBufferWaterMark;
import io.netty.channel.group.ChannelGroup;
import io.netty.channel.group.DefaultChannelGroup;
import io.netty.channel.socket.SocketChannel;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.handler.ssl.ApplicationProtocolNames;
import io.netty.util.concurrent.GlobalEventExecutor;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The running proxy: event loops, the client listener, the admin listener, the backends with their breakers
 * and health checks. {@link io.healthyproxy.http.HttpProxy} is its public face.
 *
 * <p>Threads: one I/O event loop per core, shared by client connections, backend connections and health
 * checks (each client connection, and every backend connection its requests use, stays on one loop); one
 * more loop for the admin API, so that it answers even when the proxy is saturated.
 */
public final class ProxyServer {

    private static final Logger LOG = LoggerFactory.getLogger(ProxyServer.class);

    private final ProxyConfig config;
    private final EventLoopGroup io;
    private final EventLoopGroup adminLoop;
    private final ProxyContext context;
    private final UpstreamPools upstreams;
    private final ActiveHealthChecker checker;
    private final SlowBackendDetector slowness;
    private final Scheduler slownessScheduler;
    private final ChannelGroup clients = new DefaultChannelGroup("clients", GlobalEventExecutor.INSTANCE);
    private final AtomicBoolean stopping = new AtomicBoolean();
    private Channel listener;
    private Channel admin;
    /** TLS on the client listener and on the admin listener, or null; each with its certificate watch. */
    private final TlsTerminator tls;
    private final TlsTerminator adminTls;
    private final List<CertificateWatch> watches = new ArrayList<>();

    private ProxyServer(ProxyConfig config, ProxyClock clock) {
        this.config = config;
        this.io = NettyTransport.newGroup(Runtime.getRuntime().availableProcessors(), "healthy-proxy-io");
        this.adminLoop = NettyTransport.newGroup(1, "healthy-proxy-admin");
        Ticker ticker = clock.ticker();
        TransitionLog transitions = new TransitionLog();
        Map<Backend, InetSocketAddress> addresses = new LinkedHashMap<>();
        List<Backend> backends = new ArrayList<>();
        for (BackendConfig b : config.backends()) {
            Backend backend = new Backend(b.name(), new CircuitBreaker(b.name(), config.breaker(), ticker,
                    Jitter.threadLocalRandom()), new HealthTracker(b.name(), config.healthCheck().schedule()), ticker,
                    config.slowness().window());
            backend.breaker().addListener(transitions);
            backend.health().addListener(transitions);
            backends.add(backend);
            addresses.put(backend, b.address().toSocketAddress());
        }
        BackendPool pool = new BackendPool(backends, config.balancing().create(Jitter.threadLocalRandom()),
                config.whenNoneAdmits());
        this.upstreams = new UpstreamPools(addresses, clock, config.timeouts().connect(),
                config.timeouts().backendIdle());
        HedgeDelay hedgeDelay = new HedgeDelay(config.retries().hedging(),
                new RecentLatencies(Duration.ofSeconds(10), ticker), config.timeouts().perTry(), ticker);
        Cluster cluster = new Cluster("default", pool, upstreams,
                new RetryBudget(config.retries().budgetRatio(), config.retries().budgetMinimum()), hedgeDelay,
                ExchangePolicy.of(config.timeouts(), config.retries(), config.failureStatuses(), config.limits()));
        this.context = new ProxyContext(config, clock, cluster);
        List<String> alpn = config.http2().enabled() ? List.of(ApplicationProtocolNames.HTTP_2,
                ApplicationProtocolNames.HTTP_1_1) : List.of(ApplicationProtocolNames.HTTP_1_1);
        this.tls = config.tls().map(t -> watched(new TlsTerminator("listen", t, alpn), t, clock)).orElse(null);
        this.adminTls = config.adminTls().map(t -> watched(new TlsTerminator("admin", t,
                List.of(ApplicationProtocolNames.HTTP_1_1)), t, clock)).orElse(null);
        this.slowness = new SlowBackendDetector(config.slowness(), pool::backends, ticker, transitions);
        this.slownessScheduler = clock.scheduler(io.next());
        if (config.healthCheck().enabled()) {
            this.checker = new ActiveHealthChecker(config.healthCheck().schedule(),
                    new HttpProber(io, addresses, config.healthCheck()), clock.scheduler(io.next()), ticker,
                    Jitter.threadLocalRandom());
        } else {
            this.checker = null;
        }
    }

    private TlsTerminator watched(TlsTerminator terminator, TlsConfig tlsConfig, ProxyClock clock) {
        watches.add(new CertificateWatch(terminator, clock.scheduler(adminLoop.next()), tlsConfig.reloadInterval()));
        return terminator;
    }

    /** Binds both listeners and starts checking backends; throws if an address cannot be bound. */
    public static ProxyServer start(ProxyConfig config, ProxyClock clock) throws InterruptedException {
        ProxyServer server = new ProxyServer(config, clock);
        try {
            server.bind();
        } catch (RuntimeException | InterruptedException e) {
            server.shutdownGroups();
            throw e;
        }
        return server;
    }

    private void bind() throws InterruptedException {
        ClientPipelines pipelines = new ClientPipelines(context, tls);
        listener = new ServerBootstrap()
                .group(io)
                .channel(NettyTransport.serverChannel())
                .option(ChannelOption.SO_BACKLOG, 1024)
                .option(ChannelOption.SO_REUSEADDR, true)
                .childOption(ChannelOption.ALLOCATOR, NettyTransport.allocator())
                .childOption(ChannelOption.AUTO_READ, false)
                .childOption(ChannelOption.TCP_NODELAY, true)
                // A client that half-closes after its request still gets the answer (onInputShutdown).
                .childOption(ChannelOption.ALLOW_HALF_CLOSURE, true)
                .childOption(ChannelOption.WRITE_BUFFER_WATER_MARK, new WriteBufferWaterMark(32 * 1024, 64 * 1024))
                .childHandler(new ChannelInitializer<SocketChannel>() {
                    @Override
                    protected void initChannel(SocketChannel ch) {
                        pipelines.initialize(ch);
                        clients.add(ch);
                    }
                })
                .bind(config.listen().toSocketAddress()).sync().channel();
        admin = new ServerBootstrap()
                .group(adminLoop)
                .channel(NettyTransport.serverChannel())
                .option(ChannelOption.SO_REUSEADDR, true)
                .childHandler(new ChannelInitializer<SocketChannel>() {
                    @Override
                    protected void initChannel(SocketChannel ch) {
                        if (adminTls != null) {
                            ch.pipeline().addLast(adminTls.newHandler());
                        }
                        ch.pipeline().addLast(new HttpServerCodec(), new HttpObjectAggregator(64 * 1024),
                                new AdminHandler(context, addressText(address()), config.adminToken()));
                    }
                })
                .bind(config.admin().toSocketAddress()).sync().channel();
        if (checker != null) {
            context.cluster.pool().backends().forEach(checker::watch);
        }
        watches.forEach(CertificateWatch::start);
        if (config.slowness().enabled()) {
            judgeSlowness();
        }
        if (!adminAddress().getAddress().isLoopbackAddress()) {
            // Config validation made sure there is a token; say loudly that the admin API is exposed.
            LOG.warn("the admin API on {} is reachable from other hosts: every path but /healthz requires "
                    + "'Authorization: Bearer <adminToken>'", addressText(adminAddress()));
        } else if (config.adminToken().isPresent()) {
            LOG.info("the admin API requires 'Authorization: Bearer <adminToken>' on every path but /healthz");
        }
        LOG.info("listening on {} ({}; {}), admin on {}{}, {} backends: {}", addressText(address()),
                NettyTransport.name(), protocols(), addressText(adminAddress()), adminTls == null ? "" : " (TLS)",
                config.backends().size(), config.backends().stream()
                        .map(b -> b.name().equals(b.address().toString()) ? b.name() : b.name() + "=" + b.address())
                        .toList());
    }

    /** What the client listener speaks, for the start-up line: {@code TLS by OpenSSL (BoringSSL), h2 + HTTP/1.1}. */
    private String protocols() {
        String http = config.http2().enabled() ? (tls != null ? "h2 + HTTP/1.1" : config.http2().cleartext()
                ? "HTTP/1.1 + h2c (prior knowledge)" : "HTTP/1.1") : "HTTP/1.1";
        return tls == null ? "plain " + http : "TLS by " + TlsEngines.describe(tls.provider()) + ", " + http;
    }

    /** Compares the backends' answer times every interval, until the proxy stops. */
    private void judgeSlowness() {
        slownessScheduler.schedule(config.slowness().interval(), () -> {
            if (!stopping.get()) {
                slowness.evaluate();
                judgeSlowness();
            }
        });
    }

    public InetSocketAddress address() {
        return (InetSocketAddress) listener.localAddress();
    }

    public InetSocketAddress adminAddress() {
        return (InetSocketAddress) admin.localAddress();
    }

    public BackendPool pool() {
        return context.cluster.pool();
    }

    public ProxyConfig config() {
        return config;
    }

    public boolean isDraining() {
        return context.isDraining();
    }

    public int activeRequests() {
        return context.activeExchanges();
    }

    public int clientConnections() {
        return context.clientConnections();
    }

    /**
     * Stops gracefully: no new connections, idle ones closed, requests under way get up to {@code grace} to
     * finish (their connections close after them), then everything is closed. Blocks until done.
     *
     * @return the number of requests still unfinished when the grace period ran out (0 for a second call)
     */
    public int stop(Duration grace) throws InterruptedException {
        if (!stopping.compareAndSet(false, true)) {
            return 0;
        }
        context.startDraining();
        if (listener != null) {
            listener.close().sync();
        }
        for (Channel client : clients) {
            client.eventLoop().execute(() -> drain(client));
        }
        upstreams.closeIdle();                          // backends see a clean close of what is not needed
        long deadline = System.nanoTime() + grace.toNanos();
        while (context.activeExchanges() > 0 && System.nanoTime() - deadline < 0) {
            Thread.sleep(10);                           // shutdown path only
        }
        int unfinished = context.activeExchanges();
        upstreams.closeIdle();
        if (checker != null) {
            checker.close();
        }
        watches.forEach(CertificateWatch::stop);
        clients.close().await(1, TimeUnit.SECONDS);
        if (admin != null) {
            admin.close().sync();
        }
        shutdownGroups();
        LOG.info("stopped{}", unfinished == 0 ? "" : "; " + unfinished + " requests were cut off by the grace period");
        return unfinished;
    }

    /**
     * Starts closing one client connection for shutdown: an idle HTTP/1.1 connection at once (a busy one after
     * its answer), an HTTP/2 one with GOAWAY (its streams finish first), one still choosing its protocol at once.
     */
    private static void drain(Channel client) {
        ClientConnection http1 = client.pipeline().get(ClientConnection.class);
        Http2ClientConnection http2 = client.pipeline().get(Http2ClientConnection.class);
        if (http1 != null) {
            http1.closeIfIdle();
        } else if (http2 != null) {
            http2.drain();
        } else if (client.pipeline().get(ProtocolSwitch.class) != null) {
            client.close();
        }
    }

    private void shutdownGroups() throws InterruptedException {
        io.shutdownGracefully(0, 1, TimeUnit.SECONDS);
        adminLoop.shutdownGracefully(0, 1, TimeUnit.SECONDS);
        io.terminationFuture().await(5, TimeUnit.SECONDS);
        adminLoop.terminationFuture().await(5, TimeUnit.SECONDS);
    }

    private static String addressText(InetSocketAddress a) {
        return a.getAddress().getHostAddress() + ":" + a.getPort();
    }
}
