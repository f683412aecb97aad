package io.healthyproxy.http.internal.tls;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.healthyproxy.core.time.ManualTicker;
import io.healthyproxy.core.time.VirtualTimeScheduler;
import io.healthyproxy.http.config.TlsCertificate;
import io.healthyproxy.http.config.TlsConfig;
import io.healthyproxy.http.config.TlsEngine;
import io.healthyproxy.http.tls.TestCertificates;
import io.healthyproxy.http.tls.TestCertificates.Pair;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Choosing a certificate by server name, reading PEM pairs, and reloading changed files in virtual time. */
class TlsTerminatorTest {

    @TempDir
    static Path dir;
    static Pair a;
    static Pair wildcard;
    static Pair c;

    @BeforeAll
    static void generate() {
        a = TestCertificates.generate(dir, "a", "a.test");
        wildcard = TestCertificates.generate(dir, "wild", "*.b.test");
        c = TestCertificates.generate(dir, "c", "c.test");
    }

    private static TlsConfig config(TlsEngine engine, Pair... pairs) {
        return new TlsConfig(java.util.Arrays.stream(pairs).map(p -> TlsCertificate.of(p.certificate(), p.key()))
                .toList(), TlsConfig.DEFAULT_PROTOCOLS, TlsConfig.DEFAULT_CIPHERS, Duration.ofSeconds(5), engine);
    }

    @Test
    void theServerNameChoosesExactNamesFirstThenOneLabelWildcardsElseTheDefault() {
        TlsTerminator tls = new TlsTerminator("listen", config(TlsEngine.AUTO, a, wildcard, c), List.of("h2"));

        assertThat(tls.certificateFor("c.test")).isEqualTo(c.x509());
        assertThat(tls.certificateFor("C.Test.")).isEqualTo(c.x509());
        assertThat(tls.certificateFor("api.b.test")).isEqualTo(wildcard.x509());
        assertThat(tls.certificateFor("b.test")).isEqualTo(a.x509());          // a wildcard covers one label
        assertThat(tls.certificateFor("x.api.b.test")).isEqualTo(a.x509());
        assertThat(tls.certificateFor(null)).isEqualTo(a.x509());              // no SNI: the first, the default
        assertThat(tls.certificateFor("unknown.example")).isEqualTo(a.x509());
    }

    @Test
    void theJdkEngineServesTooWhenAskedFor() {
        TlsTerminator tls = new TlsTerminator("listen", config(TlsEngine.JDK, a), List.of("h2", "http/1.1"));

        assertThat(tls.provider()).hasToString("JDK");
        assertThat(tls.certificateFor("a.test")).isEqualTo(a.x509());
    }

    @Test
    void aChangedPairIsUsedForNewHandshakesAndABadOneIsRefused() throws Exception {
        Path cert = dir.resolve("live.pem");
        Path key = dir.resolve("live.key");
        copy(a, cert, key);
        TlsTerminator tls = new TlsTerminator("listen", new TlsConfig(List.of(TlsCertificate.of(cert, key)),
                TlsConfig.DEFAULT_PROTOCOLS, TlsConfig.DEFAULT_CIPHERS, Duration.ofSeconds(5), TlsEngine.AUTO),
                List.of("h2"));
        VirtualTimeScheduler time = new VirtualTimeScheduler(new ManualTicker());
        new CertificateWatch(tls, time, Duration.ofSeconds(5)).start();

        copy(c, cert, key);
        time.runFor(Duration.ofSeconds(4));
        assertThat(tls.certificateFor(null)).isEqualTo(a.x509());                 // not looked at yet
        time.runFor(Duration.ofSeconds(1));
        assertThat(tls.certificateFor(null)).isEqualTo(c.x509());

        Files.copy(a.key(), key, StandardCopyOption.REPLACE_EXISTING);           // c's certificate, a's key
        time.runFor(Duration.ofSeconds(5));
        assertThat(tls.certificateFor(null)).isEqualTo(c.x509());                 // refused: c stays

        Files.copy(a.certificate(), cert, StandardCopyOption.REPLACE_EXISTING);  // the pair is whole again
        time.runFor(Duration.ofSeconds(5));
        assertThat(tls.certificateFor(null)).isEqualTo(a.x509());
    }

    @Test
    void aKeyThatIsNotTheCertificatesIsRefusedNamingTheKey() {
        assertThatThrownBy(() -> PemKeyPair.read(a.certificate(), c.key()))
                .hasMessageStartingWith("key: ").hasMessageContaining("is not the private key of the certificate");
    }

    @Test
    void missingOrWrongFilesAreRefusedNamingTheField() throws Exception {
        Path notPem = Files.writeString(dir.resolve("not.pem"), "hello");
        Path rsaPkcs1 = Files.writeString(dir.resolve("old.key"), "-----BEGIN RSA PRIVATE KEY-----\nAA==\n-----END RSA PRIVATE KEY-----\n");

        assertThatThrownBy(() -> PemKeyPair.read(dir.resolve("missing.pem"), a.key()))
                .hasMessageStartingWith("certificate: ").hasMessageEndingWith("no such file");
        assertThatThrownBy(() -> PemKeyPair.read(notPem, a.key())).hasMessageStartingWith("certificate: ");
        assertThatThrownBy(() -> PemKeyPair.read(a.certificate(), rsaPkcs1))
                .hasMessageStartingWith("key: ").hasMessageContaining("PKCS#1").hasMessageContaining("openssl pkcs8");
    }

    @Test
    void aCertificatesOwnNamesAreItsDnsSubjectAlternativeNames() {
        assertThat(PemKeyPair.read(wildcard.certificate(), wildcard.key()).dnsNames()).containsExactly("*.b.test");
    }

    private static void copy(Pair pair, Path cert, Path key) throws Exception {
        Files.copy(pair.certificate(), cert, StandardCopyOption.REPLACE_EXISTING);
        Files.copy(pair.key(), key, StandardCopyOption.REPLACE_EXISTING);
    }
}
