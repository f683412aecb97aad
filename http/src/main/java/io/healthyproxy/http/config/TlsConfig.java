package io.healthyproxy.http.config;

import io.healthyproxy.core.internal.Require;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * TLS termination on a listener. The protocols and ciphers default to what Mozilla's "intermediate" profile
 * recommends, which HAProxy's and NGINX's current defaults are close to: TLS 1.3 and 1.2 only, forward-secret
 * AEAD ciphers only. ALPN offers {@code h2} then {@code http/1.1} (h2 only when {@link Http2Config#enabled()}).
 *
 * <pre>{@code
 * TlsConfig tls = TlsConfig.of(Path.of("/etc/proxy/fullchain.pem"), Path.of("/etc/proxy/privkey.pem"));
 * }</pre>
 *
 * @param certificates   one or more; with several, the server name the client asks for (SNI) chooses, exact
 *                       names before wildcards; a client that names none, or a name no certificate has, gets
 *                       the first (the default certificate)
 * @param protocols      TLS versions accepted (default TLSv1.3, TLSv1.2; nothing older is allowed)
 * @param ciphers        TLS 1.2 and 1.3 cipher suites, IANA names, in preference order (default
 *                       {@link #DEFAULT_CIPHERS}); those the TLS engine lacks are skipped
 * @param reloadInterval how often the certificate and key files are looked at; a changed pair is used for new
 *                       handshakes from then on, without a restart and without touching open connections; a bad
 *                       one is refused with a log line and the old pair stays (default 5 s; 0 turns reloading off)
 * @param engine         OpenSSL or the JDK's TLS (default {@link TlsEngine#AUTO}: OpenSSL where it loads)
 */
public record TlsConfig(List<TlsCertificate> certificates, List<String> protocols, List<String> ciphers,
        Duration reloadInterval, TlsEngine engine) {

    public static final List<String> DEFAULT_PROTOCOLS = List.of("TLSv1.3", "TLSv1.2");
    /** TLS 1.3's three suites, then the forward-secret AEAD suites of TLS 1.2 (Mozilla "intermediate"). */
    public static final List<String> DEFAULT_CIPHERS = List.of(
            "TLS_AES_128_GCM_SHA256", "TLS_AES_256_GCM_SHA384", "TLS_CHACHA20_POLY1305_SHA256",
            "TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256", "TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256",
            "TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384", "TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384",
            "TLS_ECDHE_ECDSA_WITH_CHACHA20_POLY1305_SHA256", "TLS_ECDHE_RSA_WITH_CHACHA20_POLY1305_SHA256");
    public static final Duration DEFAULT_RELOAD_INTERVAL = Duration.ofSeconds(5);
    private static final Set<String> ALLOWED_PROTOCOLS = Set.of("TLSv1.3", "TLSv1.2");

    public TlsConfig {
        certificates = List.copyOf(certificates);
        protocols = List.copyOf(protocols);
        ciphers = List.copyOf(ciphers);
        Objects.requireNonNull(engine, "engine");
        if (certificates.isEmpty()) {
            throw Require.invalid("certificates", "[]", "at least one certificate and key");
        }
        if (protocols.isEmpty()) {
            throw Require.invalid("protocols", "[]", "TLSv1.3, TLSv1.2 or both");
        }
        for (String protocol : protocols) {
            if (!ALLOWED_PROTOCOLS.contains(protocol)) {
                throw Require.invalid("protocols", "'" + protocol + "'",
                        "TLSv1.3 or TLSv1.2; older versions are broken");
            }
        }
        if (ciphers.isEmpty()) {
            throw Require.invalid("ciphers", "[]", "at least one cipher suite");
        }
        Require.notNegative("reloadInterval", reloadInterval);
    }

    /** One certificate chain and key (PEM), with every other setting at its default. */
    public static TlsConfig of(Path certificate, Path key) {
        return new TlsConfig(List.of(TlsCertificate.of(certificate, key)), DEFAULT_PROTOCOLS, DEFAULT_CIPHERS,
                DEFAULT_RELOAD_INTERVAL, TlsEngine.AUTO);
    }

    public TlsConfig withEngine(TlsEngine engine) {
        return new TlsConfig(certificates, protocols, ciphers, reloadInterval, engine);
    }

    public TlsConfig withReloadInterval(Duration reloadInterval) {
        return new TlsConfig(certificates, protocols, ciphers, reloadInterval, engine);
    }
}
