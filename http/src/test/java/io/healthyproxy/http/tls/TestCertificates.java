package io.healthyproxy.http.tls;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.cert.Certificate;
import java.security.cert.X509Certificate;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;

/**
 * Self-signed certificates made at test time with the JDK's {@code keytool} (nothing is committed), written
 * as the proxy reads them: a PEM certificate and a PKCS#8 PEM key. Each one also gives the client side an
 * {@link SSLContext} that trusts it.
 */
public final class TestCertificates {

    /** One generated pair on disk. */
    public record Pair(Path certificate, Path key, X509Certificate x509) {

        /** A client context trusting this certificate alone. */
        public SSLContext trustingContext() {
            try {
                KeyStore trust = KeyStore.getInstance("PKCS12");
                trust.load(null, null);
                trust.setCertificateEntry("test", x509);
                TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
                tmf.init(trust);
                SSLContext context = SSLContext.getInstance("TLS");
                context.init(null, tmf.getTrustManagers(), null);
                return context;
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        }
    }

    private TestCertificates() {
    }

    /**
     * A self-signed EC certificate for {@code dnsNames} and 127.0.0.1, written to {@code dir} as
     * {@code <file>.pem} and {@code <file>.key}.
     */
    public static Pair generate(Path dir, String file, String... dnsNames) {
        try {
            Path store = dir.resolve(file + ".p12");
            Files.deleteIfExists(store);
            StringBuilder san = new StringBuilder("SAN=ip:127.0.0.1");
            for (String name : dnsNames) {
                san.append(",dns:").append(name);
            }
            String cn = dnsNames.length > 0 ? dnsNames[0] : "localhost";
            Path keytool = Path.of(System.getProperty("java.home"), "bin", "keytool");
            Process p = new ProcessBuilder(keytool.toString(), "-genkeypair", "-alias", "test", "-keyalg", "EC",
                    "-groupname", "secp256r1", "-dname", "CN=" + cn, "-ext", san.toString(), "-validity", "2",
                    "-keystore", store.toString(), "-storetype", "PKCS12", "-storepass", "changeit")
                    .redirectErrorStream(true).start();
            String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!p.waitFor(60, TimeUnit.SECONDS) || p.exitValue() != 0) {
                throw new IllegalStateException("keytool failed: " + output);
            }
            KeyStore ks = KeyStore.getInstance("PKCS12");
            try (InputStream in = Files.newInputStream(store)) {
                ks.load(in, "changeit".toCharArray());
            }
            X509Certificate cert = (X509Certificate) ks.getCertificate("test");
            PrivateKey key = (PrivateKey) ks.getKey("test", "changeit".toCharArray());
            Path certFile = dir.resolve(file + ".pem");
            Path keyFile = dir.resolve(file + ".key");
            Files.writeString(certFile, pem("CERTIFICATE", cert.getEncoded()));
            Files.writeString(keyFile, pem("PRIVATE KEY", key.getEncoded()));
            Files.delete(store);
            return new Pair(certFile, keyFile, cert);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    /** {@code chain} as one PEM file, leaf first. */
    public static String pemChain(List<? extends Certificate> chain) throws Exception {
        StringBuilder out = new StringBuilder();
        for (Certificate c : chain) {
            out.append(pem("CERTIFICATE", c.getEncoded()));
        }
        return out.toString();
    }

    static String pem(String type, byte[] der) {
        return "-----BEGIN " + type + "-----\n" + Base64.getMimeEncoder(64, new byte[] {'\n'}).encodeToString(der)
                + "\n-----END " + type + "-----\n";
    }
}
