package io.healthyproxy.bench.scenario;

import io.healthyproxy.testkit.load.LoadResult;
import io.healthyproxy.testkit.load.OpenLoopLoad;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The warm-up tail: a freshly started proxy (once it has answered three requests) under an open-loop load of
 * {@code rate} requests a second on at most {@code connections} keep-alive connections for {@code length}; the
 * p99 latency of each second and of the whole, from the intended send times. A JVM interprets, then compiles,
 * its hot path during the first seconds: this is what its first users feel; HAProxy and NGINX have no such phase.
 */
final class WarmupTail {

    /** p99 (ms) of each second, in order, and of the whole run; requests offered and failed. */
    record Result(List<Double> p99MsBySecond, double p99Ms, long offered, long errors) {

        double worstSecondMs() {
            return p99MsBySecond.stream().mapToDouble(Double::doubleValue).max().orElse(0);
        }
    }

    private WarmupTail() {
    }

    /** The median of several runs, by their whole-run p99. */
    static Result median(List<Result> runs) {
        List<Result> sorted = new ArrayList<>(runs);
        sorted.sort(java.util.Comparator.comparingDouble(Result::p99Ms));
        return sorted.get(sorted.size() / 2);
    }

    static Result measure(ProxyPeer fresh, double rate, Duration length, int connections) throws Exception {
        try {
            fresh.start();
            List<LoadResult> results = load(fresh.port(), rate, length, connections);
            int seconds = (int) Math.max(1, length.toSeconds());
            List<List<Long>> bySecond = new ArrayList<>();
            for (int i = 0; i < seconds; i++) {
                bySecond.add(new ArrayList<>());
            }
            long first = results.stream().mapToLong(LoadResult::dueAtNanos).min().orElse(0);
            List<Long> all = new ArrayList<>();
            for (LoadResult r : results) {
                int second = (int) Math.min(seconds - 1, (r.dueAtNanos() - first) / 1_000_000_000L);
                bySecond.get(second).add(r.latencyNanos());
                all.add(r.latencyNanos());
            }
            return new Result(bySecond.stream().map(WarmupTail::p99Ms).toList(), p99Ms(all), results.size(),
                    results.stream().filter(r -> !r.ok()).count());
        } finally {
            fresh.stop();
        }
    }

    /** An open-loop load on {@code port}; every result (answers and failures), once all are in (or 10 s after). */
    static List<LoadResult> load(int port, double rate, Duration length, int connections) throws InterruptedException {
        List<LoadResult> results = Collections.synchronizedList(new ArrayList<>());
        try (OpenLoopLoad load = OpenLoopLoad.start(new InetSocketAddress("127.0.0.1", port), "/", rate,
                Duration.ofSeconds(5), connections, results::add)) {
            Thread.sleep(length.toMillis());
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

    private static double p99Ms(List<Long> latencies) {
        if (latencies.isEmpty()) {
            return 0;
        }
        long[] sorted = latencies.stream().mapToLong(Long::longValue).sorted().toArray();
        return sorted[Math.min(sorted.length - 1, (int) Math.ceil(0.99 * sorted.length) - 1)] / 1e6;
    }
}
