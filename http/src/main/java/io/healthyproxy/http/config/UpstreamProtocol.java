package io.healthyproxy.http.config;

/**
 * What the proxy speaks to a cluster's backends. Clients may speak HTTP/1.1 or HTTP/2 either way: each request
 * is one exchange whatever the two sides speak.
 */
public enum UpstreamProtocol {
    /**
     * HTTP/1.1, one request at a time per connection, connections kept alive and reused (the default, as in
     * NGINX, HAProxy and Envoy: what every backend speaks). Over TLS when the cluster has {@code tls}.
     */
    HTTP1("http1"),
    /** HTTP/2 in cleartext with prior knowledge (RFC 9113 §3.3): what gRPC servers speak without TLS. */
    H2C("h2c"),
    /** HTTP/2 over TLS, agreed by ALPN {@code h2}; a backend that does not agree fails the connection. */
    H2("h2");

    private final String configName;

    UpstreamProtocol(String configName) {
        this.configName = configName;
    }

    /** Whether requests share connections as HTTP/2 streams. */
    public boolean isHttp2() {
        return this != HTTP1;
    }

    /** The name in a config file. */
    public String configName() {
        return configName;
    }

    /**
     * The protocol named {@code name} in a config file.
     *
     * @throws IllegalArgumentException naming the choices
     */
    public static UpstreamProtocol of(String name) {
        for (UpstreamProtocol p : values()) {
            if (p.configName.equals(name)) {
                return p;
            }
        }
        throw new IllegalArgumentException("'" + name + "' (expected: http1, h2c or h2)");
    }
}
