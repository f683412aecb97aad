package io.healthyproxy.app.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.healthyproxy.maelstrom.node.NodeConfig;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class NodeCommandTest {

    private static NodeConfig config(String... args) {
        NodeSettings settings = new NodeSettings();
        NodeCommand.parse(args, settings);
        return settings.toConfig();
    }

    @Test
    void withoutFlagsTheNodeHasTheSeedsDefaults() {
        NodeConfig c = config();

        assertThat(c.breaker().failureThreshold()).isEqualTo(5);
        assertThat(c.breaker().openDuration()).isEqualTo(Duration.ofSeconds(30));
        assertThat(c.breaker().halfOpenTrials()).isEqualTo(1);
        assertThat(c.health().interval()).isEqualTo(Duration.ofSeconds(1));
        assertThat(c.health().timeout()).isEqualTo(Duration.ofMillis(500));
        assertThat(c.requestTimeout()).isEqualTo(Duration.ofSeconds(1));
        assertThat(c.backends()).isEmpty();
    }

    @Test
    void everyFlagReachesTheConfigInBothSpellings() {
        NodeConfig c = config("--failure-threshold", "3", "--open-duration=5s", "--max-open-duration", "1m",
                "--half-open-trials", "2", "--success-threshold=2", "--health-interval", "200ms",
                "--health-timeout", "100ms", "--request-timeout", "300ms", "--backends", "n2, n3",
                "--balancer", "power_of_two_choices", "-v");

        assertThat(c.breaker().failureThreshold()).isEqualTo(3);
        assertThat(c.breaker().openDuration()).isEqualTo(Duration.ofSeconds(5));
        assertThat(c.breaker().maxOpenDuration()).isEqualTo(Duration.ofMinutes(1));
        assertThat(c.breaker().halfOpenTrials()).isEqualTo(2);
        assertThat(c.breaker().successThreshold()).isEqualTo(2);
        assertThat(c.health().interval()).isEqualTo(Duration.ofMillis(200));
        assertThat(c.health().unhealthyInterval()).isEqualTo(Duration.ofMillis(100));
        assertThat(c.health().timeout()).isEqualTo(Duration.ofMillis(100));
        assertThat(c.requestTimeout()).isEqualTo(Duration.ofMillis(300));
        assertThat(c.backends()).isEqualTo(List.of("n2", "n3"));
        assertThat(c.balancing()).isEqualTo(io.healthyproxy.core.Balancing.POWER_OF_TWO_CHOICES);
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
            "--failure-threshold 0      | --failure-threshold: 0 (expected: > 0)",
            "--failure-threshold x      | Invalid value for --failure-threshold: 'x' is not an integer",
            "--open-duration 30         | Invalid value for --open-duration: '30' is not a duration (expected: a number and a unit, e.g. 250ms, 5s, 1.5s, 2m, 1h)",
            "--health-interval 0s       | --health-interval: 0ms (expected: > 0)",
            "--health-timeout 0s        | --health-timeout: 0ms (expected: > 0)",
            "--request-timeout 0s       | --request-timeout: 0ms (expected: > 0)",
            "--half-open-trials 1 --success-threshold 2 | --success-threshold: 2 (expected: <= halfOpenTrials 1, or the circuit could never close)",
            "--balancer random          | Invalid value for --balancer: 'random' (expected: round_robin or power_of_two_choices)",
            "--bogus                    | Unknown option: '--bogus'",
            "--open-duration            | Missing value for --open-duration (DURATION)",
            "--verbose=yes              | --verbose takes no value",
    })
    void aBadFlagIsNamedWithWhatWasExpected(String args, String message) {
        assertThatThrownBy(() -> config(args.trim().split("\\s+"))).isInstanceOf(IllegalArgumentException.class)
                .hasMessage(message);
    }

    @Test
    void everyFlagIsOnTheHelpPage() {
        var help = HealthyProxyCommand.commandLine().getSubcommands().get("maelstrom").getUsageMessage();

        for (NodeFlag flag : NodeFlag.values()) {
            assertThat(help).contains(flag.flagName());
        }
    }
}
