package io.healthyproxy.app.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.healthyproxy.app.config.ConfigException;
import io.healthyproxy.http.config.ProxyConfig;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** {@code serve --tls-cert FILE --tls-key FILE}: the quick form of TLS, checked before anything starts. */
class ServeTlsFlagsTest {

    @TempDir
    Path dir;

    private static ServeCommand parsed(String... args) {
        ServeCommand serve = new ServeCommand();
        new CommandLine(serve).parseArgs(args);
        return serve;
    }

    @Test
    void withoutTlsFlagsTheListenerIsPlain() throws ConfigException {
        ProxyConfig config = parsed("--backend", "127.0.0.1:9101").config();

        assertThat(config.tls()).isEmpty();
        assertThat(config.http2().acceptsCleartext()).isTrue();
    }

    @Test
    void aCertificateWithoutAKeyIsAUsageError() {
        assertThatThrownBy(() -> parsed("--backend", "127.0.0.1:9101", "--tls-cert", "cert.pem").config())
                .isInstanceOf(CommandLine.ParameterException.class)
                .hasMessageContaining("--tls-cert and --tls-key go together");
    }

    @Test
    void unreadableFilesAreRefusedNamingWhichOne() throws Exception {
        Path cert = Files.writeString(dir.resolve("cert.pem"), "not a certificate");

        assertThatThrownBy(() -> parsed("--backend", "127.0.0.1:9101", "--tls-cert", cert.toString(),
                "--tls-key", dir.resolve("missing.key").toString()).config())
                .isInstanceOf(CommandLine.ParameterException.class)
                .hasMessageStartingWith("Invalid option: certificate: ");
    }
}
