package io.healthyproxy.bench.scenario;

import io.healthyproxy.testkit.load.LoadResult;
import io.healthyproxy.testkit.load.OpenLoopLoad;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.LongFunction;

/**
 * HealthyProxy measured side by side with HAProxy and NGINX in front of the same three NGINX backends on
 * 127.0.0.1, in one run: throughput (wrk, alternating rounds), five failure scenarios under an open-loop load
 * (with each peer's second config, {@link PeerVariants}), and the node's start-up and message rate. Writes a dated
 * Markdown report and a chart of each failure scenario beside it ({@link ScenarioCharts}). Run it with
 * {@code bench/run-scenarios}, which installs the peers first.
 */
public final class ScenarioRunner {

    private final RunOptions options;
    private final Workspace work;

    ScenarioRunner(RunOptions options) {
        this.options = options;
        this.work = new Workspace(options.root(), options.root().resolve("bench/target/scenarios-"
                + System.currentTimeMillis()));
    }

    public static void main(String[] args) throws Exception {
        RunOptions options = RunOptions.parse(args);
        Report report = new ScenarioRunner(options).run();
        Files.createDirectories(options.out().toAbsolutePath().getParent());
        String markdown = report.markdown(commandLine(args));
        Files.writeString(options.out(), markdown);
        ScenarioCharts.write(report.scenarios, options);
        System.out.println(markdown);
        System.out.println("Written to " + options.out());
        System.exit(0);             // the load generator's and HTTP client's threads
    }

    /** The arguments as the user typed them to {@code bench/run-scenarios}, which adds {@code --root} itself. */
    static String commandLine(String[] args) {
        java.util.List<String> shown = new java.util.ArrayList<>();
        for (int i = 0; i < args.length; i++) {
            if (args[i].equals("--root") && i + 1 < args.length) {
                i++;
            } else {
                shown.add(args[i]);
            }
        }
        return String.join(" ", shown);
    }

    Report run() throws Exception {
        Report report = new Report(options, Versions.probe());
        throughput(report);
        for (Scenario scenario : options.scenarios()) {
            Map<ProxyPeer.Kind, Report.ScenarioResult> results = new EnumMap<>(ProxyPeer.Kind.class);
            for (ProxyPeer.Kind kind : options.proxies()) {
                log("scenario " + scenario + " with " + kind.label);
                results.put(kind, failureScenario(kind, scenario));
            }
            report.scenarios.put(scenario, results);
        }
        log("node start-up and throughput");
        report.nodeStartup = NodeBench.nodeStartup(options.root(), options.nodeRuns());
        report.helloWorld = NodeBench.helloWorld(options.nodeRuns());
        report.healthChecksPerSecond = NodeBench.healthChecksPerSecond(options.root(), options.nodeMessages());
        return report;
    }

    /** Every proxy up at once, idle but for the one measured; rounds alternate which goes first. */
    private void throughput(Report report) throws InterruptedException {
        List<NginxBackend> backends = startBackends();
        List<ProxyPeer> peers = new ArrayList<>();
        try {
            for (ProxyPeer.Kind kind : options.proxies()) {
                if (PeerVariants.isSecondConfig(kind)) {
                    continue;
                }
                ProxyPeer peer = ProxyPeer.of(kind, work, backends);
                peer.start();
                peers.add(peer);
                report.throughput.put(kind, new ArrayList<>());
            }
            for (ProxyPeer peer : peers) {
                // Two rounds' worth: long enough for the JVM's compilers to settle, the same for every peer.
                log("warming up " + peer.label());
                Wrk.run(peer.port(), options.connections(), options.roundLength().multipliedBy(2));
            }
            for (int round = 0; round < options.rounds(); round++) {
                List<ProxyPeer> order = new ArrayList<>(peers);
                Collections.rotate(order, -round);
                for (ProxyPeer peer : order) {
                    log("throughput round " + (round + 1) + ": " + peer.label());
                    report.throughput.get(peer.kind).add(Wrk.run(peer.port(), options.connections(), options.roundLength()));
                }
            }
            log("throughput straight to one backend (the floor)");
            report.direct = Wrk.run(backends.get(0).port, options.connections(), options.roundLength());
        } finally {
            for (ProxyPeer peer : peers) {
                peer.stop();
            }
            stopBackends(backends);
        }
    }

    /** Fresh backends and a fresh proxy, a warm-up, then the measured run with the scenario's faults. */
    private Report.ScenarioResult failureScenario(ProxyPeer.Kind kind, Scenario scenario) throws Exception {
        List<NginxBackend> backends = startBackends();
        ProxyPeer peer = ProxyPeer.of(kind, work, backends);
        try {
            peer.start();
            run(peer, options.warmUp(), scenario.paths(), List.of(), backends);
            NginxBackend b2 = backends.get(1);
            EjectionProbe ejections = EjectionProbe.of(peer, work, backends);
            ejections.start();
            Run run = run(peer, options.length(), scenario.paths(), scenario.faults(options.length()), backends);
            long faultStartMillis = run.startMillis() + scenario.faultStart(options.length()).toMillis();
            long reached = b2.requestsSince(faultStartMillis, scenario.countsOnly500s());
            List<AccessLog.Entry> tries = backends.stream()
                    .flatMap(b -> AccessLog.since(b.accessLog(), run.startMillis()).stream()).toList();
            return new Report.ScenarioResult(LoadStats.of(run.results()), reached,
                    Blame.of(run.results(), tries, ejections.since(), new Blame.During(run.startNanos(), run.startMillis(),
                            scenario.faultStart(options.length()), scenario.faultEnd(options.length()))),
                    LoadSeries.of(run.results(), run.startNanos(), ScenarioCharts.BUCKET, options.length()));
        } finally {
            peer.stop();
            stopBackends(backends);
        }
    }

    /** An open-loop run: when it began, on the monotonic clock and the wall clock (the backends log that), and its results. */
    private record Run(long startNanos, long startMillis, List<LoadResult> results) {
    }

    /**
     * An open-loop load on {@code peer} for {@code length}, to {@code paths}, applying {@code faults} on time to b2
     * (or to every backend, for a fault that says so).
     */
    private Run run(ProxyPeer peer, Duration length, LongFunction<String> paths, List<Scenario.Fault> faults,
            List<NginxBackend> backends) throws Exception {
        List<LoadResult> results = Collections.synchronizedList(new ArrayList<>());
        long startMillis = System.currentTimeMillis();
        long start = System.nanoTime();
        try (OpenLoopLoad load = OpenLoopLoad.start(new InetSocketAddress("127.0.0.1", peer.port()), paths, options.rate(),
                Duration.ofSeconds(5), 5000, results::add)) {
            for (Scenario.Fault fault : faults) {
                sleepUntil(start + fault.at().toNanos());
                List<NginxBackend> targets = fault.everyBackend() ? backends : List.of(backends.get(1));
                log("  " + fault.at().toMillis() + " ms: " + fault.what() + " "
                        + String.join(", ", targets.stream().map(b -> b.name).toList()));
                for (NginxBackend target : targets) {
                    fault.action().apply(target);
                }
            }
            sleepUntil(start + length.toNanos());
            load.stopSending();
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
            while (results.size() < load.sent() && System.nanoTime() < deadline) {
                Thread.sleep(10);
            }
        }
        synchronized (results) {
            return new Run(start, startMillis, List.copyOf(results));
        }
    }

    private List<NginxBackend> startBackends() throws InterruptedException {
        List<NginxBackend> backends = new ArrayList<>();
        for (String name : List.of("b1", "b2", "b3")) {
            NginxBackend b = new NginxBackend(work, name);
            b.start();
            backends.add(b);
        }
        return backends;
    }

    private static void stopBackends(List<NginxBackend> backends) throws InterruptedException {
        for (NginxBackend b : backends) {
            b.stop();
        }
    }

    private static void sleepUntil(long nanoTime) throws InterruptedException {
        long wait = nanoTime - System.nanoTime();
        if (wait > 0) {
            TimeUnit.NANOSECONDS.sleep(wait);
        }
    }

    private static void log(String line) {
        System.err.println("[scenarios] " + line);
    }
}
