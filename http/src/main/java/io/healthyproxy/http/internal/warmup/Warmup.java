package io.healthyproxy.http.internal.warmup;

import io.healthyproxy.http.WarmupResult;
import io.healthyproxy.http.config.BackendConfig;
import io.healthyproxy.http.config.Endpoint;
import io.healthyproxy.http.config.Http2Config;
import io.healthyproxy.http.config.ProxyConfig;
import io.healthyproxy.http.config.TlsConfig;
import io.healthyproxy.http.internal.NettyTransport;
import io.healthyproxy.http.internal.ProxyServer;
import io.netty.channel.Channel;
import io.netty.channel.EventLoopGroup;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLException;

/**
 * Runs the proxy's request path for a while before the real proxy starts, so that the JIT compiler has
 * compiled it before the first client arrives: a proxy of its own on a free loopback port, in front of
 * {@value #BACKENDS} backends in this process ({@link WarmupBackend}), under a closed-loop load
 * ({@link WarmupLoad}), all of it on the same transport and codec as real traffic and all of it stopped again
 * afterwards. A fresh JVM's first seconds are interpreted code and compilations competing with the load for
 * the same cores; a proxy is restarted on every deploy, and its first clients would pay for that.
 *
 * <p>The warm-up's proxy has the defaults of {@link ProxyConfig} (one cluster, HTTP/1.1), with one thing of the
 * real config: when the real listener terminates TLS, the second half of the warm-up is a proxy terminating it
 * with the same certificates, engine and HTTP/2 settings ({@link WarmupTls}), half its clients speaking h2
 * when it is offered; the first half stays plain HTTP, which puts the most requests through the HTTP path in
 * the time. Cleartext h2c, routes and the backends' TLS are not warmed up.
 */
public final class Warmup {

    /**
     * How long the answers still due at the deadline (each connection's rest of the mix, on a machine that may be
     * slow) may take before the warm-up stops anyway: only a proxy that stopped answering waits it out.
     */
    private static final long GRACE_NANOS = TimeUnit.SECONDS.toNanos(10);

    /** Backends of the warm-up's cluster: more than one, as the balancer's choice is part of the request path. */
    private static final int BACKENDS = 3;

    private Warmup() {
    }

    /**
     * Runs the warm-up's load for {@code length} (and each connection through the whole mix at least once);
     * returns when its proxy, backends and clients have stopped. An interrupt cuts it short wherever it is: it
     * still stops everything, and returns what was answered with the thread's interrupt status set.
     */
    public static WarmupResult run(Duration length) {
        return run(length, Optional.empty(), Http2Config.DEFAULTS, () -> { });
    }

    /**
     * As {@link #run(Duration)}, for a proxy about to start with {@code real}: its second half over TLS as its
     * listener terminates it, if it does, with h2 on every other connection when it offers h2.
     *
     * @throws IllegalArgumentException if a certificate or key of {@code real} cannot be used, naming which (as
     *                                  starting the real proxy with it would)
     */
    public static WarmupResult run(Duration length, ProxyConfig real) {
        return run(length, real.tls(), real.http2(), () -> { });
    }

    /** As {@link #run(Duration, ProxyConfig)}, calling {@code loadStarts} on this thread as the load starts. */
    static WarmupResult run(Duration length, Optional<TlsConfig> tlsConfig, Http2Config http2, Runnable loadStarts) {
        long start = System.nanoTime();
        WarmupTls tls = tlsConfig.map(t -> tls(t, http2.enabled())).orElse(null);
        EventLoopGroup group = NettyTransport.newGroup(1, "healthy-proxy-warm-up");
        List<Channel> backends = new ArrayList<>(BACKENDS);
        ProxyServer proxy = null;
        WarmupLoad.Count count = new WarmupLoad.Count(0, 0, 0, 0);
        boolean interrupted = false;
        try {
            for (int i = 0; i < BACKENDS; i++) {
                backends.add(WarmupBackend.bind(group));
            }
            String loopback = ((InetSocketAddress) backends.get(0).localAddress()).getAddress().getHostAddress();
            // Over TLS, plain HTTP first, for as many requests through the HTTP path as the time gives (TLS
            // costs each request more while cold), then TLS, for the handshakes, the record layer and h2.
            List<WarmupTls> phases = tls == null ? Collections.singletonList(null) : Arrays.asList(null, tls);
            long loadStart = System.nanoTime();
            for (int p = 0; p < phases.size() && !interrupted; p++) {
                proxy = ProxyServer.startUnannounced(config(loopback, backends, phases.get(p), http2));
                if (p == 0) {
                    loadStarts.run();
                    loadStart = System.nanoTime();      // the length is the load's, not the proxy's start
                }
                long phaseEnd = loadStart + length.toNanos() * (p + 1) / phases.size();
                count = count.plus(WarmupLoad.run(group, proxy.address(), phases.get(p), phaseEnd, GRACE_NANOS));
                // An interrupt kept by the load is taken off the thread first, so that stopping can wait.
                interrupted |= Thread.interrupted();
                interrupted |= stop(proxy);
                proxy = null;
            }
        } catch (InterruptedException e) {
            interrupted = true;
        } finally {
            // Cut short (serve's SIGTERM) or not, everything is stopped: the event loops' threads are not daemons,
            // and one left running would keep the process alive.
            interrupted |= Thread.interrupted();
            interrupted |= stop(proxy);
            backends.forEach(b -> b.close().awaitUninterruptibly());
            group.shutdownGracefully(0, 1, TimeUnit.SECONDS).awaitUninterruptibly(5, TimeUnit.SECONDS);
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
        }
        return new WarmupResult(count.answered(), count.ok(), count.answeredOverH2(),
                count.tlsHandshakes(), Duration.ofNanos(System.nanoTime() - start));
    }

    /** The warm-up's proxy: the defaults, in front of {@code backends}, with {@code tls} when not null. */
    private static ProxyConfig config(String loopback, List<Channel> backends, WarmupTls tls, Http2Config http2) {
        Endpoint free = new Endpoint(loopback, 0);
        ProxyConfig.Builder config = ProxyConfig.builder().listen(free).admin(free)
                .tls(tls == null ? null : tls.server()).http2(http2);
        for (Channel backend : backends) {
            config.backend(BackendConfig.of(new Endpoint(loopback, ((InetSocketAddress) backend.localAddress())
                    .getPort())));
        }
        return config.build();
    }

    private static WarmupTls tls(TlsConfig real, boolean offersH2) {
        try {
            return WarmupTls.like(real, offersH2);
        } catch (SSLException e) {
            throw new IllegalArgumentException("TLS: the engine cannot make a client context: " + e.getMessage(), e);
        }
    }

    /** Stops the warm-up's proxy, if it started; whether an interrupt came meanwhile. */
    private static boolean stop(ProxyServer proxy) {
        if (proxy == null) {
            return false;
        }
        try {
            proxy.stop(Duration.ZERO);
            return false;
        } catch (InterruptedException e) {
            return true;
        }
    }
}
