package io.healthyproxy.bench.scenario;

import io.healthyproxy.testkit.load.LoadResult;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * An open-loop run as a time series, for {@link SvgChart}: the requests grouped by when they were due (the
 * intended send time, so a stall shows where it began), and per group the latency p50 and p99 and the errors.
 * A request that failed counts at the time it took to fail (a timeout at its 5 s).
 *
 * @param bucketSeconds each bucket's width
 * @param buckets       from the run's start, in order; a bucket without requests has {@code requests == 0}
 */
record LoadSeries(double bucketSeconds, List<Bucket> buckets) {

    /** The requests due in {@code [startSeconds, startSeconds + bucketSeconds)}. */
    record Bucket(double startSeconds, int requests, double p50Ms, double p99Ms, int errors) {
    }

    LoadSeries {
        buckets = List.copyOf(buckets);
    }

    /** {@code results} of a run of {@code length} that began at {@code originNanos}, in buckets of {@code bucket}. */
    static LoadSeries of(List<LoadResult> results, long originNanos, Duration bucket, Duration length) {
        int count = (int) Math.max(1, (length.toNanos() + bucket.toNanos() - 1) / bucket.toNanos());
        List<List<LoadResult>> byBucket = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            byBucket.add(new ArrayList<>());
        }
        for (LoadResult r : results) {
            long sinceStart = r.dueAtNanos() - originNanos;
            if (sinceStart >= 0 && sinceStart / bucket.toNanos() < count) {
                byBucket.get((int) (sinceStart / bucket.toNanos())).add(r);
            }
        }
        double seconds = bucket.toNanos() / 1e9;
        List<Bucket> buckets = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            List<LoadResult> in = byBucket.get(i);
            long[] latencies = in.stream().mapToLong(LoadResult::latencyNanos).sorted().toArray();
            buckets.add(new Bucket(i * seconds, in.size(), LoadStats.ms(latencies, 0.5), LoadStats.ms(latencies, 0.99),
                    (int) in.stream().filter(r -> !r.ok()).count()));
        }
        return new LoadSeries(seconds, buckets);
    }
}
