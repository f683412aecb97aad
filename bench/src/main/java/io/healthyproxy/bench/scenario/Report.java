package io.healthyproxy.bench.scenario;

import io.healthyproxy.bench.scenario.ProxyPeer.Kind;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;

/** A scenario run's results, and the Markdown written to {@code bench/results/}; the goals in {@link Goals}. */
final class Report {

    /** One proxy in one failure scenario; {@code series} is what its chart draws. */
    record ScenarioResult(LoadStats load, long reachedFaultyBackend, Blame blame, LoadSeries series) {
    }

    final RunOptions options;
    final Versions versions;
    final Map<Kind, ThroughputRounds.Summary> throughput = new EnumMap<>(Kind.class);
    /** HealthyProxy's log over the throughput part: must be quiet with healthy backends. */
    CircuitLog circuitLog;
    Wrk.Result direct;
    final Map<Kind, IdleConnections.Result> idle = new EnumMap<>(Kind.class);
    final Map<Kind, BigBody.Rounds> download = new EnumMap<>(Kind.class);
    final Map<Kind, BigBody.Rounds> upload = new EnumMap<>(Kind.class);
    final Map<Kind, StartUp.Result> startup = new EnumMap<>(Kind.class);
    final Map<Kind, WarmupTail.Result> warmupTail = new EnumMap<>(Kind.class);
    /** The scale part's variants (HealthyProxy's three, HAProxy's two), in {@link ScaleScenario.Variant} order; null if not run. */
    List<ThroughputRounds.Summary> scale;
    final Map<Scenario, Map<Kind, ScenarioResult>> scenarios = new LinkedHashMap<>();
    NodeBench.Startup nodeStartup;
    NodeBench.Startup helloWorld;
    double healthChecksPerSecond;

    Report(RunOptions options, Versions versions) {
        this.options = options;
        this.versions = versions;
    }

    String markdown(String args) {
        StringBuilder out = new StringBuilder();
        out.append("# Side-by-side benchmarks, ").append(java.time.LocalDate.now()).append("\n\n");
        out.append("- Command: `bench/run-scenarios").append(args.isBlank() ? "" : " " + args).append("`\n");
        out.append("- Machine: ").append(versions.machine()).append("; everything on 127.0.0.1, sharing the cores. ")
                .append("Load average when the run began: ").append(versions.load()).append(".\n");
        out.append("- Peers: ").append(versions.haproxy()).append("; ").append(versions.nginx())
                .append("; Spring Cloud Gateway 4.3.0 (Boot 3.5.7), Vert.x http-proxy 5.0.7, Armeria 1.33.4 (`bench/peers/jvm`, ")
                .append("JVM defaults); HealthyProxy through `bin/healthy-proxy serve` (the launcher's defaults); all on ")
                .append(versions.java()).append(". Load: ").append(versions.wrk())
                .append(" (throughput), HealthyProxy's open-loop generator (failures, warm-up), curl (big bodies). ")
                .append("HAProxy and NGINX also in a second config in the failure scenarios (how each treats a 500: ")
                .append("the comments of `bench/peers/haproxy.cfg` and `nginx-lb.conf`).\n");
        out.append("- Backends: NGINX processes answering a tiny body; configs in `bench/peers/`.\n\n");
        throughputSection(out);
        idleSection(out);
        bigBodySection(out);
        startupSection(out);
        warmupSection(out);
        scaleSection(out);
        scenarioSections(out);
        nodeSection(out);
        new Goals(this).section(out);
        return out.toString();
    }

    private void throughputSection(StringBuilder out) {
        if (throughput.isEmpty()) {
            return;
        }
        out.append("## Throughput, CPU and memory\n\n");
        out.append(String.format(Locale.ROOT, "Keep-alive, tiny responses: `wrk -t1 -c%d -d%ds`, %d round(s) per proxy after a "
                + "warm-up of two rounds' length, proxies alternating (every proxy up all along, idle but for the one "
                + "measured); the median round. CPU: user + system time of the proxy's processes over a round "
                + "(`/proc/PID/stat`) divided by its requests, the median round; \"user\" is the part spent in the proxy's "
                + "own code (the rest is mostly the kernel's socket work). RSS: after the last "
                + "round.%n%n",
                options.connections(), options.roundLength().toSeconds(), options.rounds()));
        out.append("| proxy | requests/s | p50 | p99 | errors | CPU per request | of it, user | RSS | vs HAProxy | vs NGINX "
                + "| all rounds (req/s) |\n");
        out.append("|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---|\n");
        ThroughputRounds.Summary haproxy = throughput.get(Kind.HAPROXY);
        ThroughputRounds.Summary nginx = throughput.get(Kind.NGINX);
        for (Map.Entry<Kind, ThroughputRounds.Summary> e : throughput.entrySet()) {
            ThroughputRounds.Summary s = e.getValue();
            out.append(String.format(Locale.ROOT, "| %s | %.0f | %.2f ms | %.2f ms | %d | %.1f µs | %.1f µs | %.0f MiB | %s "
                    + "| %s | %s |%n", e.getKey().label, s.requestsPerSecond(), s.median().p50Ms(), s.median().p99Ms(),
                    s.median().errors(), s.cpuMicrosPerRequest(), s.userMicrosPerRequest(), s.rssMiB(), ratio(s, haproxy),
                    ratio(s, nginx),
                    String.join(", ", s.rounds().stream().map(r -> String.format(Locale.ROOT, "%.0f",
                            r.wrk().requestsPerSecond())).toList())));
        }
        if (direct != null) {
            out.append(String.format(Locale.ROOT, "| (no proxy: straight to one backend) | %.0f | %.2f ms | %.2f ms | %d | | | | | | |%n",
                    direct.requestsPerSecond(), direct.p50Ms(), direct.p99Ms(), direct.errors()));
        }
        if (circuitLog != null) {
            out.append("\nHealthyProxy's log from its start to the end of the rounds: ").append(circuitLog)
                    .append(circuitLog.quiet() ? " (as it should be: the backends were healthy)." : " — **not quiet**: "
                            + "the backends were healthy, so each of these is a false alarm to look into.").append('\n');
        }
        out.append('\n');
    }

    private void idleSection(StringBuilder out) {
        if (idle.isEmpty()) {
            return;
        }
        out.append("## Idle keep-alive connections\n\n");
        out.append(String.format(Locale.ROOT, "%,d client connections opened to each proxy (after the throughput rounds), each "
                + "sending one `GET /` and then staying open and idle; the proxy's RSS before (the least of five readings "
                + "over 2 s), 2 s after the last connect and settled (the least of the readings from 6 to 10 s after), less "
                + "the first, divided by the connections still open; the figure per connection is the settled one, which "
                + "leaves out what a JVM proxy's compiler used during the burst of connects (IdleConnections' javadoc). (10,000 where the open-files limit allows; here it is %,d, and HAProxy "
                + "needs two descriptors per connection.)%n%n", options.idleConnections(), FdLimit.soft()));
        out.append("| proxy | answered | still open | RSS before | RSS 2 s after | RSS settled | per connection (at 2 s) "
                + "| per connection | vs HAProxy |\n|---|---:|---:|---:|---:|---:|---:|---:|---:|\n");
        IdleConnections.Result haproxy = idle.get(Kind.HAPROXY);
        idle.forEach((kind, r) -> out.append(String.format(Locale.ROOT,
                "| %s | %d | %d | %.1f MiB | %.1f MiB | %.1f MiB | %.2f KiB | %.2f KiB | %s |%n",
                kind.label, r.opened(), r.stillOpen(), r.rssBeforeMiB(), r.rssSoonMiB(), r.rssAfterMiB(),
                r.kibPerConnectionSoon(), r.kibPerConnection(),
                haproxy == null || haproxy.kibPerConnection() <= 0 ? ""
                        : String.format(Locale.ROOT, "%.2f×", r.kibPerConnection() / haproxy.kibPerConnection()))));
        out.append('\n');
    }

    private void bigBodySection(StringBuilder out) {
        if (download.isEmpty() && upload.isEmpty()) {
            return;
        }
        out.append("## Big bodies\n\n");
        out.append(String.format(Locale.ROOT, "A %s body through each proxy with curl: downloads (`GET`, NGINX backends serving a "
                + "file with sendfile; the proxies up since the throughput rounds) and uploads (`POST` with its length, "
                + "to a Netty sink that reads it to the end; the proxies started for them). First one unmeasured transfer "
                + "of the same size each way through each proxy (the JIT's warm-up, the sink's too), then %d rounds, the "
                + "proxies alternating; MB/s as curl timed it (10^6 bytes), the median round, every round after it; the "
                + "proxy's RSS before the first round, at its peak (sampled every 100 ms) and after the last.%n%n",
                BigBody.fileName(options.bigBytes()), options.transferRounds()));
        out.append("| proxy | download | vs HAProxy | RSS before → peak → after | upload | vs HAProxy | RSS before → peak → after |\n");
        out.append("|---|---:|---:|---|---:|---:|---|\n");
        for (Kind kind : options.proxies()) {
            BigBody.Rounds d = download.get(kind);
            BigBody.Rounds u = upload.get(kind);
            if (d == null && u == null) {
                continue;
            }
            out.append("| ").append(kind.label).append(" | ").append(transfer(d, download.get(Kind.HAPROXY)))
                    .append(" | ").append(transfer(u, upload.get(Kind.HAPROXY))).append(" |\n");
        }
        out.append('\n');
    }

    private String transfer(BigBody.Rounds t, BigBody.Rounds haproxy) {
        if (t == null) {
            return " | | ";
        }
        String speed;
        if (t.complete(options.bigBytes())) {
            speed = String.format(Locale.ROOT, "%.0f MB/s (%s)", t.megabytesPerSecond(), t.each().stream()
                    .map(r -> String.format(Locale.ROOT, "%.0f", r.megabytesPerSecond())).collect(Collectors.joining(", ")));
        } else {
            BigBody.Transfer failed = t.failed(options.bigBytes());
            speed = "**failed** (" + failed.status() + ", " + failed.bytes() + " bytes)";
        }
        String vs = haproxy == null || !t.complete(options.bigBytes()) || haproxy.megabytesPerSecond() <= 0 ? ""
                : String.format(Locale.ROOT, "%.2f×", t.megabytesPerSecond() / haproxy.megabytesPerSecond());
        return String.format(Locale.ROOT, "%s | %s | %.0f → %.0f → %.0f MiB", speed, vs, t.rssBeforeMiB(), t.rssPeakMiB(),
                t.rssAfterMiB());
    }

    private void startupSection(StringBuilder out) {
        if (startup.isEmpty()) {
            return;
        }
        out.append("## Start-up\n\n");
        out.append("Process start to the first `200` proxied through it (a new connection every millisecond until one is "
                + "answered), each start a new process, the proxies alternating. HealthyProxy: `bin/healthy-proxy serve`, "
                + "launcher included.\n\n| proxy | median | fastest | slowest | starts |\n|---|---:|---:|---:|---:|\n");
        startup.forEach((kind, r) -> out.append(String.format(Locale.ROOT, "| %s | %.0f ms | %.0f ms | %.0f ms | %d |%n",
                kind.label, r.medianMs(), r.minMs(), r.maxMs(), r.runs())));
        out.append('\n');
    }

    private void warmupSection(StringBuilder out) {
        if (warmupTail.isEmpty()) {
            return;
        }
        int seconds = (int) Math.max(1, options.tailLength().toSeconds());
        out.append("## Warm-up tail\n\n");
        out.append(String.format(Locale.ROOT, "A freshly started proxy (once it has answered 3 requests) under %.0f requests/s, "
                + "open loop, at most %d connections, for %ds; p99 latency of each second (from the intended send time) "
                + "and of the whole; the median of %d start(s) by the whole's p99.%n%n", options.tailRate(),
                RunOptions.TAIL_CONNECTIONS, seconds, options.tailRuns()));
        out.append("| proxy | p99, whole |");
        for (int s = 1; s <= seconds; s++) {
            out.append(" s").append(s).append(" |");
        }
        out.append(" errors |\n|---|---:|").append("---:|".repeat(seconds)).append("---:|\n");
        warmupTail.forEach((kind, r) -> {
            out.append(String.format(Locale.ROOT, "| %s | %.1f ms |", kind.label, r.p99Ms()));
            r.p99MsBySecond().forEach(ms -> out.append(String.format(Locale.ROOT, " %.1f |", ms)));
            out.append(String.format(Locale.ROOT, " %d / %d |%n", r.errors(), r.offered()));
        });
        out.append('\n');
    }

    private void scaleSection(StringBuilder out) {
        if (scale == null) {
            return;
        }
        out.append("## Scale: 1,000 backends, 1,000 routes\n\n");
        out.append(String.format(Locale.ROOT, "Three HealthyProxy processes and two HAProxy processes in front of the same three "
                + "NGINX processes (listening on %d ports between them), alternating `wrk -c%d -d%ds` rounds, %d each; health "
                + "checks every 5 s in all of them. Each is measured against its own baseline: HAProxy's ratio is what "
                + "spreading the load over %d backends costs the machine (the backends' and the kernel's side), whoever "
                + "balances.%n%n", options.scaleCount(), options.connections(), options.roundLength().toSeconds(),
                options.scaleRounds(), options.scaleCount()));
        out.append("| proxy with | requests/s | p99 | CPU per request | RSS | vs its baseline |\n|---|---:|---:|---:|---:|---:|\n");
        for (ScaleScenario.Variant v : ScaleScenario.Variant.values()) {
            ThroughputRounds.Summary s = scale.get(v.ordinal());
            out.append(String.format(Locale.ROOT, "| %s | %.0f | %.2f ms | %.1f µs | %.0f MiB | %.2f× |%n", v.label,
                    s.requestsPerSecond(), s.median().p99Ms(), s.cpuMicrosPerRequest(), s.rssMiB(),
                    s.requestsPerSecond() / scale.get(v.yardstick().ordinal()).requestsPerSecond()));
        }
        out.append('\n');
    }

    private void scenarioSections(StringBuilder out) {
        if (scenarios.isEmpty()) {
            return;
        }
        out.append("## Failure scenarios\n\n");
        out.append(String.format(Locale.ROOT, "Open loop: %.0f requests/s at fixed intervals for %ds (after a %ds warm-up), "
                + "whatever happens to the answers; latency counted from the intended send time, so a stall cannot hide "
                + "the requests it held up. Each proxy starts fresh with fresh backends. \"Reached b2\" counts the "
                + "requests the faulty backend logged from the fault on (for the 500 scenario: the 500s it answered, i.e. "
                + "requests wasted on it). %s n/a: a proxy without health checks or retries (Vert.x http-proxy).%n%n",
                options.rate(), options.length().toSeconds(), options.warmUp().toSeconds(), BlameSection.COLUMNS));
        for (Map.Entry<Scenario, Map<Kind, ScenarioResult>> s : scenarios.entrySet()) {
            out.append("### ").append(s.getKey().description).append("\n\n");
            out.append("| proxy | offered | completed | errors | > 250 ms | p50 | p99 | p99.9 | max | reached b2 "
                    + "| client 500s | extra tries | ejected |\n");
            out.append("|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---|\n");
            for (Kind kind : options.proxies()) {
                ScenarioResult r = s.getValue().get(kind);
                if (r == null) {
                    if (!kind.handlesFailures && !PeerVariants.isStartVariant(kind)) {
                        out.append("| ").append(kind.label).append(" | n/a |").append(" |".repeat(11)).append('\n');
                    }
                    continue;
                }
                LoadStats l = r.load();
                Blame b = r.blame();
                out.append(String.format(Locale.ROOT, "| %s | %d | %d (%.2f%%) | %d | %d | %.1f ms | %.1f ms | %.1f ms | %.1f ms | %d | %d | %d | %s |%n",
                        kind.label, l.offered(), l.completed(), 100.0 * l.completed() / Math.max(1, l.offered()),
                        l.errors(), l.slowerThan250ms(), l.p50Ms(), l.p99Ms(), l.p999Ms(), l.maxMs(),
                        r.reachedFaultyBackend(), b.client500s(), b.extraTries(), b.ejections().describe()));
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

    private static String ratio(ThroughputRounds.Summary s, ThroughputRounds.Summary base) {
        return base == null ? "" : String.format(Locale.ROOT, "%.2f×", s.requestsPerSecond() / base.requestsPerSecond());
    }

    /** The best of the JVM peers by {@code figure}, or null if none ran. */
    static <T> Map.Entry<Kind, T> bestJvmPeer(Map<Kind, T> results, Function<T, Double> figure) {
        return results.entrySet().stream().filter(e -> e.getKey().jvmPeer)
                .max(java.util.Comparator.comparingDouble(e -> figure.apply(e.getValue()))).orElse(null);
    }
}
