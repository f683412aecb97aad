package io.healthyproxy.http.config;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Objects;
import java.util.Optional;

/**
 * TLS from the proxy to a cluster's backends. Verification is on by default, as it is in every HTTP client and
 * unlike NGINX's {@code proxy_ssl_verify off}: the backend's chain must lead to {@code caFile} (or, without one,
 * to the JVM's default trust store), and its certificate must name the server name (or, for an IP address, have
 * it as an IP SAN). Turning {@code verify} off is for tests and must be said in so many words.
 *
 * <pre>{@code
 * UpstreamTls tls = UpstreamTls.DEFAULTS.withCaFile(Path.of("/etc/proxy/backend-ca.pem"));
 * }</pre>
 *
 * @param caFile            PEM certificates of the CAs trusted for the backends (default: the JVM's trust store)
 * @param serverName        the name sent as SNI and checked against the certificate (default: each backend's
 *                          host as written in its address; an IP address is checked but not sent, since SNI
 *                          carries names only)
 * @param verify            whether the chain and the name are checked (default true)
 * @param clientCertificate a PEM certificate chain the proxy presents (mutual TLS); with {@code clientKey}
 * @param clientKey         its unencrypted PKCS#8 PEM key
 */
public record UpstreamTls(Optional<Path> caFile, Optional<String> serverName, boolean verify,
        Optional<Path> clientCertificate, Optional<Path> clientKey) {

    /** Verification on, against the JVM's trust store, each backend's host as the server name, no client certificate. */
    public static final UpstreamTls DEFAULTS = new UpstreamTls(Optional.empty(), Optional.empty(), true,
            Optional.empty(), Optional.empty());

    public UpstreamTls {
        Objects.requireNonNull(caFile, "caFile");
        Objects.requireNonNull(serverName, "serverName");
        Objects.requireNonNull(clientCertificate, "clientCertificate");
        Objects.requireNonNull(clientKey, "clientKey");
        serverName.ifPresent(name -> {
            if (name.isBlank() || name.contains(" ")) {
                throw new IllegalArgumentException("tls.serverName: '" + name + "' (expected: a host name)");
            }
        });
        if (clientCertificate.isPresent() != clientKey.isPresent()) {
            throw new IllegalArgumentException("tls." + (clientCertificate.isPresent() ? "clientKey" : "clientCertificate")
                    + ": missing (expected: clientCertificate and clientKey together, or neither)");
        }
    }

    /**
     * Checks that the files named can be read, for a config reader that wants the problem at the file's line
     * rather than at the first connection.
     *
     * @throws IllegalArgumentException naming the field and the file
     */
    public void checkFiles() {
        checkReadable("tls.caFile", caFile);
        checkReadable("tls.clientCertificate", clientCertificate);
        checkReadable("tls.clientKey", clientKey);
    }

    private static void checkReadable(String field, Optional<Path> file) {
        file.ifPresent(f -> {
            if (!Files.isReadable(f)) {
                throw new IllegalArgumentException(field + ": '" + f + "' (expected: a readable PEM file)");
            }
        });
    }

    public UpstreamTls withCaFile(Path caFile) {
        return new UpstreamTls(Optional.of(caFile), serverName, verify, clientCertificate, clientKey);
    }

    public UpstreamTls withServerName(String serverName) {
        return new UpstreamTls(caFile, Optional.of(serverName), verify, clientCertificate, clientKey);
    }

    public UpstreamTls withVerify(boolean verify) {
        return new UpstreamTls(caFile, serverName, verify, clientCertificate, clientKey);
    }

    public UpstreamTls withClientCertificate(Path certificate, Path key) {
        return new UpstreamTls(caFile, serverName, verify, Optional.of(certificate), Optional.of(key));
    }
}
