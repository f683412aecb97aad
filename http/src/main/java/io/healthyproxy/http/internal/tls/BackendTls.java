package io.healthyproxy.http.internal.tls;

import io.healthyproxy.http.config.TlsEngine;
import io.healthyproxy.http.config.UpstreamTls;
import io.netty.buffer.ByteBufAllocator;
import io.netty.handler.ssl.ApplicationProtocolConfig;
import io.netty.handler.ssl.ApplicationProtocolNames;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import io.netty.handler.ssl.SslHandler;
import io.netty.handler.ssl.SslProvider;
import io.netty.handler.ssl.util.InsecureTrustManagerFactory;
import java.net.InetSocketAddress;
import java.util.List;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLException;
import javax.net.ssl.SSLParameters;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * TLS from the proxy to one cluster's backends: one client {@link SslContext}, built once per cluster, and a
 * handler per connection that sends the server name (SNI) and checks the backend's certificate against it.
 * The engine is chosen as the listener's is ({@link TlsEngines}: OpenSSL where it loads, else the JDK's); the
 * protocols are TLS 1.3 and 1.2, as towards clients. ALPN offers exactly the protocol the cluster speaks
 * ({@code h2}, or {@code http/1.1}), so a backend that would answer in another fails the handshake or is
 * refused after it, rather than being misunderstood. Thread-safe.
 */
public final class BackendTls {

    private static final Logger LOG = LoggerFactory.getLogger(BackendTls.class);

    private final SslContext context;
    private final UpstreamTls config;
    private final String trust;
    private final String alpn;

    private BackendTls(SslContext context, UpstreamTls config, String trust, String alpn) {
        this.context = context;
        this.config = config;
        this.trust = trust;
        this.alpn = alpn;
    }

    /**
     * The TLS of a cluster speaking {@code h2} when {@code http2}, else HTTP/1.1.
     *
     * @throws IllegalArgumentException naming the field when a file cannot be used
     */
    public static BackendTls of(UpstreamTls tls, boolean http2, TlsEngine engine) {
        SslProvider provider = TlsEngines.provider(engine);
        String alpn = http2 ? ApplicationProtocolNames.HTTP_2 : ApplicationProtocolNames.HTTP_1_1;
        SslContextBuilder builder = SslContextBuilder.forClient()
                .sslProvider(provider)
                .protocols("TLSv1.3", "TLSv1.2")
                .applicationProtocolConfig(new ApplicationProtocolConfig(ApplicationProtocolConfig.Protocol.ALPN,
                        ApplicationProtocolConfig.SelectorFailureBehavior.NO_ADVERTISE,
                        ApplicationProtocolConfig.SelectedListenerFailureBehavior.ACCEPT, List.of(alpn)));
        String trust;
        if (!tls.verify()) {
            builder.trustManager(InsecureTrustManagerFactory.INSTANCE);
            trust = "not verified (verify: false)";
        } else if (tls.caFile().isPresent()) {
            try {
                builder.trustManager(tls.caFile().get().toFile());
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("tls.caFile: '" + tls.caFile().get() + "' (expected: PEM CA "
                        + "certificates): " + e.getMessage(), e);
            }
            trust = "trusting " + tls.caFile().get();
        } else {
            trust = "trusting the JVM's default CAs";
        }
        if (tls.clientCertificate().isPresent()) {
            try {
                builder.keyManager(tls.clientCertificate().get().toFile(), tls.clientKey().orElseThrow().toFile());
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("tls.clientCertificate: '" + tls.clientCertificate().get()
                        + "' (expected: a PEM chain and its PKCS#8 key): " + e.getMessage(), e);
            }
        }
        try {
            return new BackendTls(builder.build(), tls, trust, alpn);
        } catch (SSLException e) {
            throw new IllegalArgumentException("tls: " + e.getMessage() + " (" + TlsEngines.describe(provider) + ")", e);
        }
    }

    /**
     * A handler for a new connection to {@code backend}: SNI is the configured server name, else the backend's
     * host as written (an IP address is not sent, SNI carries names only); with verification on, the name
     * (or the IP address) must be in the certificate (RFC 9110 §4.3.4, the same check as HTTPS clients make).
     */
    public SslHandler newHandler(ByteBufAllocator alloc, InetSocketAddress backend) {
        String name = config.serverName().orElse(backend.getHostString());
        SslHandler handler = context.newHandler(alloc, name, backend.getPort());
        if (config.verify()) {
            SSLEngine engine = handler.engine();
            SSLParameters parameters = engine.getSSLParameters();
            parameters.setEndpointIdentificationAlgorithm("HTTPS");
            engine.setSSLParameters(parameters);
        }
        return handler;
    }

    /** The application protocol ALPN must agree on: {@code h2} or {@code http/1.1}. */
    public String alpn() {
        return alpn;
    }

    /**
     * Logs a failed handshake with a backend, with what was trusted and checked, so that a wrong CA, an expired
     * certificate or a name mismatch reads as such rather than as a refused connection.
     */
    public void logFailure(String backend, InetSocketAddress address, Throwable cause) {
        Throwable root = cause;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        String why = root.getMessage() == null ? root.getClass().getSimpleName() : root.getMessage();
        LOG.warn("TLS to backend {} ({}:{}) failed: {} ({}; server name {})", backend, address.getHostString(),
                address.getPort(), why, trust, config.serverName().orElse(address.getHostString()));
    }
}
