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
import io.healthyproxy.http.ReloadOutcome;
import io.healthyproxy.http.ReloadSummary;
import io.healthyproxy.http.config.BackendConfig;
import io.healthyproxy.http.config.ClusterConfig;
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
import java.util.Objects;
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
    /** The config in force; guarded by {@code this} for writes. */
    private volatile ProxyConfig current;
    private final EventLoopGroup io;
    private final EventLoopGroup adminLoop;
    private final Clusters clusters;
    private final ProxyContext context;
    /** Recent circuit, health and ejection events, for the admin API's {@code /timeline} and dashboard. */
    private final Timeline timeline;
    private final AdminAccess adminAccess;
    private final ChannelGroup clients = new DefaultChannelGroup("clients", GlobalEventExecutor.INSTANCE);
    private final AtomicBoolean stopping = new AtomicBoolean();
    private Channel listener;
    private Channel admin;
    /** TLS on the client listener and on the admin listener, or null; each with its certificate watch. */
    private final TlsTerminator tls;
    private final TlsTerminator adminTls;
    private final List<CertificateWatch> watches = new ArrayList<>();
    /** Whether it logs its start and stop: not for the warm-up's proxy, which nobody connects to. */
    private final boolean announced;

    private ProxyServer(ProxyConfig config, ProxyClock clock, boolean announced) {
        this.config = config;
        this.announced = announced;
        this.current = config;
        this.io = NettyTransport.newGroup(Runtime.getRuntime().availableProcessors(), "healthy-proxy-io");
        this.adminLoop = NettyTransport.newGroup(1, "healthy-proxy-admin");
        this.timeline = new Timeline(clock.ticker());
        this.adminAccess = AdminAccess.of(config.adminToken());
        this.clusters = new Clusters(config, clock, io, timeline);
        this.context = new ProxyContext(config, clock, clusters.initial());
        clusters.publishTo(context::swap);
        context.discoveryStatus = clusters::discoveryStatus;
        List<String> alpn = config.http2().enabled() ? List.of(ApplicationProtocolNames.HTTP_2,
                ApplicationProtocolNames.HTTP_1_1) : List.of(ApplicationProtocolNames.HTTP_1_1);
        this.tls = config.tls().map(t -> watched(new TlsTerminator("listen", t, alpn), t, clock)).orElse(null);
        this.adminTls = config.adminTls().map(t -> watched(new TlsTerminator("admin", t,
                List.of(ApplicationProtocolNames.HTTP_1_1)), t, clock)).orElse(null);
    }

    private TlsTerminator watched(TlsTerminator terminator, TlsConfig tlsConfig, ProxyClock clock) {
        watches.add(new CertificateWatch(terminator, clock.scheduler(adminLoop.next()), tlsConfig.reloadInterval()));
        return terminator;
    }

    /** Binds both listeners and starts checking backends; throws if an address cannot be bound. */
    public static ProxyServer start(ProxyConfig config, ProxyClock clock) throws InterruptedException {
        return start(config, clock, true);
    }

    /** As {@link #start(ProxyConfig, ProxyClock)}, without the start-up and stop lines in the log. */
    public static ProxyServer startUnannounced(ProxyConfig config) throws InterruptedException {
        return start(config, ProxyClock.system(), false);
    }

    private static ProxyServer start(ProxyConfig config, ProxyClock clock, boolean announced)
            throws InterruptedException {
        ProxyServer server = new ProxyServer(config, clock, announced);
        try {
            server.bind();
        } catch (Exception e) {
            // Netty reports a taken address as a BindException it does not declare: clean up for that too.
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
                .childOption(ChannelOption.RCVBUF_ALLOCATOR, NettyTransport.readSizes())
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
                // The proxy's own pool for the admin API's few buffers too, rather than Netty's default (its adaptive
                // allocator) as a second pool beside it: one set of arenas in the process (measured: tens of KiB).
                .childOption(ChannelOption.ALLOCATOR, NettyTransport.allocator())
                .childHandler(new ChannelInitializer<SocketChannel>() {
                    @Override
                    protected void initChannel(SocketChannel ch) {
                        if (adminTls != null) {
                            ch.pipeline().addLast(adminTls.newHandler());
                        }
                        ch.pipeline().addLast(new HttpServerCodec(), new HttpObjectAggregator(64 * 1024),
                                new AdminHandler(context, addressText(address()), adminAccess, timeline));
                    }
                })
                .bind(config.admin().toSocketAddress()).sync().channel();
        clusters.start();
        watches.forEach(CertificateWatch::start);
        if (!adminAddress().getAddress().isLoopbackAddress()) {
            // Config validation made sure there is a token; say loudly that the admin API is exposed.
            LOG.warn("the admin API on {} is reachable from other hosts: every path but /healthz requires "
                    + "'Authorization: Bearer <adminToken>' (or, for the dashboard in a browser, the token typed into "
                    + "its login form)", addressText(adminAddress()));
        } else if (config.adminToken().isPresent()) {
            LOG.info("the admin API requires 'Authorization: Bearer <adminToken>' on every path but /healthz");
        }
        if (announced) {
            LOG.info("listening on {} ({}; {}), admin on {}{}, {}", addressText(address()), NettyTransport.name(),
                    protocols(), addressText(adminAddress()), adminTls == null ? "" : " (TLS)", describe(config));
        }
    }

    /** What the client listener speaks, for the start-up line: {@code TLS by OpenSSL (BoringSSL), h2 + HTTP/1.1}. */
    private String protocols() {
        String http = config.http2().enabled() ? (tls != null ? "h2 + HTTP/1.1" : config.http2().cleartext()
                ? "HTTP/1.1 + h2c (prior knowledge)" : "HTTP/1.1") : "HTTP/1.1";
        return tls == null ? "plain " + http : "TLS by " + TlsEngines.describe(tls.provider()) + ", " + http;
    }

    /**
     * {@code 3 backends: [b1=127.0.0.1:9101, ...]}, or per cluster: {@code 2 clusters: api [...], static [...]}.
     * At most {@link #LISTED} of each are named: a start-up line with 1,000 backends in it helps nobody, and
     * {@code GET /status} lists them all.
     */
    private static String describe(ProxyConfig config) {
        java.util.function.Function<ClusterConfig, String> backends = c -> listed(c.backends().stream()
                .map(b -> b.name().equals(b.address().toString()) ? b.name() : b.name() + "=" + b.address())
                .toList(), "[", "]");
        if (config.clusters().size() == 1 && config.clusters().containsKey(ProxyConfig.DEFAULT_CLUSTER)) {
            ClusterConfig only = config.clusters().get(ProxyConfig.DEFAULT_CLUSTER);
            return only.backends().size() + " backends: " + backends.apply(only);
        }
        return config.clusters().size() + " clusters: " + listed(config.clusters().values().stream()
                .map(c -> c.name() + " " + backends.apply(c)).toList(), "", "")
                + "; " + config.routes().size() + " routes";
    }

    /** How many backends of a cluster, and how many clusters, the start-up line names. */
    static final int LISTED = 10;

    /** {@code [a, b, c]}, or the first {@link #LISTED} and {@code ... and 990 more}. */
    static String listed(List<String> items, String open, String close) {
        String shown = String.join(", ", items.size() <= LISTED ? items : items.subList(0, LISTED));
        return open + shown + (items.size() <= LISTED ? "" : ", ... and " + (items.size() - LISTED) + " more") + close;
    }

    public InetSocketAddress address() {
        return (InetSocketAddress) listener.localAddress();
    }

    public InetSocketAddress adminAddress() {
        return (InetSocketAddress) admin.localAddress();
    }

    /** The pools of the clusters, by name, in config order. */
    public Map<String, BackendPool> pools() {
        Map<String, BackendPool> pools = new LinkedHashMap<>();
        context.clusters().forEach(c -> pools.put(c.name(), c.pool()));
        return pools;
    }

    /** The config in force: the one started with, or the last one reloaded. */
    public ProxyConfig config() {
        return current;
    }

    /**
     * Applies {@code next} while the proxy runs: clusters, backends and routes change by difference (a backend
     * left as it was keeps its circuit, health verdict and connections; see {@link Clusters}), and requests
     * routed from now on see the new config whole. The listeners' settings are read only at start: those that
     * changed are named in the summary, and take effect after a restart.
     *
     * @throws IllegalStateException if the proxy is stopping
     */
    public synchronized ReloadSummary reload(ProxyConfig next) {
        Clusters.Applied applied = clusters.apply(next);    // puts the new routing in force
        ReloadSummary summary = applied.summary().needingRestartFor(readOnlyAtStart(current, next));
        current = next;
        LOG.info("config reloaded: {}", summary);
        return summary;
    }

    public void onReloadRequest(java.util.function.Supplier<ReloadOutcome> hook) {
        context.reloadHook = hook;
    }

    /** The top-level keys that changed between {@code a} and {@code b} and are read only when the proxy starts. */
    static List<String> readOnlyAtStart(ProxyConfig a, ProxyConfig b) {
        List<String> changed = new ArrayList<>();
        Map<String, java.util.function.Function<ProxyConfig, Object>> keys = new LinkedHashMap<>();
        keys.put("listen", ProxyConfig::listen);
        keys.put("admin", ProxyConfig::admin);
        keys.put("adminToken", ProxyConfig::adminToken);
        keys.put("listen.tls", ProxyConfig::tls);
        keys.put("admin.tls", ProxyConfig::adminTls);
        keys.put("http2", ProxyConfig::http2);
        keys.put("limits", ProxyConfig::limits);
        keys.put("accessLog", ProxyConfig::accessLog);
        keys.put("timeouts.clientIdle", c -> c.timeouts().clientIdle());
        keys.put("timeouts.requestHeader", c -> c.timeouts().requestHeader());
        keys.put("timeouts.requestBodyIdle", c -> c.timeouts().requestBodyIdle());
        keys.put("timeouts.shutdownGrace", c -> c.timeouts().shutdownGrace());
        keys.forEach((key, read) -> {
            if (!Objects.equals(read.apply(a), read.apply(b))) {
                changed.add(key);
            }
        });
        return changed;
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
        clusters.closeIdle();                           // backends see a clean close of what is not needed
        long deadline = System.nanoTime() + grace.toNanos();
        while (context.activeExchanges() > 0 && System.nanoTime() - deadline < 0) {
            Thread.sleep(10);                           // shutdown path only
        }
        int unfinished = context.activeExchanges();
        clusters.closeIdle();
        clusters.stop();
        watches.forEach(CertificateWatch::stop);
        clients.close().await(1, TimeUnit.SECONDS);
        if (admin != null) {
            admin.close().sync();
        }
        shutdownGroups();
        if (announced) {
            LOG.info("stopped{}", unfinished == 0 ? "" : "; " + unfinished
                    + " requests were cut off by the grace period");
        }
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
