package io.healthyproxy.app.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.healthyproxy.app.config.ConfigException;
import io.healthyproxy.app.log.LogFormat;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** The config {@code serve} would run with, from a file and flags. */
class ServeCommandTest {

    @TempDir
    Path dir;

    private static ServeCommand parsed(String... args) {
        ServeCommand serve = new ServeCommand();
        new CommandLine(serve).parseArgs(args);
        return serve;
    }

    @Test
    void aFlatConfigFileIsServedWithTheListenFlagOverridingIt() throws IOException, ConfigException {
        Path file = Files.writeString(dir.resolve("proxy.yaml"), "backends: [127.0.0.1:9101]\n");

        var config = parsed("--config", file.toString(), "--listen", "127.0.0.1:8000").config();

        assertThat(config.listen().port()).isEqualTo(8000);
        assertThat(config.clusters()).containsOnlyKeys("default");
    }

    @Test
    void theLogFormatIsTextUnlessJsonIsAskedForInAnyCase() {
        assertThat(parsed("--backend", "127.0.0.1:9101").logFormat).isEqualTo(LogFormat.TEXT);

        CommandLine cli = HealthyProxyCommand.commandLine();
        CommandLine.ParseResult parsed = cli.parseArgs("serve", "--log-format", "json", "--backend", "127.0.0.1:9101");

        ServeCommand serve = (ServeCommand) parsed.subcommand().commandSpec().userObject();
        assertThat(serve.logFormat).isEqualTo(LogFormat.JSON);
        assertThatThrownBy(() -> HealthyProxyCommand.commandLine().parseArgs("serve", "--log-format", "xml"))
                .isInstanceOf(CommandLine.ParameterException.class).hasMessageContaining("--log-format")
                .hasMessageContaining("JSON");
    }

    @Test
    void aConfigOfClustersIsServedAsItIsWritten() throws Exception {
        Path file = Files.writeString(dir.resolve("proxy.yaml"), "clusters: { api: { backends: [127.0.0.1:9101] } }\n");

        var config = parsed("--config", file.toString()).config();

        assertThat(config.clusters()).containsOnlyKeys("api");
        assertThat(config.routes()).singleElement().satisfies(r -> assertThat(r.cluster()).isEqualTo("api"));
    }

    @Test
    void theWarmUpIsASecondUnlessTheFlagOrTheSystemPropertySaysOtherwiseAndZeroSkipsIt() {
        assertThat(parsed("--backend", "127.0.0.1:9101").warmUpLength()).isEqualTo(Duration.ofSeconds(1));
        assertThat(parsed("--backend", "127.0.0.1:9101", "--warm-up", "0").warmUpLength()).isZero();
        assertThat(parsed("--backend", "127.0.0.1:9101", "--warm-up", "250ms").warmUpLength())
                .isEqualTo(Duration.ofMillis(250));

        System.setProperty("healthyproxy.warmUp", "3s");
        try {
            assertThat(parsed("--backend", "127.0.0.1:9101").warmUpLength()).isEqualTo(Duration.ofSeconds(3));
            assertThat(parsed("--backend", "127.0.0.1:9101", "--warm-up", "2s").warmUpLength())
                    .as("the flag wins").isEqualTo(Duration.ofSeconds(2));
        } finally {
            System.clearProperty("healthyproxy.warmUp");
        }
    }

    @Test
    void aWarmUpThatIsNoDurationOrTooLongIsRefusedUnderTheFlagsName() {
        ServeCommand serve = new ServeCommand();
        CommandLine cli = new CommandLine(serve);

        cli.parseArgs("--backend", "127.0.0.1:9101", "--warm-up", "2x");
        assertThatThrownBy(serve::warmUpLength).isInstanceOf(CommandLine.ParameterException.class)
                .hasMessageContaining("--warm-up").hasMessageContaining("'2x' is not a duration");

        cli.parseArgs("--backend", "127.0.0.1:9101", "--warm-up", "5m");
        assertThatThrownBy(serve::warmUpLength).isInstanceOf(CommandLine.ParameterException.class)
                .hasMessageContaining("'5m' is not between 0 and 1m");
    }
}
