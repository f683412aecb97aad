package io.healthyproxy.http.internal.tls;

import io.healthyproxy.http.config.TlsCertificate;
import io.healthyproxy.http.config.TlsConfig;
import io.netty.buffer.ByteBufAllocator;
import io.netty.channel.ChannelHandler;
import io.netty.handler.ssl.ApplicationProtocolConfig;
import io.netty.handler.ssl.SniHandler;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import io.netty.handler.ssl.SslHandler;
import io.netty.handler.ssl.SslProvider;
import io.netty.handler.ssl.SupportedCipherSuiteFilter;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.atomic.AtomicReference;
import javax.net.ssl.SSLException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * TLS termination for one listener: the certificates (chosen by SNI), the protocols, ciphers and ALPN
 * protocols, and a handler for each new connection. {@link #reload()} swaps in freshly read certificates for
 * handshakes from then on; connections already open keep the session they have. A pair that fails to load
 * leaves the previous certificates in place.
 *
 * <p>Thread-safe: connections on every event loop read the current certificates (one volatile read per
 * handshake); reloads come from one scheduler task.
 */
public final class TlsTerminator {

    private static final Logger LOG = LoggerFactory.getLogger(TlsTerminator.class);

    private final String listener;
    private final TlsConfig config;
    private final SslProvider provider;
    private final List<String> alpn;
    private final AtomicReference<ServerCertificates> current = new AtomicReference<>();

    /**
     * Loads every certificate now.
     *
     * @param listener names the listener in log lines ({@code listen}, {@code admin})
     * @param alpn     the application protocols offered, most preferred first ({@code h2}, {@code http/1.1})
     * @throws IllegalArgumentException if a certificate or key cannot be used, naming which
     */
    public TlsTerminator(String listener, TlsConfig config, List<String> alpn) {
        this.listener = listener;
        this.config = config;
        this.provider = TlsEngines.provider(config.engine());
        this.alpn = List.copyOf(alpn);
        current.set(load());
    }

    public SslProvider provider() {
        return provider;
    }

    /** Every file the certificates are read from, for watching. */
    public List<Path> files() {
        Set<Path> files = new LinkedHashSet<>();
        for (TlsCertificate c : config.certificates()) {
            files.add(c.certificate());
            files.add(c.key());
        }
        return List.copyOf(files);
    }

    /** A handler for one new connection: reads the client's hello, picks the certificate, and shakes hands. */
    public ChannelHandler newHandler() {
        return new SniHandler(name -> current.get().map(name), 0, 0L) {
            @Override
            protected SslHandler newSslHandler(SslContext context, ByteBufAllocator allocator) {
                SslHandler handler = super.newSslHandler(context, allocator);
                handler.setHandshakeTimeoutMillis(0);   // the connection's own deadline covers the handshake
                return handler;
            }
        };
    }

    /** The leaf certificate a client naming {@code serverName} (null for none) is given now. */
    public X509Certificate certificateFor(String serverName) {
        return current.get().certificateFor(serverName);
    }

    /**
     * Reads every certificate and key again and uses them for new handshakes; if any cannot be used, says why
     * and keeps the ones in use.
     *
     * @return whether the new certificates are in use
     */
    public boolean reload() {
        try {
            ServerCertificates fresh = load();
            current.set(fresh);
            LOG.info("{}: TLS certificates reloaded ({})", listener, describe(config));
            return true;
        } catch (IllegalArgumentException e) {
            LOG.warn("{}: new TLS certificates refused, the previous ones stay in use: {}", listener, e.getMessage());
            return false;
        }
    }

    private ServerCertificates load() {
        List<ServerCertificates.Entry> entries = new ArrayList<>();
        for (int i = 0; i < config.certificates().size(); i++) {
            TlsCertificate c = config.certificates().get(i);
            String field = "tls.certificates[" + i + "].";
            PemKeyPair pair;
            try {
                pair = PemKeyPair.read(c.certificate(), c.key());
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException(field + e.getMessage(), e);
            }
            List<String> names = c.names().isEmpty() ? pair.dnsNames() : c.names();
            entries.add(new ServerCertificates.Entry(context(pair, field), pair, names));
        }
        return new ServerCertificates(entries);
    }

    private SslContext context(PemKeyPair pair, String field) {
        try {
            return SslContextBuilder.forServer(pair.key(), pair.chainArray())
                    .sslProvider(provider)
                    .protocols(config.protocols())
                    .ciphers(config.ciphers(), SupportedCipherSuiteFilter.INSTANCE)
                    .applicationProtocolConfig(new ApplicationProtocolConfig(ApplicationProtocolConfig.Protocol.ALPN,
                            ApplicationProtocolConfig.SelectorFailureBehavior.NO_ADVERTISE,
                            ApplicationProtocolConfig.SelectedListenerFailureBehavior.ACCEPT, alpn))
                    .build();
        } catch (SSLException | IllegalArgumentException e) {
            throw new IllegalArgumentException(field + "certificate: cannot be used for TLS: " + e.getMessage(), e);
        }
    }

    /** {@code 2 certificates}, for log lines. */
    static String describe(TlsConfig config) {
        return config.certificates().size() + (config.certificates().size() == 1 ? " certificate" : " certificates");
    }
}
