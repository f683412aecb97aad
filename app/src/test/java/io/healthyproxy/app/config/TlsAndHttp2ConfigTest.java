package io.healthyproxy.app.config;

import static io.healthyproxy.app.config.ConfigProblemsTest.problems;
import static org.assertj.core.api.Assertions.assertThat;

import io.healthyproxy.http.config.Http2Config;
import io.healthyproxy.http.config.ProxyConfig;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The listener's {@code tls} and the {@code http2} section: values reaching the config, bad files on their line. */
class TlsAndHttp2ConfigTest {

    @TempDir
    Path dir;

    @Test
    void http2KeysReachTheConfigAndDefaultsStayOtherwise() throws ConfigException {
        ProxyConfig config = ProxyConfigLoader.parse("""
                backends: [127.0.0.1:9101]
                http2: { cleartext: false, maxConcurrentStreams: 50 }
                """, "proxy.yaml");

        assertThat(config.http2()).isEqualTo(new Http2Config(true, false, 50, 65_535, 16_384));
        assertThat(config.tls()).isEmpty();
        assertThat(ProxyConfigLoader.parse("backends: [127.0.0.1:9101]", "p.yaml").http2())
                .isEqualTo(Http2Config.DEFAULTS);
    }

    @Test
    void aListenerMayBeAnAddressOrAMappingWithItsAddress() throws ConfigException {
        ProxyConfig config = ProxyConfigLoader.parse("""
                listen: { address: 127.0.0.1:8443 }
                admin: 127.0.0.1:9902
                backends: [127.0.0.1:9101]
                """, "proxy.yaml");

        assertThat(config.listen().port()).isEqualTo(8443);
        assertThat(config.admin().port()).isEqualTo(9902);
        assertThat(config.adminTls()).isEmpty();
    }

    @Test
    void aListenerMappingNeedsItsAddressAndNothingElseButTls() {
        assertThat(problems("""
                backends: [127.0.0.1:9101]
                listen: { host: x }
                """)).containsExactly(
                "proxy.yaml:2: listen.address: missing (expected: host:port, e.g. 0.0.0.0:8443)",
                "proxy.yaml:2: listen.host: unknown key (expected: one of address, tls)");
    }

    @Test
    void aMissingCertificateOrAKeyThatIsNotOneIsReportedOnItsLine() throws Exception {
        Path notAKey = Files.writeString(dir.resolve("key.pem"), "not a key");
        assertThat(problems("""
                listen:
                  address: 127.0.0.1:8443
                  tls:
                    certificates:
                      - certificate: %s
                        key: %s
                backends: [127.0.0.1:9101]
                """.formatted(dir.resolve("missing.pem"), notAKey))).singleElement().asString()
                .startsWith("proxy.yaml:5: listen.tls.certificates[0].certificate: ")
                .endsWith("no such file");
    }

    @Test
    void tlsMistakesAreEachReported() {
        assertThat(problems("""
                backends: [127.0.0.1:9101]
                listen:
                  address: 127.0.0.1:8443
                  tls:
                    certificates: []
                    protocols: [TLSv1.1]
                    engine: boring
                admin: { address: 127.0.0.1:9902, tls: { certificates: [ { certificate: a.pem } ] } }
                http2: { maxFrameBytes: 100 }
                """)).containsExactly(
                "proxy.yaml:5: listen.tls.certificates: [] (expected: at least one certificate)",
                "proxy.yaml:7: listen.tls.engine: 'boring' (expected: one of auto, openssl, jdk)",
                "proxy.yaml:8: admin.tls.certificates[0].key: missing (expected: a PEM file with the private key)",
                "proxy.yaml:9: http2.maxFrameBytes: 100 (expected: 16384..16777215)");
    }
}
