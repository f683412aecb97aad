package io.healthyproxy.bench.scenario;

import io.healthyproxy.testkit.load.LoadResult;
import java.util.List;

/**
 * What an open-loop run saw: requests offered and completed, errors (anything but a 2xx/3xx answer), requests
 * slower than 250 ms, and latency percentiles, all from the intended send time.
 */
record LoadStats(long offered, long completed, long errors, long slowerThan250ms, double p50Ms, double p99Ms,
        double p999Ms, double maxMs) {

    static LoadStats of(List<LoadResult> results) {
        long[] latencies = results.stream().mapToLong(LoadResult::latencyNanos).sorted().toArray();
        long completed = results.stream().filter(r -> r.status() > 0).count();
        long errors = results.stream().filter(r -> !r.ok()).count();
        long slow = results.stream().filter(r -> r.latencyNanos() > 250_000_000L).count();
        return new LoadStats(results.size(), completed, errors, slow, ms(latencies, 0.5), ms(latencies, 0.99),
                ms(latencies, 0.999), latencies.length == 0 ? 0 : latencies[latencies.length - 1] / 1e6);
    }

    /** The {@code q} quantile of {@code sorted} (nanoseconds) in milliseconds; 0 for none. */
    static double ms(long[] sorted, double q) {
        if (sorted.length == 0) {
            return 0;
        }
        return sorted[Math.min(sorted.length - 1, (int) Math.ceil(q * sorted.length) - 1)] / 1e6;
    }
}
