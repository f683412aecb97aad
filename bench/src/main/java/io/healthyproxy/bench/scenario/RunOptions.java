package io.healthyproxy.bench.scenario;

import io.healthyproxy.core.time.HumanDuration;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/**
 * What one {@link ScenarioRunner} run does. Defaults are the full run; {@code --quick} is the smoke test's:
 * every part, minutes shorter.
 */
record RunOptions(Path root, Path out, List<ProxyPeer.Kind> proxies, List<Scenario> scenarios, double rate,
        Duration length, Duration warmUp, int rounds, Duration roundLength, int connections, int nodeRuns,
        int nodeMessages) {

    static RunOptions parse(String[] args) {
        Path root = Path.of("").toAbsolutePath();
        Path out = null;
        List<ProxyPeer.Kind> proxies = List.of(ProxyPeer.Kind.values());
        List<Scenario> scenarios = List.of(Scenario.values());
        double rate = 1000;
        Duration length = Scenario.LENGTH;
        Duration warmUp = Duration.ofSeconds(5);
        int rounds = 3;
        Duration roundLength = Duration.ofSeconds(10);
        int connections = 32;
        int nodeRuns = 20;
        int nodeMessages = 100_000;
        for (int i = 0; i < args.length; i++) {
            String value = i + 1 < args.length ? args[i + 1] : null;
            switch (args[i]) {
                case "--root" -> root = Path.of(args[++i]).toAbsolutePath();
                case "--out" -> out = Path.of(args[++i]);
                case "--proxies" -> proxies = list(args[++i], ProxyPeer.Kind::valueOf);
                case "--scenarios" -> scenarios = list(args[++i], Scenario::valueOf);
                case "--rate" -> rate = Double.parseDouble(args[++i]);
                case "--length" -> length = HumanDuration.parse(args[++i]);
                case "--rounds" -> rounds = Integer.parseInt(args[++i]);
                case "--round-length" -> roundLength = HumanDuration.parse(args[++i]);
                case "--connections" -> connections = Integer.parseInt(args[++i]);
                case "--node-runs" -> nodeRuns = Integer.parseInt(args[++i]);
                case "--node-messages" -> nodeMessages = Integer.parseInt(args[++i]);
                case "--quick" -> {
                    rate = 200;
                    length = Duration.ofSeconds(6);
                    warmUp = Duration.ofSeconds(1);
                    rounds = 1;
                    roundLength = Duration.ofSeconds(2);
                    nodeRuns = 3;
                    nodeMessages = 2_000;
                }
                default -> throw new IllegalArgumentException("unknown option " + args[i] + (value == null ? "" : "")
                        + " (expected: --root, --out, --proxies, --scenarios, --rate, --length, --rounds, "
                        + "--round-length, --connections, --node-runs, --node-messages, --quick)");
            }
        }
        if (out == null) {
            out = root.resolve("bench/results/" + java.time.LocalDate.now() + "-scenarios.md");
        }
        return new RunOptions(root, out, proxies, scenarios, rate, length, warmUp, rounds, roundLength, connections,
                nodeRuns, nodeMessages);
    }

    private static <T> List<T> list(String csv, java.util.function.Function<String, T> parse) {
        return Arrays.stream(csv.split(",")).map(s -> parse.apply(s.trim().toUpperCase(Locale.ROOT).replace('-', '_')))
                .toList();
    }
}
