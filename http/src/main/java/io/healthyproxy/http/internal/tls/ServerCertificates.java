package io.healthyproxy.http.internal.tls;

import io.netty.handler.ssl.SslContext;
import io.netty.util.Mapping;
import java.security.cert.X509Certificate;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Which certificate a handshake gets, by the server name the client asked for (SNI): an exact name first,
 * then a wildcard for the name's parent ({@code *.example.com} covers {@code api.example.com}, neither
 * {@code example.com} nor {@code a.b.example.com}, as RFC 6125 says), and the default certificate (the first
 * configured) for a client that names nothing or a name no certificate has — what HAProxy and NGINX do.
 * Immutable; a reload builds a new one.
 */
final class ServerCertificates implements Mapping<String, SslContext> {

    /** One configured certificate, ready for handshakes. */
    record Entry(SslContext context, PemKeyPair pair, List<String> names) {
    }

    private final Entry fallback;
    private final Map<String, Entry> exact = new HashMap<>();
    private final Map<String, Entry> wildcard = new HashMap<>();

    /** {@code entries} in configured order; the first is the default. A name claimed twice goes to the first. */
    ServerCertificates(List<Entry> entries) {
        this.fallback = entries.get(0);
        for (Entry entry : entries) {
            for (String name : entry.names()) {
                if (name.startsWith("*.")) {
                    wildcard.putIfAbsent(name.substring(2), entry);
                } else {
                    exact.putIfAbsent(name, entry);
                }
            }
        }
    }

    @Override
    public SslContext map(String serverName) {
        return select(serverName).context();
    }

    /** The leaf certificate a client naming {@code serverName} (null for none) is shown. */
    X509Certificate certificateFor(String serverName) {
        return select(serverName).pair().leaf();
    }

    private Entry select(String serverName) {
        if (serverName == null || serverName.isEmpty()) {
            return fallback;
        }
        String name = serverName.toLowerCase(Locale.ROOT);
        if (name.endsWith(".")) {
            name = name.substring(0, name.length() - 1);
        }
        Entry found = exact.get(name);
        if (found != null) {
            return found;
        }
        int dot = name.indexOf('.');
        if (dot > 0) {
            found = wildcard.get(name.substring(dot + 1));
        }
        return found != null ? found : fallback;
    }
}
