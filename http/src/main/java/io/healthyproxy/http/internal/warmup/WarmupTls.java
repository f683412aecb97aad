package io.healthyproxy.http.internal.warmup;

import io.healthyproxy.http.config.TlsConfig;
import io.healthyproxy.http.internal.tls.TlsEngines;
import io.netty.channel.Channel;
import io.netty.handler.ssl.ApplicationProtocolConfig;
import io.netty.handler.ssl.ApplicationProtocolNames;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import io.netty.handler.ssl.util.InsecureTrustManagerFactory;
import java.time.Duration;
import javax.net.ssl.SSLException;

/**
 * TLS for the warm-up, when the real listener terminates it: the warm-up's proxy terminates TLS with the real
 * listener's certificates, protocols, ciphers and engine (so the handshake the first clients make, and the
 * record layer after it, are compiled for the key type and engine they will meet), and its clients shake hands
 * with it as a browser does, naming a server (SNI) and asking for {@code h2} or {@code http/1.1} (ALPN; h2 on
 * every other lane, when the listener offers it). A handshake is made for each new connection of a lane,
 * without resumption, as most first visits are.
 *
 * <p>The clients trust whatever the warm-up's proxy presents: it is their own peer on loopback, the
 * certificate is the operator's, and checking it is not what is being warmed up.
 */
final class WarmupTls {

    /** The name the clients ask for: what a browser sends for a local test, and not an address (SNI has none). */
    static final String SERVER_NAME = "localhost";

    private final TlsConfig server;
    private final SslContext http1;
    /** Null when the listener does not offer h2. */
    private final SslContext h2;

    private WarmupTls(TlsConfig server, SslContext http1, SslContext h2) {
        this.server = server;
        this.http1 = http1;
        this.h2 = h2;
    }

    /**
     * For a listener that terminates TLS with {@code real}, offering h2 (and HTTP/1.1) when {@code offersH2}.
     *
     * @throws SSLException if the engine cannot make a client context (the real listener would then fail too)
     */
    static WarmupTls like(TlsConfig real, boolean offersH2) throws SSLException {
        // No certificate watch for a proxy that lives a second.
        return new WarmupTls(real.withReloadInterval(Duration.ZERO), client(real, ApplicationProtocolNames.HTTP_1_1),
                offersH2 ? client(real, ApplicationProtocolNames.HTTP_2) : null);
    }

    private static SslContext client(TlsConfig real, String protocol) throws SSLException {
        return SslContextBuilder.forClient()
                .sslProvider(TlsEngines.provider(real.engine()))
                .trustManager(InsecureTrustManagerFactory.INSTANCE)
                .protocols(real.protocols())
                .applicationProtocolConfig(new ApplicationProtocolConfig(ApplicationProtocolConfig.Protocol.ALPN,
                        ApplicationProtocolConfig.SelectorFailureBehavior.NO_ADVERTISE,
                        ApplicationProtocolConfig.SelectedListenerFailureBehavior.ACCEPT, protocol))
                .build();
    }

    /** The warm-up's listener: the real one's TLS, its certificates read once. */
    TlsConfig server() {
        return server;
    }

    /** Whether the listener offers h2, so that some lanes speak it. */
    boolean offersH2() {
        return h2 != null;
    }

    /** Adds a client's end of TLS, asking for h2 or HTTP/1.1, to a new connection to the warm-up's proxy. */
    void addClientHandler(Channel ch, int port, boolean speaksH2) {
        ch.pipeline().addLast((speaksH2 ? h2 : http1).newHandler(ch.alloc(), SERVER_NAME, port));
    }
}
