package io.healthyproxy.bench.scenario;

import io.healthyproxy.core.time.HumanDuration;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/**
 * What one {@link ScenarioRunner} run does. Defaults are the full run; {@code --quick} is the smoke test's:
 * every part, minutes shorter, and without the JVM peers (which take minutes to build) unless {@code --proxies}
 * names them. {@code proxies} holds HAProxy's and NGINX's second configs too, which only the failure scenarios
 * run ({@link #firstConfigs()}).
 */
record RunOptions(Path root, Path out, List<ProxyPeer.Kind> proxies, List<Part> parts, List<Scenario> scenarios,
        double rate, Duration length, Duration warmUp, int rounds, Duration roundLength, int connections,
        int idleConnections, long bigBytes, int transferRounds, int startupRuns, double tailRate, Duration tailLength, int tailRuns,
        int scaleCount, int scaleRounds, int nodeRuns, int nodeMessages) {

    /** The parts of a run, in the order they run. */
    enum Part {
        THROUGHPUT, IDLE, DOWNLOAD, STARTUP, WARMUP, UPLOAD, SCALE, FAILURES, NODE
    }

    /** The connections of the warm-up tail's open-loop load (the "hey, 20 connections"). */
    static final int TAIL_CONNECTIONS = 20;

    static RunOptions parse(String[] args) {
        Path root = Path.of("").toAbsolutePath();
        Path out = null;
        List<ProxyPeer.Kind> proxies = null;
        List<Part> parts = List.of(Part.values());
        List<Scenario> scenarios = List.of(Scenario.values());
        double rate = 1000;
        Duration length = Scenario.LENGTH;
        Duration warmUp = Duration.ofSeconds(5);
        int rounds = 7;
        Duration roundLength = Duration.ofSeconds(10);
        int connections = 32;
        int idleConnections = 10_000;
        long bigBytes = 1L << 30;
        int transferRounds = 3;
        int startupRuns = 7;
        double tailRate = 2000;
        Duration tailLength = Duration.ofSeconds(8);
        int tailRuns = 3;
        int scaleCount = 1000;
        int scaleRounds = 5;
        int nodeRuns = 20;
        int nodeMessages = 100_000;
        boolean quick = false;
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--root" -> root = Path.of(args[++i]).toAbsolutePath();
                case "--out" -> out = Path.of(args[++i]);
                case "--proxies" -> proxies = list(args[++i], ProxyPeer.Kind::valueOf);
                case "--parts" -> parts = list(args[++i], Part::valueOf).stream().sorted().toList();
                case "--scenarios" -> scenarios = list(args[++i], Scenario::valueOf);
                case "--rate" -> rate = Double.parseDouble(args[++i]);
                case "--length" -> length = HumanDuration.parse(args[++i]);
                case "--rounds" -> rounds = Integer.parseInt(args[++i]);
                case "--round-length" -> roundLength = HumanDuration.parse(args[++i]);
                case "--connections" -> connections = Integer.parseInt(args[++i]);
                case "--idle-connections" -> idleConnections = Integer.parseInt(args[++i]);
                case "--big-mib" -> bigBytes = Long.parseLong(args[++i]) << 20;
                case "--transfer-rounds" -> transferRounds = Integer.parseInt(args[++i]);
                case "--startup-runs" -> startupRuns = Integer.parseInt(args[++i]);
                case "--tail-runs" -> tailRuns = Integer.parseInt(args[++i]);
                case "--scale" -> scaleCount = Integer.parseInt(args[++i]);
                case "--scale-rounds" -> scaleRounds = Integer.parseInt(args[++i]);
                case "--node-runs" -> nodeRuns = Integer.parseInt(args[++i]);
                case "--node-messages" -> nodeMessages = Integer.parseInt(args[++i]);
                case "--quick" -> {
                    quick = true;
                    rate = 200;
                    length = Duration.ofSeconds(6);
                    warmUp = Duration.ofSeconds(1);
                    rounds = 1;
                    roundLength = Duration.ofSeconds(2);
                    idleConnections = 200;
                    bigBytes = 32L << 20;
                    transferRounds = 1;
                    startupRuns = 1;
                    tailRate = 200;
                    tailLength = Duration.ofSeconds(2);
                    tailRuns = 1;
                    scaleRounds = 1;
                    nodeRuns = 3;
                    nodeMessages = 2_000;
                }
                default -> throw new IllegalArgumentException("unknown option " + args[i]
                        + " (expected: --root, --out, --proxies, --parts, --scenarios, --rate, --length, --rounds, "
                        + "--round-length, --connections, --idle-connections, --big-mib, --transfer-rounds, --startup-runs, --tail-runs, "
                        + "--scale, --scale-rounds, --node-runs, --node-messages, --quick)");
            }
        }
        if (proxies == null) {
            boolean withJvmPeers = !quick;
            proxies = Arrays.stream(ProxyPeer.Kind.values()).filter(k -> withJvmPeers || !k.jvmPeer).toList();
        }
        if (out == null) {
            out = root.resolve("bench/results/" + java.time.LocalDate.now() + "-scenarios.md");
        }
        return new RunOptions(root, out, proxies, parts, scenarios, rate, length, warmUp, rounds, roundLength, connections,
                FdLimit.idleConnections(idleConnections), bigBytes, transferRounds, startupRuns, tailRate, tailLength, tailRuns, scaleCount, scaleRounds, nodeRuns,
                nodeMessages);
    }

    boolean runs(Part part) {
        return parts.contains(part);
    }

    /**
     * The proxies of every part but the failure scenarios: each peer in its first config (a second config differs
     * only in how it treats a 500, which nothing but the failure scenarios meets: {@link PeerVariants}).
     */
    List<ProxyPeer.Kind> firstConfigs() {
        return proxies.stream().filter(k -> !PeerVariants.isSecondConfig(k) && !PeerVariants.isStartVariant(k)).toList();
    }

    /** The proxies the failure scenarios measure: those with health checks and retries, in both configs. */
    List<ProxyPeer.Kind> failureProxies() {
        return proxies.stream().filter(k -> k.handlesFailures).toList();
    }

    /**
     * The proxies the start-up and warm-up-tail parts time: HealthyProxy (with and without its warm-up) and the
     * native ones, not the JVM peers.
     */
    List<ProxyPeer.Kind> freshStartProxies() {
        return proxies.stream().filter(k -> !PeerVariants.isSecondConfig(k) && !k.jvmPeer).toList();
    }

    private static <T> List<T> list(String csv, java.util.function.Function<String, T> parse) {
        return Arrays.stream(csv.split(",")).map(s -> parse.apply(s.trim().toUpperCase(Locale.ROOT).replace('-', '_')))
                .toList();
    }
}
