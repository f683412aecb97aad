package io.healthyproxy.http.config;

import io.healthyproxy.core.internal.Require;
import io.healthyproxy.http.internal.tls.PemKeyPair;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Objects;

/**
 * One certificate the proxy presents, and the server names it is presented for.
 *
 * @param certificate a PEM file: the certificate first, then any intermediates, all sent to clients as they are
 * @param key         a PEM file with the unencrypted PKCS#8 private key ({@code BEGIN PRIVATE KEY}) of the
 *                    certificate; a PKCS#1 key converts with {@code openssl pkcs8 -topk8 -nocrypt}
 * @param names       server names (SNI) this certificate is chosen for: exact ({@code api.example.com}) or
 *                    wildcard ({@code *.example.com}, one label, as RFC 6125 says); empty (the default) takes the
 *                    certificate's own DNS names (its subject alternative names, else its common name)
 */
public record TlsCertificate(Path certificate, Path key, List<String> names) {

    public TlsCertificate {
        Objects.requireNonNull(certificate, "certificate");
        Objects.requireNonNull(key, "key");
        names = names.stream().map(n -> n.trim().toLowerCase(Locale.ROOT)).toList();
        for (String name : names) {
            if (name.isEmpty() || name.contains(" ") || (name.contains("*") && !name.startsWith("*."))
                    || name.indexOf('*', 1) > 0) {
                throw Require.invalid("names", "'" + name + "'", "a host name, or *.domain for a wildcard");
            }
        }
    }

    public static TlsCertificate of(Path certificate, Path key) {
        return new TlsCertificate(certificate, key, List.of());
    }

    /**
     * Reads both files and checks that they are a certificate chain and its private key (the key signs what
     * the certificate's public key verifies).
     *
     * @throws IllegalArgumentException naming {@code certificate} or {@code key} and what is wrong with it
     */
    public void check() {
        PemKeyPair.read(certificate, key);
    }
}
