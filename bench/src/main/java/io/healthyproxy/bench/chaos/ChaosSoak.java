package io.healthyproxy.bench.chaos;

import io.healthyproxy.core.health.HealthCheckConfig;
import io.healthyproxy.core.time.HumanDuration;
import io.healthyproxy.http.HttpProxy;
import io.healthyproxy.http.config.BackendConfig;
import io.healthyproxy.http.config.Endpoint;
import io.healthyproxy.http.config.HttpHealthCheck;
import io.healthyproxy.http.config.ProxyConfig;
import io.healthyproxy.http.config.RetryPolicy;
import io.healthyproxy.http.config.StatusCodes;
import io.healthyproxy.http.config.Timeouts;
import io.healthyproxy.testkit.ChaosSchedule;
import io.healthyproxy.testkit.ControllableBackend;
import io.healthyproxy.testkit.load.LoadResult;
import io.healthyproxy.testkit.load.OpenLoopLoad;
import io.netty.buffer.PooledByteBufAllocator;
import java.lang.management.ManagementFactory;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Consumer;

/**
 * A chaos soak: the proxy in front of three {@link ControllableBackend}s under a steady open-loop load of GET
 * requests, while a seeded random schedule ({@link ChaosSchedule}) crashes, freezes, breaks (500s, resets
 * mid-response, garbage, closes) and slows the backends, never more than two at once. The verdict:
 * <ul>
 *   <li>no request failed or was lost (unanswered after 5 s): at every moment at least one backend was
 *       healthy, and every request is idempotent;</li>
 *   <li>after the chaos and the load, open file descriptors, threads and heap came back to where they were
 *       before the chaos started.</li>
 * </ul>
 * A one-minute run is part of the default test run ({@code ChaosSoakTest}); longer ones run from the
 * command line: {@code bench/run-chaos --minutes 30}, which calls {@link #main}.
 */
public final class ChaosSoak {

    /** A request unanswered this long counts as lost. */
    static final Duration LOST_AFTER = Duration.ofSeconds(5);

    /** What one run does. */
    public record Options(Duration length, long seed, double rate) {
    }

    /**
     * Resources of this JVM at one moment: -1 where the platform cannot tell. {@code openFiles} counts the
     * descriptors by kind (see {@link OpenFiles}), to say which ones stayed open.
     */
    public record Resources(int threads, long heapUsedBytes, long directBytes, Map<String, Integer> openFiles) {

        static Resources now() {
            for (int i = 0; i < 3; i++) {
                System.gc();                    // heap after a collection, so that garbage does not count
            }
            long heap = Runtime.getRuntime().totalMemory() - Runtime.getRuntime().freeMemory();
            long direct = PooledByteBufAllocator.DEFAULT.metric().usedDirectMemory();
            return new Resources(ManagementFactory.getThreadMXBean().getThreadCount(), heap, direct,
                    OpenFiles.byKind());
        }

        /** Open file descriptors, or -1 where the platform cannot tell. */
        public long fileDescriptors() {
            return openFiles.isEmpty() ? -1 : openFiles.values().stream().mapToLong(Integer::longValue).sum();
        }

        /** Whether this is no more than {@code baseline}, give or take what a quiet process may hold. */
        boolean backTo(Resources baseline) {
            return (fileDescriptors() < 0 || fileDescriptors() <= baseline.fileDescriptors() + 2)
                    && threads <= baseline.threads + 2
                    && heapUsedBytes <= baseline.heapUsedBytes + 64L * 1024 * 1024
                    && directBytes <= baseline.directBytes + 16L * 1024 * 1024;
        }

        @Override
        public String toString() {
            return "fds " + fileDescriptors() + ", threads " + threads + ", heap " + heapUsedBytes / 1024 / 1024
                    + " MiB, direct " + directBytes / 1024 / 1024 + " MiB";
        }
    }

    /** The most failed requests a report describes one by one. */
    static final int FAILURE_SAMPLES = 10;

    /**
     * What came of a run. {@code failureSamples} describes the first few failed requests (when, what the
     * client got, and the proxy's reason), so that a red run can be understood from its report alone.
     */
    public record Report(Options options, List<ChaosSchedule.Event> events, long sent, long ok,
            Map<String, Long> failures, List<String> failureSamples, long p50Micros, long p99Micros,
            long maxMicros, Resources before, Resources after, boolean resourcesReturned,
            Map<String, Long> servedBy) {

        public long failed() {
            return failures.values().stream().mapToLong(Long::longValue).sum();
        }

        public boolean passed() {
            return failed() == 0 && ok == sent && resourcesReturned;
        }

        public String summary() {
            StringBuilder s = new StringBuilder();
            s.append(String.format("chaos soak: %s at %.0f requests/s, seed %d, %d faults%n",
                    HumanDuration.format(options.length()), options.rate(), options.seed(),
                    events.stream().filter(ChaosSchedule.Event::isFault).count()));
            s.append(String.format("  requests: %d sent, %d ok, %d failed or lost%s%n", sent, ok, failed(),
                    failures.isEmpty() ? "" : " " + failures));
            failureSamples.forEach(f -> s.append("    ").append(f).append('\n'));
            s.append(String.format("  latency: p50 %.1f ms, p99 %.1f ms, max %.1f ms%n", p50Micros / 1000.0,
                    p99Micros / 1000.0, maxMicros / 1000.0));
            s.append("  served by: ").append(servedBy).append('\n');
            s.append("  before: ").append(before).append('\n');
            s.append("  after:  ").append(after).append(resourcesReturned ? " (back to baseline)" : " (NOT back)")
                    .append('\n');
            if (!resourcesReturned) {
                s.append("  descriptors added: ").append(OpenFiles.added(before.openFiles(), after.openFiles()))
                        .append('\n');
            }
            if (!passed()) {
                s.append("  the schedule:\n");      // to read the failures against
                events.forEach(e -> s.append(String.format("    %6.1f s  %s%n", e.at().toMillis() / 1000.0, e)));
            }
            s.append(passed() ? "PASSED" : "FAILED").append('\n');
            return s.toString();
        }
    }

    private ChaosSoak() {
    }

    /** The proxy as the soak runs it: fast checks and short timeouts, 5xx retried, everything else default. */
    static ProxyConfig.Builder config() {
        StatusCodes serverErrors = StatusCodes.parse("500-599");
        return ProxyConfig.builder()
                .listen(new Endpoint("127.0.0.1", 0))
                .admin(new Endpoint("127.0.0.1", 0))
                .breaker(ProxyConfig.DEFAULT_BREAKER.toBuilder().openDuration(Duration.ofSeconds(2)).build())
                .healthCheck(HttpHealthCheck.defaults().withSchedule(HealthCheckConfig.builder()
                        .interval(Duration.ofMillis(200)).unhealthyInterval(Duration.ofMillis(100))
                        .timeout(Duration.ofMillis(150)).build()))
                .failureStatuses(serverErrors)
                .timeouts(Timeouts.builder().connect(Duration.ofMillis(250)).perTry(Duration.ofMillis(300))
                        .request(Duration.ofSeconds(3)).responseIdle(Duration.ofMillis(300))
                        .clientIdle(Duration.ofSeconds(30)).backendIdle(Duration.ofSeconds(1))
                        .requestHeader(Duration.ofSeconds(5)).shutdownGrace(Duration.ofSeconds(3)).build())
                .retries(new RetryPolicy(3, serverErrors, RetryPolicy.DEFAULTS.budgetRatio(),
                        RetryPolicy.DEFAULTS.budgetMinimum(), RetryPolicy.DEFAULTS.hedging()));
    }

    /** Runs the soak; {@code log} hears each fault as it happens. */
    public static Report run(Options options, Consumer<String> log) throws InterruptedException {
        List<ControllableBackend> backends = new ArrayList<>();
        HttpProxy proxy = null;
        try {
            ProxyConfig.Builder config = config();
            for (int i = 1; i <= ChaosSchedule.BACKENDS; i++) {
                ControllableBackend backend = ControllableBackend.start("b" + i);
                backends.add(backend);
                config.backend(new BackendConfig("b" + i, Endpoint.parse(backend.address())));
            }
            proxy = HttpProxy.start(config.build());
            List<ChaosSchedule.Event> events = ChaosSchedule.generate(options.seed(), options.length());
            return drive(options, proxy, backends, events, log);
        } finally {
            if (proxy != null) {
                proxy.stop(Duration.ZERO);
            }
            backends.forEach(ControllableBackend::close);
        }
    }

    private static Report drive(Options options, HttpProxy proxy, List<ControllableBackend> backends,
            List<ChaosSchedule.Event> events, Consumer<String> log) throws InterruptedException {
        // The baseline: after a warm-up (pools, JIT, buffers), with every connection closed again, as at the end.
        try (OpenLoopLoad warmUp = OpenLoopLoad.start(proxy.address(), "/", options.rate(), LOST_AFTER, 2000,
                r -> { })) {
            sleepUntil(System.nanoTime() + Duration.ofSeconds(2).toNanos());
        }
        Resources before = settled(proxy, backends, null);
        List<LoadResult> results = Collections.synchronizedList(new ArrayList<>());
        long sent;
        long start;
        try (OpenLoopLoad load = OpenLoopLoad.start(proxy.address(), "/", options.rate(), LOST_AFTER, 2000,
                results::add)) {
            start = System.nanoTime();
            for (ChaosSchedule.Event event : events) {
                sleepUntil(start + event.at().toNanos());
                log.accept(String.format("%6.1f s  %s", event.at().toMillis() / 1000.0, event));
                event.apply(backends.get(event.backend()));
            }
            sleepUntil(start + options.length().toNanos());
            load.stopSending();
            sent = load.sent();
            long deadline = System.nanoTime() + LOST_AFTER.toNanos() + Duration.ofSeconds(5).toNanos();
            while (results.size() < sent && System.nanoTime() - deadline < 0) {
                Thread.sleep(10);               // waiting for the last answers, bounded by their timeout
            }
        }
        return report(options, events, start, sent, results, before, () -> settled(proxy, backends, before));
    }

    /** Takes the resources reading at the end, once the report no longer holds the results. */
    private interface Reading {
        Resources take() throws InterruptedException;
    }

    /**
     * The resources once no client and no backend connection is open any more (idle ones close after
     * {@code backendIdle}), waiting at most 10 s for that. A health check may have a connection open at the
     * moment of any one reading, so the reading is repeated for up to 5 s more: the baseline is the lowest
     * of a few readings, and the end state the first one back to {@code baseline} (a leak never gets there).
     */
    private static Resources settled(HttpProxy proxy, List<ControllableBackend> backends, Resources baseline)
            throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (System.nanoTime() - deadline < 0 && (proxy.clientConnections() > 0
                || backends.stream().anyMatch(b -> b.openConnections() > 0))) {
            Thread.sleep(50);                   // polling for the connections to close
        }
        Resources best = Resources.now();
        for (int reading = 1; reading < 25; reading++) {
            if (baseline == null ? reading >= 3 : best.backTo(baseline)) {
                break;
            }
            Thread.sleep(200);                  // between readings, for a transient connection to close
            Resources next = Resources.now();
            if (next.fileDescriptors() < best.fileDescriptors()) {
                best = next;
            }
        }
        return best;
    }

    private static Report report(Options options, List<ChaosSchedule.Event> events, long start, long sent,
            List<LoadResult> results, Resources before, Reading afterwards) throws InterruptedException {
        List<LoadResult> all;
        synchronized (results) {
            all = List.copyOf(results);
        }
        Map<String, Long> failures = new TreeMap<>();
        Map<String, Long> servedBy = new TreeMap<>();
        List<String> samples = new ArrayList<>();
        long[] latencies = new long[all.size()];
        long ok = 0;
        for (int i = 0; i < all.size(); i++) {
            LoadResult r = all.get(i);
            latencies[i] = r.latencyNanos() / 1000;
            if (r.ok()) {
                ok++;
                servedBy.merge(String.valueOf(r.servedBy()), 1L, Long::sum);
            } else {
                failures.merge(r.error() != null ? r.error() : "status " + r.status(), 1L, Long::sum);
                if (samples.size() < FAILURE_SAMPLES) {
                    samples.add(String.format("%.3f s after the start (%.1f ms): %s%s",
                            (r.dueAtNanos() - start) / 1e9, r.latencyNanos() / 1e6,
                            r.error() != null ? r.error() : "status " + r.status(),
                            r.detail() == null ? "" : " " + r.detail().strip()));
                }
            }
        }
        if (all.size() < sent) {
            failures.put("never reported", sent - all.size());
        }
        java.util.Arrays.sort(latencies);
        // The results are the soak's own (some 100 bytes per request): let them go before heap is measured.
        results.clear();
        all = null;
        Resources after = afterwards.take();
        return new Report(options, events, sent, ok, failures, samples, percentile(latencies, 0.5),
                percentile(latencies, 0.99), latencies.length == 0 ? 0 : latencies[latencies.length - 1], before,
                after, after.backTo(before), servedBy);
    }

    private static long percentile(long[] sorted, double p) {
        return sorted.length == 0 ? 0 : sorted[(int) Math.min(sorted.length - 1, Math.floor(p * sorted.length))];
    }

    private static void sleepUntil(long nanoTime) throws InterruptedException {
        for (long left; (left = nanoTime - System.nanoTime()) > 0; ) {
            Thread.sleep(Math.max(1, left / 1_000_000));    // the driver keeps to the schedule's clock
        }
    }

    /**
     * {@code ChaosSoak [--minutes N | --seconds N] [--seed S] [--rate R]}: runs a soak and prints its report;
     * exits 1 if it failed.
     */
    public static void main(String[] args) throws InterruptedException {
        Duration length = Duration.ofMinutes(1);
        long seed = System.currentTimeMillis();
        double rate = 200;
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--minutes" -> length = Duration.ofMinutes(Long.parseLong(args[++i]));
                case "--seconds" -> length = Duration.ofSeconds(Long.parseLong(args[++i]));
                case "--seed" -> seed = Long.parseLong(args[++i]);
                case "--rate" -> rate = Double.parseDouble(args[++i]);
                default -> {
                    System.err.println("unknown option " + args[i] + " (expected --minutes N, --seconds N, --seed S,"
                            + " --rate R)");
                    System.exit(2);
                }
            }
        }
        Report report = run(new Options(length, seed, rate), System.out::println);
        System.out.print(report.summary());
        System.exit(report.passed() ? 0 : 1);
    }
}
