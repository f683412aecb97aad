package io.healthyproxy.app.demo;

import io.healthyproxy.core.Backend;
import io.healthyproxy.core.Ejection;
import io.healthyproxy.core.breaker.CircuitState;
import io.healthyproxy.core.breaker.TransitionEvent;
import io.healthyproxy.core.health.HealthStatus;
import io.healthyproxy.core.time.HumanDuration;
import io.healthyproxy.http.HttpProxy;
import io.healthyproxy.http.config.BackendConfig;
import io.healthyproxy.http.config.Endpoint;
import io.healthyproxy.http.config.ProxyConfig;
import io.healthyproxy.testkit.ControllableBackend;
import io.healthyproxy.testkit.load.LoadResult;
import io.healthyproxy.testkit.load.OpenLoopLoad;
import java.io.PrintStream;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;

/**
 * The HTTP demo: three backends on 127.0.0.1, the proxy in front of them with {@code serve}'s defaults
 * ({@link DemoConfig}), a steady load of {@value #RATE} requests a second, and {@link DemoScript}'s story, shown as one
 * table row a second plus every circuit and health event as it happens. Then everything keeps running for a while
 * (the linger), so the dashboard can be looked at.
 */
public final class HttpDemo {

    static final int RATE = 100;
    private static final String[] NAMES = {"api-1", "api-2", "api-3"};

    private final PrintStream out;
    private final double pace;
    private final Optional<Duration> linger;
    private final List<ControllableBackend> backends = new ArrayList<>();
    private final ConcurrentLinkedQueue<LoadResult> results = new ConcurrentLinkedQueue<>();
    private final ConcurrentLinkedQueue<String> events = new ConcurrentLinkedQueue<>();
    private final List<LoadResult> all = new ArrayList<>();
    private long[] reachedBefore = new long[NAMES.length];
    /** Each backend's ejection already told, so that each is told once. */
    private final Ejection[] toldEjections = new Ejection[NAMES.length];
    private long startedAt;
    /** Whether events are still collected for the story's table; after it they are the dashboard's alone. */
    private volatile boolean telling = true;

    /**
     * @param pace   1 for the real story (about a minute); smaller to run it faster (tests)
     * @param linger how long to keep the proxy, the backends and the load up after the story (zero: end at once);
     *               empty: until interrupted (Ctrl-C)
     */
    public HttpDemo(PrintStream out, double pace, Optional<Duration> linger) {
        this.out = out;
        this.pace = pace;
        this.linger = linger;
    }

    public void run() throws InterruptedException {
        try {
            for (String name : NAMES) {
                backends.add(ControllableBackend.start(name));
            }
            try (HttpProxy proxy = startProxy()) {
                watch(proxy);
                header(proxy);
                startedAt = System.nanoTime();
                try (OpenLoopLoad load = OpenLoopLoad.start(proxy.address(), "/", RATE, Duration.ofSeconds(5), 2000,
                        results::add)) {
                    play(proxy);
                }
                telling = false;
                summary(proxy);
                linger(proxy);
            }
        } finally {
            backends.forEach(ControllableBackend::close);
        }
    }

    /**
     * The proxy on 8080 with its admin API on 9901, the ports people try first; if it cannot start there, on ports
     * the kernel picks: the demo must start anyway, and its header says where it is. Only trying to bind settles
     * whether a port is free (one found free can be taken before the proxy binds it), so a failed start falls back;
     * a failure that has nothing to do with the ports fails again on any ports, and is thrown then.
     */
    private HttpProxy startProxy() throws InterruptedException {
        try {
            return HttpProxy.start(config(8080, 9901));
        } catch (InterruptedException e) {
            throw e;
        } catch (Exception taken) {
            return HttpProxy.start(config(0, 0));
        }
    }

    private ProxyConfig config(int port, int adminPort) {
        // serve's defaults throughout: api-3's 500s count against it through the default second opinion (another
        // backend answers the same request without a 5xx), not through a demo-only failureStatuses.
        ProxyConfig.Builder b = DemoConfig.atPace(pace)
                .listen(new Endpoint("127.0.0.1", port))
                .admin(new Endpoint("127.0.0.1", adminPort));
        for (ControllableBackend backend : backends) {
            b.backend(new BackendConfig(backend.name(), Endpoint.parse(backend.address())));
        }
        return b.build();
    }

    private void watch(HttpProxy proxy) {
        for (Backend backend : proxy.backends().backends()) {
            backend.breaker().addListener(e -> {
                if (telling) {
                    events.add(describe(e));
                }
            });
            backend.health().addListener((name, status) -> {
                if (telling) {
                    events.add(describe(name, status));
                }
            });
        }
    }

    private void header(HttpProxy proxy) {
        out.println("HealthyProxy demo: three backends on 127.0.0.1, the proxy in front, " + RATE + " requests a second.");
        out.println("  While it runs, try:  curl -i http://127.0.0.1:" + proxy.address().getPort() + "/");
        out.println("                       curl http://127.0.0.1:" + proxy.adminAddress().getPort() + "/status");
        out.println("                       curl http://127.0.0.1:" + proxy.adminAddress().getPort() + "/metrics");
        out.println("  The dashboard (circuits, health, traffic, a timeline), live in a browser: " + dashboard(proxy));
        out.println("  The story: api-1 dies and comes back, api-2 freezes and thaws, api-3 answers 500s for a while.");
        out.println("  Each row: a backend's circuit, its active health ('slow' while ejected for being far slower than its");
        out.println("  peers) and the requests that reached it that second; then how many client requests succeeded and");
        out.println("  the slowest of them.");
        out.println();
        StringBuilder head = new StringBuilder("    time ");
        for (String name : NAMES) {
            head.append(String.format(Locale.ROOT, "  %-20s", name));
        }
        out.println(head.append("  clients ok        slowest"));
    }

    private void play(HttpProxy proxy) throws InterruptedException {
        int next = 0;
        long end = DemoConfig.scaled(DemoScript.LENGTH, pace).toNanos();
        long tick = DemoConfig.scaled(Duration.ofSeconds(1), pace).toNanos();
        for (long due = tick; due <= end; due += tick) {
            while (next < DemoScript.STEPS.size()
                    && DemoConfig.scaled(DemoScript.STEPS.get(next).at(), pace).toNanos() <= due - tick) {
                DemoScript.Step step = DemoScript.STEPS.get(next++);
                step.does().accept(backends);
                events.add(String.format(Locale.ROOT, "%8s  %s", elapsed(), ">> " + step.says()));
            }
            long sleep = startedAt + due - System.nanoTime();
            if (sleep > 0) {
                Thread.sleep(sleep / 1_000_000, (int) (sleep % 1_000_000));
            }
            tellEjections(proxy);
            for (String e; (e = events.poll()) != null; ) {
                out.println(e);
            }
            row(proxy, due);
        }
    }

    private void row(HttpProxy proxy, long dueNanos) {
        StringBuilder line = new StringBuilder(String.format(Locale.ROOT, "%8s ", HumanDuration.format(
                Duration.ofSeconds(Math.round(dueNanos / (pace * 1e9))))));
        for (int i = 0; i < NAMES.length; i++) {
            Backend core = proxy.backends().find(NAMES[i]).orElseThrow();
            long reached = backends.get(i).trafficRequests();
            CircuitState state = core.breaker().state();
            line.append(String.format(Locale.ROOT, "  %-9s %-5s %4d", state.label(),
                    !core.health().isHealthy() ? "down" : core.isEjected() ? "slow" : "up", reached - reachedBefore[i]));
            reachedBefore[i] = reached;
        }
        List<LoadResult> second = new ArrayList<>();
        for (LoadResult r; (r = results.poll()) != null; ) {
            second.add(r);
        }
        all.addAll(second);
        long ok = second.stream().filter(LoadResult::ok).count();
        long slowest = second.stream().mapToLong(LoadResult::latencyNanos).max().orElse(0);
        line.append(String.format(Locale.ROOT, "  %4d/%-4d %5.1f%%  %7.1fms", ok, second.size(),
                second.isEmpty() ? 100.0 : 100.0 * ok / second.size(), slowest / 1e6));
        out.println(line);
    }

    private void summary(HttpProxy proxy) {
        for (LoadResult r; (r = results.poll()) != null; ) {
            all.add(r);
        }
        long ok = all.stream().filter(LoadResult::ok).count();
        long[] latencies = all.stream().mapToLong(LoadResult::latencyNanos).sorted().toArray();
        out.println();
        out.println("Summary");
        out.println(String.format(Locale.ROOT, "  %d requests, %d succeeded (%.2f%%); latency p50 %.1fms, p99 %.1fms, max %.1fms",
                all.size(), ok, all.isEmpty() ? 100.0 : 100.0 * ok / all.size(), percentile(latencies, 0.5) / 1e6,
                percentile(latencies, 0.99) / 1e6, latencies.length == 0 ? 0 : latencies[latencies.length - 1] / 1e6));
        for (String name : NAMES) {
            var s = proxy.backends().find(name).orElseThrow().breaker().snapshot();
            out.println(String.format(Locale.ROOT, "  %s: circuit opened %d time(s), %d trial request(s), now %s",
                    name, s.timesOpened(), s.trialsAdmitted(), s.state().label()));
        }
        out.println();
        out.println("Run it for real: bin/healthy-proxy serve --backend HOST:PORT ... (or --config, see examples/)");
    }

    /** Keeps everything up, with the same steady load, so the dashboard can be looked at after the story. */
    private void linger(HttpProxy proxy) throws InterruptedException {
        if (linger.isPresent() && linger.get().isZero()) {
            return;
        }
        out.println();
        out.println("The story is over. The backends, the proxy and the load keep running "
                + linger.map(d -> "for another " + HumanDuration.format(d)).orElse("until Ctrl-C")
                + ": look back at it on the dashboard, " + dashboard(proxy));
        try (OpenLoopLoad load = OpenLoopLoad.start(proxy.address(), "/", RATE, Duration.ofSeconds(5), 2000, r -> { })) {
            if (linger.isPresent()) {
                Thread.sleep(linger.get().toMillis());       // the demo's own pause, for a person to look around
            } else {
                new CountDownLatch(1).await();              // until the JVM is interrupted (Ctrl-C)
            }
        }
    }

    private static String dashboard(HttpProxy proxy) {
        return "http://127.0.0.1:" + proxy.adminAddress().getPort() + "/";
    }

    private String describe(TransitionEvent e) {
        String why = switch (e.transition()) {
            case FAILURE_THRESHOLD_REACHED -> e.consecutiveFailures() + " failures in a row; no traffic for "
                    + HumanDuration.format(Duration.ofMillis(e.openDuration().toMillis()));
            case FAILURE_RATE_EXCEEDED -> "too many failures; no traffic for "
                    + HumanDuration.format(Duration.ofMillis(e.openDuration().toMillis()));
            case OPEN_DURATION_ELAPSED -> "the next request will be the trial";
            case HEALTH_RECOVERED -> "it passes its health checks again: the next request will be the trial";
            case NO_OTHER_BACKEND -> "no other backend takes traffic: a request goes there as a trial";
            case TRIALS_SUCCEEDED -> "the trial succeeded: traffic flows again";
            case TRIAL_FAILED, TRIAL_TIMED_OUT -> "the trial failed; open again for "
                    + HumanDuration.format(Duration.ofMillis(e.openDuration().toMillis()));
            case PROBE_FAILED -> "a health check failed; open again for "
                    + HumanDuration.format(Duration.ofMillis(e.openDuration().toMillis()));
        };
        return String.format(Locale.ROOT, "%8s  circuit %s: %s -> %s, %s", elapsed(), e.breaker(), e.from().label(),
                e.to().label(), why);
    }

    private String describe(String backend, HealthStatus status) {
        return String.format(Locale.ROOT, "%8s  health  %s: %s", elapsed(), backend, status.healthy()
                ? "passes its health checks again" : "failed " + status.consecutiveFailures()
                + " health checks in a row (" + status.lastResult().detail() + ")");
    }

    /**
     * Ejections for slowness, as events: the proxy tells no listener outside it, so each second the demo looks at
     * each backend's ejection in force, and dates a new one from its end and length.
     */
    private void tellEjections(HttpProxy proxy) {
        for (int i = 0; i < NAMES.length; i++) {
            Ejection e = proxy.backends().find(NAMES[i]).orElseThrow().ejection();
            if (e != null && e != toldEjections[i]) {
                toldEjections[i] = e;
                events.add(String.format(Locale.ROOT, "%8s  slow    %s: ejected for %s, %s", elapsedAt(e.untilNanos()
                        - e.length().toNanos()), NAMES[i], HumanDuration.format(e.length()), e.reason()));
            }
        }
    }

    private String elapsed() {
        return elapsedAt(System.nanoTime());
    }

    /** A {@link System#nanoTime()} reading (the proxy's ticker) as story time. */
    private String elapsedAt(long nanoTime) {
        return String.format(Locale.ROOT, "%.1fs", (nanoTime - startedAt) / (pace * 1e9));
    }

    private static long percentile(long[] sorted, double q) {
        return sorted.length == 0 ? 0 : sorted[Math.min(sorted.length - 1, (int) Math.ceil(q * sorted.length) - 1)];
    }
}
