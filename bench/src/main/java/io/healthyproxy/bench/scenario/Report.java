package io.healthyproxy.bench.scenario;

import java.util.ArrayList;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/** A scenario run's results, and the Markdown written to {@code bench/results/}. */
final class Report {

    /** One proxy in one failure scenario; {@code series} is what its chart draws. */
    record ScenarioResult(LoadStats load, long reachedFaultyBackend, Blame blame, LoadSeries series) {
    }

    final RunOptions options;
    final Versions versions;
    final Map<ProxyPeer.Kind, List<Wrk.Result>> throughput = new EnumMap<>(ProxyPeer.Kind.class);
    Wrk.Result direct;
    final Map<Scenario, Map<ProxyPeer.Kind, ScenarioResult>> scenarios = new LinkedHashMap<>();
    NodeBench.Startup nodeStartup;
    NodeBench.Startup helloWorld;
    double healthChecksPerSecond;

    Report(RunOptions options, Versions versions) {
        this.options = options;
        this.versions = versions;
    }

    /** The median round's figures (the rounds sorted by rate). */
    static Wrk.Result median(List<Wrk.Result> rounds) {
        List<Wrk.Result> sorted = new ArrayList<>(rounds);
        sorted.sort((a, b) -> Double.compare(a.requestsPerSecond(), b.requestsPerSecond()));
        return sorted.get(sorted.size() / 2);
    }

    String markdown(String args) {
        StringBuilder out = new StringBuilder();
        out.append("# Side-by-side benchmarks, ").append(java.time.LocalDate.now()).append("\n\n");
        out.append("- Command: `bench/run-scenarios").append(args.isBlank() ? "" : " " + args).append("`\n");
        out.append("- Machine: ").append(versions.machine()).append("; everything on 127.0.0.1, sharing the cores.\n");
        out.append("- Peers: ").append(versions.haproxy()).append("; ").append(versions.nginx()).append("; HealthyProxy ")
                .append("on ").append(versions.java()).append(". Load: ").append(versions.wrk())
                .append(" (throughput), HealthyProxy's open-loop generator (failures).\n");
        out.append("- Backends: three NGINX processes answering a tiny body; configs in `bench/peers/`.\n\n");
        throughputSection(out);
        scenarioSections(out);
        nodeSection(out);
        goalsSection(out);
        return out.toString();
    }

    private void throughputSection(StringBuilder out) {
        out.append("## Throughput\n\n");
        out.append(String.format(Locale.ROOT, "Keep-alive, tiny responses: `wrk -t1 -c%d -d%ds`, %d round(s) per proxy after a "
                + "warm-up, proxies alternating; the median round.%n%n", options.connections(),
                options.roundLength().toSeconds(), options.rounds()));
        out.append("| proxy | requests/s | p50 | p99 | errors | vs HAProxy | all rounds (req/s) |\n|---|---:|---:|---:|---:|---:|---|\n");
        Wrk.Result haproxy = throughput.containsKey(ProxyPeer.Kind.HAPROXY) ? median(throughput.get(ProxyPeer.Kind.HAPROXY)) : null;
        for (Map.Entry<ProxyPeer.Kind, List<Wrk.Result>> e : throughput.entrySet()) {
            Wrk.Result m = median(e.getValue());
            out.append(String.format(Locale.ROOT, "| %s | %.0f | %.2f ms | %.2f ms | %d | %s | %s |%n", e.getKey().label,
                    m.requestsPerSecond(), m.p50Ms(), m.p99Ms(), m.errors(),
                    haproxy == null ? "" : String.format(Locale.ROOT, "%.2f×", m.requestsPerSecond() / haproxy.requestsPerSecond()),
                    String.join(", ", e.getValue().stream().map(r -> String.format(Locale.ROOT, "%.0f", r.requestsPerSecond())).toList())));
        }
        if (direct != null) {
            out.append(String.format(Locale.ROOT, "| (no proxy: straight to one backend) | %.0f | %.2f ms | %.2f ms | %d | | |%n",
                    direct.requestsPerSecond(), direct.p50Ms(), direct.p99Ms(), direct.errors()));
        }
        out.append('\n');
    }

    private void scenarioSections(StringBuilder out) {
        out.append("## Failure scenarios\n\n");
        out.append(String.format(Locale.ROOT, "Open loop: %.0f requests/s at fixed intervals for %ds (after a %ds warm-up), "
                + "whatever happens to the answers; latency counted from the intended send time, so a stall cannot hide "
                + "the requests it held up. Each proxy starts fresh with fresh backends. \"Reached b2\" counts the "
                + "requests the faulty backend logged from the fault on (for the 500 scenario: the 500s it answered, i.e. "
                + "requests wasted on it). %s%n%n", options.rate(), options.length().toSeconds(), options.warmUp().toSeconds(),
                BlameSection.COLUMNS));
        for (Map.Entry<Scenario, Map<ProxyPeer.Kind, ScenarioResult>> s : scenarios.entrySet()) {
            out.append("### ").append(s.getKey().description).append("\n\n");
            out.append("| proxy | offered | completed | errors | > 250 ms | p50 | p99 | p99.9 | max | reached b2 "
                    + "| client 500s | extra tries | ejected |\n");
            out.append("|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---|\n");
            for (Map.Entry<ProxyPeer.Kind, ScenarioResult> r : s.getValue().entrySet()) {
                LoadStats l = r.getValue().load();
                Blame b = r.getValue().blame();
                out.append(String.format(Locale.ROOT, "| %s | %d | %d (%.2f%%) | %d | %d | %.1f ms | %.1f ms | %.1f ms | %.1f ms | %d | %d | %d | %s |%n",
                        r.getKey().label, l.offered(), l.completed(), 100.0 * l.completed() / Math.max(1, l.offered()),
                        l.errors(), l.slowerThan250ms(), l.p50Ms(), l.p99Ms(), l.p999Ms(), l.maxMs(),
                        r.getValue().reachedFaultyBackend(), b.client500s(), b.extraTries(), b.ejections().describe()));
            }
            out.append('\n');
            BlameSection.afterTable(out, s.getKey(), s.getValue(), options);
        }
    }

    private void nodeSection(StringBuilder out) {
        if (nodeStartup == null) {
            return;
        }
        out.append("## The Maelstrom node\n\n| what | figure |\n|---|---:|\n");
        out.append(String.format(Locale.ROOT, "| process start → `init_ok`, through `bin/healthy-proxy` (median of %d) | %.1f ms (p90 %.1f ms) |%n",
                nodeStartup.runs(), nodeStartup.medianMs(), nodeStartup.p90Ms()));
        out.append(String.format(Locale.ROOT, "| the floor: a JVM printing one line (median of %d) | %.1f ms (p90 %.1f ms) |%n",
                helloWorld.runs(), helloWorld.medianMs(), helloWorld.p90Ms()));
        out.append(String.format(Locale.ROOT, "| one node: `health_check` round trips through stdin/stdout (%d messages) | %.0f messages/s |%n%n",
                options.nodeMessages(), healthChecksPerSecond));
    }

    /** The goals, each checked against this run. */
    private void goalsSection(StringBuilder out) {
        out.append("## Goals\n\n| goal | result | met |\n|---|---|:-:|\n");
        if (throughput.containsKey(ProxyPeer.Kind.HAPROXY) && throughput.containsKey(ProxyPeer.Kind.HEALTHY_PROXY)) {
            double ratio = median(throughput.get(ProxyPeer.Kind.HEALTHY_PROXY)).requestsPerSecond()
                    / median(throughput.get(ProxyPeer.Kind.HAPROXY)).requestsPerSecond();
            goal(out, "throughput ≥ 1.0× HAProxy", String.format(Locale.ROOT, "%.2f×", ratio), ratio >= 1.0);
        }
        for (Map.Entry<Scenario, Map<ProxyPeer.Kind, ScenarioResult>> s : scenarios.entrySet()) {
            ScenarioResult r = s.getValue().get(ProxyPeer.Kind.HEALTHY_PROXY);
            if (r == null) {
                continue;
            }
            LoadStats l = r.load();
            String name = s.getKey().description.substring(0, 3);
            if (s.getKey() == Scenario.BROKEN_ENDPOINT) {
                BlameSection.brokenEndpointGoals(out, name, r.blame());
                continue;
            }
            goal(out, name + " 0 errors", l.errors() + " errors", l.errors() == 0);
            if (s.getKey() == Scenario.FREEZE) {
                double completed = 100.0 * l.completed() / Math.max(1, l.offered());
                goal(out, name + " ≥ 99.9% completed", String.format(Locale.ROOT, "%.2f%%", completed), completed >= 99.9);
                goal(out, name + " no request > 250 ms", l.slowerThan250ms() + " (max " + String.format(Locale.ROOT,
                        "%.0f ms)", l.maxMs()), l.slowerThan250ms() == 0);
            }
            if (s.getKey() == Scenario.SERVER_ERRORS) {
                goal(out, name + " ≤ 10 requests wasted on b2", r.reachedFaultyBackend() + "",
                        r.reachedFaultyBackend() <= 10);
                goal(out, name + " no 500 reaches a client", r.blame().client500s() + " client 500s",
                        r.blame().client500s() == 0);
            }
        }
        if (nodeStartup != null) {
            goal(out, "node start → init_ok ≤ 150 ms (median)", String.format(Locale.ROOT, "%.1f ms", nodeStartup.medianMs()),
                    nodeStartup.medianMs() <= 150);
        }
        out.append('\n');
    }

    static void goal(StringBuilder out, String goal, String result, boolean met) {
        out.append("| ").append(goal).append(" | ").append(result).append(" | ").append(met ? "yes" : "**no**").append(" |\n");
    }
}
