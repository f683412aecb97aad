package io.healthyproxy.bench.scenario;

import io.healthyproxy.bench.scenario.RunOptions.Part;
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
 * HealthyProxy measured side by side with HAProxy, NGINX and the JVM peers (Spring Cloud Gateway, Vert.x
 * http-proxy, Armeria) in front of the same backends on 127.0.0.1, in one run: throughput with CPU per request
 * and RSS (wrk, alternating rounds), memory per idle connection, 1 GiB downloads and uploads, start-up time,
 * the warm-up tail, 1,000 backends and 1,000 routes, five failure scenarios under an open-loop load (with HAProxy's
 * and NGINX's second configs too, {@link PeerVariants}), and the node's start-up and message rate. Writes a dated
 * Markdown report and a chart of each failure scenario beside it ({@link ScenarioCharts}). Run it with
 * {@code bench/run-scenarios}, which installs the peers first; {@code --parts} picks parts.
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
        List<String> shown = new ArrayList<>();
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
        if (options.runs(Part.THROUGHPUT) || options.runs(Part.IDLE) || options.runs(Part.DOWNLOAD)
                || options.runs(Part.STARTUP) || options.runs(Part.WARMUP)) {
            withThreeBackends(report);
        }
        if (options.runs(Part.UPLOAD)) {
            uploads(report);
        }
        if (options.runs(Part.SCALE) && options.proxies().contains(ProxyPeer.Kind.HEALTHY_PROXY)) {
            report.scale = ScaleScenario.run(work, options.scaleCount(), options.scaleRounds(), options.roundLength(),
                    options.connections(), ScenarioRunner::log);
        }
        if (options.runs(Part.FAILURES)) {
            for (Scenario scenario : options.scenarios()) {
                Map<ProxyPeer.Kind, Report.ScenarioResult> results = new EnumMap<>(ProxyPeer.Kind.class);
                for (ProxyPeer.Kind kind : options.failureProxies()) {
                    log("scenario " + scenario + " with " + kind.label);
                    results.put(kind, failureScenario(kind, scenario));
                }
                report.scenarios.put(scenario, results);
            }
        }
        if (options.runs(Part.NODE)) {
            log("node start-up and throughput");
            report.nodeStartup = NodeBench.nodeStartup(options.root(), options.nodeRuns());
            report.helloWorld = NodeBench.helloWorld(options.nodeRuns());
            report.healthChecksPerSecond = NodeBench.healthChecksPerSecond(options.root(), options.nodeMessages());
        }
        return report;
    }

    /** The parts that share one set of three NGINX backends: all proxies up at once, then fresh starts. */
    private void withThreeBackends(Report report) throws Exception {
        List<NginxBackend> backends = startBackends();
        try {
            if (options.runs(Part.THROUGHPUT) || options.runs(Part.IDLE) || options.runs(Part.DOWNLOAD)) {
                everyProxyUp(report, backends);
            }
            if (options.runs(Part.STARTUP)) {
                startUps(report, backends);
            }
            if (options.runs(Part.WARMUP)) {
                warmupTails(report, backends);
            }
        } finally {
            stopBackends(backends);
        }
    }

    /** Every proxy up at once, idle but for the one measured: throughput rounds, then idle connections, downloads. */
    private void everyProxyUp(Report report, List<NginxBackend> backends) throws InterruptedException {
        List<ProxyPeer> peers = new ArrayList<>();
        try {
            for (ProxyPeer.Kind kind : options.firstConfigs()) {
                ProxyPeer peer = ProxyPeer.of(kind, work, backends);
                log("starting " + peer.label());
                peer.start();
                peers.add(peer);
            }
            if (options.runs(Part.THROUGHPUT)) {
                List<List<ThroughputRounds.Measured>> rounds = ThroughputRounds.run(peers, options.rounds(),
                        options.roundLength(), options.connections(), ScenarioRunner::log);
                for (int i = 0; i < peers.size(); i++) {
                    report.throughput.put(peers.get(i).kind, ThroughputRounds.Summary.of(rounds.get(i)));
                }
                peers.stream().filter(p -> p.kind == ProxyPeer.Kind.HEALTHY_PROXY).findFirst()
                        .ifPresent(p -> report.circuitLog = CircuitLog.of(p.logSinceStart()));
                log("throughput straight to one backend (the floor)");
                report.direct = Wrk.run(backends.get(0).port, options.connections(), options.roundLength());
            }
            for (ProxyPeer peer : options.runs(Part.IDLE) ? peers : List.<ProxyPeer>of()) {
                log(options.idleConnections() + " idle connections to " + peer.label());
                report.idle.put(peer.kind, IdleConnections.measure(peer, options.idleConnections()));
            }
            if (options.runs(Part.DOWNLOAD)) {
                report.download.putAll(BigBody.rounds(peers, BigBody::download, "download", options.bigBytes(),
                        options.transferRounds(), ScenarioRunner::log));
            }
        } finally {
            for (ProxyPeer peer : peers) {
                peer.stop();
            }
        }
    }

    /** Process start to first proxied 200, the proxies alternating, each start a new process. */
    private void startUps(Report report, List<NginxBackend> backends) throws InterruptedException {
        Map<ProxyPeer.Kind, List<Double>> ms = new EnumMap<>(ProxyPeer.Kind.class);
        for (int run = 0; run < options.startupRuns(); run++) {
            for (ProxyPeer.Kind kind : options.freshStartProxies()) {
                log("start-up " + (run + 1) + "/" + options.startupRuns() + ": " + kind.label);
                ms.computeIfAbsent(kind, k -> new ArrayList<>()).add(StartUp.once(ProxyPeer.of(kind, work, backends)));
            }
        }
        ms.forEach((kind, runs) -> report.startup.put(kind, StartUp.Result.of(runs)));
    }

    /** The first seconds of fresh proxies under 2,000 requests a second, alternating; the median run by p99. */
    private void warmupTails(Report report, List<NginxBackend> backends) throws Exception {
        // The generator's own JIT warm-up, against a backend, so that no proxy's run pays for it.
        WarmupTail.load(backends.get(0).port, options.tailRate(), Duration.ofSeconds(2), RunOptions.TAIL_CONNECTIONS);
        Map<ProxyPeer.Kind, List<WarmupTail.Result>> runs = new EnumMap<>(ProxyPeer.Kind.class);
        for (int run = 0; run < options.tailRuns(); run++) {
            for (ProxyPeer.Kind kind : options.freshStartProxies()) {
                log("warm-up tail " + (run + 1) + "/" + options.tailRuns() + ": " + kind.label);
                runs.computeIfAbsent(kind, k -> new ArrayList<>()).add(WarmupTail.measure(ProxyPeer.of(kind, work, backends),
                        options.tailRate(), options.tailLength(), RunOptions.TAIL_CONNECTIONS));
            }
        }
        runs.forEach((kind, results) -> report.warmupTail.put(kind, WarmupTail.median(results)));
    }

    /** Every proxy started in front of the upload sinks, then alternating uploads ({@link BigBody#rounds}). */
    private void uploads(Report report) throws InterruptedException {
        List<ProxyPeer> peers = new ArrayList<>();
        try (SinkBackend sinks = new SinkBackend(3)) {
            try {
                for (ProxyPeer.Kind kind : options.firstConfigs()) {
                    ProxyPeer peer = ProxyPeer.of(kind, work, sinks.ports(), "-upload");
                    log("starting " + peer.label() + " in front of the upload sinks");
                    peer.start();
                    peers.add(peer);
                }
                report.upload.putAll(BigBody.rounds(peers, BigBody::upload, "upload", options.bigBytes(),
                        options.transferRounds(), ScenarioRunner::log));
            } finally {
                for (ProxyPeer peer : peers) {
                    peer.stop();
                }
            }
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

    static void log(String line) {
        System.err.println("[scenarios] " + line);
    }
}
