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

/**
 * HealthyProxy measured side by side with HAProxy and NGINX in front of the same three NGINX backends on
 * 127.0.0.1, in one run: throughput (wrk, alternating rounds), four failure scenarios under an open-loop load,
 * and the node's start-up and message rate. Writes a dated Markdown report. Run it with
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

    /** Fresh backends and a fresh proxy, a warm-up, then the measured run with the scenario's faults on b2. */
    private Report.ScenarioResult failureScenario(ProxyPeer.Kind kind, Scenario scenario) throws Exception {
        List<NginxBackend> backends = startBackends();
        ProxyPeer peer = ProxyPeer.of(kind, work, backends);
        try {
            peer.start();
            run(peer, options.warmUp(), List.of(), null);
            NginxBackend b2 = backends.get(1);
            long faultStartMillis = System.currentTimeMillis() + scenario.faultStart(options.length()).toMillis();
            List<LoadResult> results = run(peer, options.length(), scenario.faults(options.length()), b2);
            long reached = b2.requestsSince(faultStartMillis, scenario.countsOnly500s());
            return new Report.ScenarioResult(LoadStats.of(results), reached);
        } finally {
            peer.stop();
            stopBackends(backends);
        }
    }

    /** An open-loop load on {@code peer} for {@code length}, applying {@code faults} to {@code target} on time. */
    private List<LoadResult> run(ProxyPeer peer, Duration length, List<Scenario.Fault> faults, NginxBackend target)
            throws Exception {
        List<LoadResult> results = Collections.synchronizedList(new ArrayList<>());
        long start = System.nanoTime();
        try (OpenLoopLoad load = OpenLoopLoad.start(new InetSocketAddress("127.0.0.1", peer.port()), "/", options.rate(),
                Duration.ofSeconds(5), 5000, results::add)) {
            for (Scenario.Fault fault : faults) {
                sleepUntil(start + fault.at().toNanos());
                log("  " + fault.at().toMillis() + " ms: " + fault.what() + " " + target.name);
                fault.action().apply(target);
            }
            sleepUntil(start + length.toNanos());
            load.stopSending();
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
            while (results.size() < load.sent() && System.nanoTime() < deadline) {
                Thread.sleep(10);
            }
        }
        synchronized (results) {
            return List.copyOf(results);
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
