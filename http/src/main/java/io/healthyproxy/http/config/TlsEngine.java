package io.healthyproxy.http.config;

/** Which TLS implementation terminates client connections. */
public enum TlsEngine {
    /** OpenSSL (BoringSSL, from netty-tcnative) where its native library loads, else the JDK's: the default. */
    AUTO,
    /** OpenSSL only: starting fails where it cannot load. */
    OPENSSL,
    /** The JDK's own TLS (JSSE). */
    JDK
}
