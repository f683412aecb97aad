package io.healthyproxy.bench.scenario;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import io.healthyproxy.core.time.HumanDuration;

/**
 * An A/B run of two HealthyProxy builds (or one build with two sets of JVM options), for {@code bench/ab}: both
 * in front of the same three NGINX backends, each through its own checkout's {@code bin/healthy-proxy serve}, in
 * alternating throughput rounds (requests/s, p99, CPU per request, RSS), then optionally alternating fresh starts
 * for the start-up time and the warm-up tail. Prints each side's medians and the ratio B/A.
 *
 * <pre>
 * AbRun --root R --a-root DIR --a-label L [--a-opts "..."] --b-root DIR --b-label L [--b-opts "..."]
 *       [--rounds 7] [--round-length 10s] [--connections 32] [--fresh-runs 0]
 * </pre>
 */
public final class AbRun {

    private AbRun() {
    }

    public static void main(String[] args) throws Exception {
        Map<String, String> o = new java.util.HashMap<>(Map.of("--a-opts", "", "--b-opts", "", "--rounds", "7",
                "--round-length", "10s", "--connections", "32", "--fresh-runs", "0"));
        for (int i = 0; i + 1 < args.length; i += 2) {
            if (!args[i].startsWith("--")) {
                throw new IllegalArgumentException("expected an option, got " + args[i]);
            }
            o.put(args[i], args[i + 1]);
        }
        Path root = Path.of(o.get("--root")).toAbsolutePath();
        Workspace work = new Workspace(root, root.resolve("bench/target/ab/run-" + System.currentTimeMillis()));
        int rounds = Integer.parseInt(o.get("--rounds"));
        Duration roundLength = HumanDuration.parse(o.get("--round-length"));
        int connections = Integer.parseInt(o.get("--connections"));
        int freshRuns = Integer.parseInt(o.get("--fresh-runs"));
        String[] labels = {o.get("--a-label"), o.get("--b-label")};
        Path[] roots = {Path.of(o.get("--a-root")), Path.of(o.get("--b-root"))};
        String[] opts = {o.get("--a-opts"), o.get("--b-opts")};

        List<NginxBackend> backends = new ArrayList<>();
        List<ProxyPeer> peers = new ArrayList<>();
        StringBuilder out = new StringBuilder();
        try {
            for (String name : List.of("b1", "b2", "b3")) {
                NginxBackend b = new NginxBackend(work, name);
                b.start();
                backends.add(b);
            }
            for (int i = 0; i < 2; i++) {
                peers.add(peer(work, backends, labels[i], roots[i], opts[i], ""));
                peers.get(i).start();
            }
            List<ThroughputRounds.Summary> s = ThroughputRounds.run(peers, rounds, roundLength, connections, ScenarioRunner::log)
                    .stream().map(ThroughputRounds.Summary::of).toList();
            List<CircuitLog> logs = peers.stream().map(p -> CircuitLog.of(p.logSinceStart())).toList();
            for (ProxyPeer p : peers) {
                p.stop();
            }
            peers.clear();
            out.append(String.format(Locale.ROOT, "A/B: `wrk -t1 -c%d -d%ds`, %d alternating rounds each; medians.%n%n",
                    connections, roundLength.toSeconds(), rounds));
            out.append("| | requests/s | p99 | CPU per request | of it, user | RSS | all rounds (req/s) | log |\n"
                    + "|---|---:|---:|---:|---:|---:|---|---|\n");
            for (int i = 0; i < 2; i++) {
                out.append(String.format(Locale.ROOT, "| %s: %s | %.0f | %.2f ms | %.1f µs | %.1f µs | %.0f MiB | %s | %s |%n",
                        i == 0 ? "A" : "B", labels[i], s.get(i).requestsPerSecond(), s.get(i).median().p99Ms(),
                        s.get(i).cpuMicrosPerRequest(), s.get(i).userMicrosPerRequest(), s.get(i).rssMiB(),
                        String.join(", ", s.get(i).rounds().stream()
                                .map(r -> String.format(Locale.ROOT, "%.0f", r.wrk().requestsPerSecond())).toList()),
                        logs.get(i)));
            }
            out.append(String.format(Locale.ROOT, "| B/A | %.3f× | %.2f× | %.3f× | %.3f× | %.2f× | | |%n%n",
                    s.get(1).requestsPerSecond() / s.get(0).requestsPerSecond(),
                    s.get(1).median().p99Ms() / s.get(0).median().p99Ms(),
                    s.get(1).cpuMicrosPerRequest() / s.get(0).cpuMicrosPerRequest(),
                    s.get(1).userMicrosPerRequest() / s.get(0).userMicrosPerRequest(), s.get(1).rssMiB() / s.get(0).rssMiB()));
            if (freshRuns > 0) {
                fresh(out, work, backends, labels, roots, opts, freshRuns);
            }
        } finally {
            for (ProxyPeer p : peers) {
                p.stop();
            }
            for (NginxBackend b : backends) {
                b.stop();
            }
        }
        System.out.print(out);
        System.exit(0);
    }

    /** Alternating fresh starts: start-up to the first 200, then the warm-up tail (2,000 requests/s, 8 s). */
    private static void fresh(StringBuilder out, Workspace work, List<NginxBackend> backends, String[] labels, Path[] roots,
            String[] opts, int runs) throws Exception {
        WarmupTail.load(backends.get(0).port, 2000, Duration.ofSeconds(2), RunOptions.TAIL_CONNECTIONS);
        List<List<Double>> startMs = List.of(new ArrayList<>(), new ArrayList<>());
        List<List<WarmupTail.Result>> tails = List.of(new ArrayList<>(), new ArrayList<>());
        for (int run = 0; run < runs; run++) {
            for (int i = 0; i < 2; i++) {
                ScenarioRunner.log("fresh start " + (run + 1) + "/" + runs + ": " + labels[i]);
                startMs.get(i).add(StartUp.once(peer(work, backends, labels[i], roots[i], opts[i], "-start")));
                tails.get(i).add(WarmupTail.measure(peer(work, backends, labels[i], roots[i], opts[i], "-tail"), 2000,
                        Duration.ofSeconds(8), RunOptions.TAIL_CONNECTIONS));
            }
        }
        out.append(String.format(Locale.ROOT, "Fresh starts, %d each, alternating: process start → first 200 (median), and the "
                + "warm-up tail: p99 over the first 8 s at 2,000 requests/s on 20 connections (median run), worst second.%n%n", runs));
        out.append("| | start-up | tail p99 | worst second |\n|---|---:|---:|---:|\n");
        for (int i = 0; i < 2; i++) {
            StartUp.Result st = StartUp.Result.of(startMs.get(i));
            WarmupTail.Result t = WarmupTail.median(tails.get(i));
            out.append(String.format(Locale.ROOT, "| %s: %s | %.0f ms | %.1f ms | %.1f ms |%n", i == 0 ? "A" : "B", labels[i],
                    st.medianMs(), t.p99Ms(), t.worstSecondMs()));
        }
        out.append('\n');
    }

    private static ProxyPeer peer(Workspace work, List<NginxBackend> backends, String label, Path root, String opts,
            String variant) {
        Map<String, String> values = Map.of("LISTEN_PORT", "0", "ADMIN_PORT", "0",
                "BACKEND_1", Integer.toString(backends.get(0).port), "BACKEND_2", Integer.toString(backends.get(1).port),
                "BACKEND_3", Integer.toString(backends.get(2).port));
        String name = label.replaceAll("[^A-Za-z0-9_.-]", "_") + variant;
        return ProxyPeer.healthyProxy(label + variant, root, work, work.render("healthy-proxy.yaml", name + ".yaml", values), opts);
    }
}
