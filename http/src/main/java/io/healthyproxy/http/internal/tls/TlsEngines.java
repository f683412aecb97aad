package io.healthyproxy.http.internal.tls;

import io.healthyproxy.http.config.TlsEngine;
import io.netty.handler.ssl.OpenSsl;
import io.netty.handler.ssl.SslProvider;

/**
 * Chooses the TLS implementation: OpenSSL (BoringSSL, from netty-tcnative) where its native library loads on
 * this machine, the JDK's otherwise. OpenSSL does handshakes several times faster and costs less CPU per byte
 * (bench/results: the tls-h2 figures); the JDK's needs nothing native.
 */
public final class TlsEngines {

    private TlsEngines() {
    }

    /**
     * The provider for {@code engine}.
     *
     * @throws IllegalStateException if OpenSSL is demanded and cannot be loaded here
     */
    public static SslProvider provider(TlsEngine engine) {
        return switch (engine) {
            case JDK -> SslProvider.JDK;
            case AUTO -> OpenSsl.isAvailable() ? SslProvider.OPENSSL : SslProvider.JDK;
            case OPENSSL -> {
                if (!OpenSsl.isAvailable()) {
                    throw new IllegalStateException("tls.engine: openssl, but it cannot be loaded here: "
                            + OpenSsl.unavailabilityCause());
                }
                yield SslProvider.OPENSSL;
            }
        };
    }

    /** What a log line says about {@code provider}, e.g. {@code OpenSSL (BoringSSL)} or {@code JDK (SunJSSE)}. */
    public static String describe(SslProvider provider) {
        if (provider == SslProvider.JDK) {
            String why = OpenSsl.isAvailable() ? "" : "; OpenSSL not available: " + OpenSsl.unavailabilityCause();
            return "JDK TLS (" + Runtime.version() + why + ")";
        }
        return "OpenSSL (" + OpenSsl.versionString() + ")";
    }
}
