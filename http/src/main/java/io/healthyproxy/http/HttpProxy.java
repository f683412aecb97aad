package io.healthyproxy.http;

import io.healthyproxy.core.BackendPool;
import io.healthyproxy.http.config.ProxyConfig;
import io.healthyproxy.http.internal.ProxyServer;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.Map;

/**
 * An HTTP/1.1 reverse proxy in front of a set of backends, with per-backend circuit breakers, active HTTP
 * health checks, passive health from every proxied request, retries on another backend within a retry
 * budget, hedging of slow idempotent requests, and an admin API.
 *
 * <pre>{@code
 * ProxyConfig config = ProxyConfig.builder()
 *         .listen(Endpoint.parse("127.0.0.1:8080"))
 *         .backend("127.0.0.1:9101")
 *         .backend("127.0.0.1:9102")
 *         .build();
 * try (HttpProxy proxy = HttpProxy.start(config)) {
 *     ...
 * }   // close() drains gracefully for the configured shutdown grace
 * }</pre>
 *
 * <p>Thread-safe.
 */
public final class HttpProxy implements AutoCloseable {

    private final ProxyServer server;

    private HttpProxy(ProxyServer server) {
        this.server = server;
    }

    /**
     * Starts listening (port 0 picks a free port: see {@link #address()}).
     *
     * @throws io.netty.channel.ChannelException or a {@link java.net.BindException} when an address is taken
     */
    public static HttpProxy start(ProxyConfig config) throws InterruptedException {
        return start(config, ProxyClock.system());
    }

    /**
     * Starts listening with {@code clock} as the proxy's time: every deadline, health-check interval and
     * circuit-breaker duration follows it (tests pass {@link ProxyClock#virtual}).
     */
    public static HttpProxy start(ProxyConfig config, ProxyClock clock) throws InterruptedException {
        return new HttpProxy(ProxyServer.start(config, clock));
    }

    /**
     * Runs the proxy's request path in this JVM for {@code length} before a proxy is started, so that its
     * first clients meet compiled code rather than the interpreter and a JIT busy on the same cores: a proxy
     * of the default config on a free loopback port, in front of three backends in this process, under as much
     * load as the machine gives, all stopped again when it returns. {@code bin/healthy-proxy serve} does it
     * for a second before it listens (its {@code --warm-up}); an embedding application can call it before
     * {@link #start}. Nothing of it outlives the call: no port, thread, metric or log line. An interrupt cuts
     * it short; it still stops all of it, and returns with the thread's interrupt status set.
     *
     * @return how many requests were answered, how many as the backends answered them, and how long it took
     */
    public static WarmupResult warmUp(Duration length) {
        return io.healthyproxy.http.internal.warmup.Warmup.run(length);
    }

    /**
     * As {@link #warmUp(Duration)}, for a proxy about to start with {@code config}: when its listener terminates
     * TLS, the second half of the warm-up runs over TLS, with the same certificates, protocols, engine and HTTP/2
     * settings; its clients shake hands anew for each connection, and half of them speak h2 when the listener
     * offers it (the first half stays plain HTTP, for the volume through the HTTP path). The rest of
     * {@code config} (routes, clusters) is not used: the warm-up's proxies have the defaults.
     *
     * @throws IllegalArgumentException if a certificate or key of {@code config} cannot be used, naming which, as
     *                                  {@link #start} would
     */
    public static WarmupResult warmUp(Duration length, ProxyConfig config) {
        return io.healthyproxy.http.internal.warmup.Warmup.run(length, config);
    }

    /** Where clients connect. */
    public InetSocketAddress address() {
        return server.address();
    }

    /** Where the admin API answers. */
    public InetSocketAddress adminAddress() {
        return server.adminAddress();
    }

    /**
     * The backends, with their breakers and health: those of the only cluster (the flat config form), or of
     * the first one. See {@link #clusters()}.
     */
    public BackendPool backends() {
        return server.pools().values().iterator().next();
    }

    /** Every cluster's backends, by cluster name, in config order. */
    public Map<String, BackendPool> clusters() {
        return server.pools();
    }

    /** The config in force: the one started with, or the last one {@linkplain #reload reloaded}. */
    public ProxyConfig config() {
        return server.config();
    }

    /**
     * Applies {@code next} without a restart: clusters, backends and routes change by difference — a backend
     * whose name, address and settings are unchanged keeps its circuit breaker, health verdict, slow start and
     * pooled connections; a removed one takes no new request and its connections close once the requests
     * under way on it have finished; a new one starts as {@code startHealthy} says (and with slow start, when
     * on). Each request sees one whole config. What changed, and which changed settings only a restart
     * applies (the listeners), is in the summary.
     */
    public ReloadSummary reload(ProxyConfig next) {
        return server.reload(next);
    }

    /**
     * What {@code POST /reload} on the admin API does: typically read the config file again and
     * {@link #reload} it. Without one the path answers 404 (a proxy started from code has no file to read).
     * The hook runs off the event loops; it may block (it reads a file).
     */
    public void onReloadRequest(java.util.function.Supplier<ReloadOutcome> hook) {
        server.onReloadRequest(hook);
    }

    /** Requests being handled now. */
    public int activeRequests() {
        return server.activeRequests();
    }

    /** Client connections open now. */
    public int clientConnections() {
        return server.clientConnections();
    }

    public boolean isDraining() {
        return server.isDraining();
    }

    /**
     * Stops accepting, lets requests under way finish for up to {@code grace}, then closes everything.
     *
     * @return requests cut off by the end of the grace period (0 when all finished)
     */
    public int stop(Duration grace) throws InterruptedException {
        return server.stop(grace);
    }

    /** {@link #stop(Duration)} with the configured shutdown grace. */
    @Override
    public void close() throws InterruptedException {
        stop(server.config().timeouts().shutdownGrace());
    }
}
