package io.healthyproxy.app.cli;

import io.healthyproxy.core.time.HumanDuration;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.function.BiConsumer;

/**
 * The flags of {@code healthy-proxy maelstrom}, defined once. {@link NodeCommand} parses them itself, because
 * a node's start-up time matters and picocli costs ~100 ms of it; {@link HealthyProxyCommand} builds its
 * {@code maelstrom} help page from the same table.
 */
enum NodeFlag {
    FAILURE_THRESHOLD("--failure-threshold", "N", "Consecutive failures that open a circuit (default: 5).",
            (s, v) -> s.failureThreshold = integer("--failure-threshold", v)),
    OPEN_DURATION("--open-duration", "DURATION",
            "How long a circuit stays open the first time; each re-opening doubles it (default: 30s).",
            (s, v) -> s.openDuration = duration("--open-duration", v)),
    MAX_OPEN_DURATION("--max-open-duration", "DURATION", "Cap on the grown open duration (default: 5m).",
            (s, v) -> s.maxOpenDuration = duration("--max-open-duration", v)),
    HALF_OPEN_TRIALS("--half-open-trials", "N", "Trial requests a half-open circuit admits (default: 1).",
            (s, v) -> s.halfOpenTrials = integer("--half-open-trials", v)),
    SUCCESS_THRESHOLD("--success-threshold", "N", "Successful trials that close a circuit (default: 1).",
            (s, v) -> s.successThreshold = integer("--success-threshold", v)),
    HEALTH_INTERVAL("--health-interval", "DURATION",
            "Time between health checks of a backend; half of it while unhealthy (default: 1s).",
            (s, v) -> s.healthInterval = duration("--health-interval", v)),
    HEALTH_TIMEOUT("--health-timeout", "DURATION", "A health check not answered within this fails (default: 500ms).",
            (s, v) -> s.healthTimeout = duration("--health-timeout", v)),
    REQUEST_TIMEOUT("--request-timeout", "DURATION",
            "A forwarded request not answered within this fails and is retried on another backend (default: 1s).",
            (s, v) -> s.requestTimeout = duration("--request-timeout", v)),
    BACKENDS("--backends", "IDS", "Backend node ids, comma-separated, e.g. n2,n3 (default: every other node in init).",
            (s, v) -> s.backends = Arrays.stream(v.split(",")).map(String::trim).filter(x -> !x.isEmpty()).toList()),
    BALANCER("--balancer", "STRATEGY", "round_robin or power_of_two_choices (default: round_robin).",
            (s, v) -> s.balancing = balancing(v)),
    VERBOSE("--verbose", null, "Log every routing decision to stderr.", (s, v) -> s.verbose = true, "-v");

    private final String name;
    private final String paramLabel;
    private final String description;
    private final BiConsumer<NodeSettings, String> apply;
    private final List<String> aliases;

    NodeFlag(String name, String paramLabel, String description, BiConsumer<NodeSettings, String> apply,
            String... aliases) {
        this.name = name;
        this.paramLabel = paramLabel;
        this.description = description;
        this.apply = apply;
        this.aliases = List.of(aliases);
    }

    String flagName() {
        return name;
    }

    /** The value's placeholder in help, or null for a switch that takes no value. */
    String paramLabel() {
        return paramLabel;
    }

    String description() {
        return description;
    }

    List<String> names() {
        return aliases.isEmpty() ? List.of(name) : List.of(aliases.get(0), name);
    }

    boolean takesValue() {
        return paramLabel != null;
    }

    /** Sets this flag's value in {@code settings}; throws {@link IllegalArgumentException} naming the flag. */
    void apply(NodeSettings settings, String value) {
        apply.accept(settings, value);
    }

    static Optional<NodeFlag> named(String name) {
        return Arrays.stream(values()).filter(f -> f.name.equals(name) || f.aliases.contains(name)).findFirst();
    }

    private static int integer(String flag, String value) {
        try {
            return Integer.parseInt(value.trim());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("Invalid value for " + flag + ": '" + value + "' is not an integer");
        }
    }

    private static java.time.Duration duration(String flag, String value) {
        try {
            return HumanDuration.parse(value);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("Invalid value for " + flag + ": " + e.getMessage());
        }
    }

    private static io.healthyproxy.core.Balancing balancing(String value) {
        try {
            return io.healthyproxy.core.Balancing.valueOf(value.trim().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("Invalid value for --balancer: '" + value
                    + "' (expected: round_robin or power_of_two_choices)");
        }
    }
}
