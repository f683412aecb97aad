package io.healthyproxy.bench.scenario;

import static org.assertj.core.api.Assertions.assertThat;

import io.healthyproxy.testkit.load.LoadResult;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class LoadSeriesTest {

    @Test
    void requestsGoToTheBucketOfTheirIntendedSendTimeWithTheirPercentilesAndErrors() {
        long origin = 5_000_000_000L;
        List<LoadResult> results = new ArrayList<>();
        for (int i = 0; i < 100; i++) {                    // 0-500 ms: 1..100 ms
            results.add(new LoadResult(origin + i * 5_000_000L, (i + 1) * 1_000_000L, 200, null, null, null, "/"));
        }
        results.add(new LoadResult(origin + 600_000_000L, 5_000_000_000L, 0, "timeout", null, null, "/"));
        results.add(new LoadResult(origin + 700_000_000L, 2_000_000L, 502, null, null, null, "/"));

        LoadSeries series = LoadSeries.of(results, origin, Duration.ofMillis(500), Duration.ofMillis(1500));

        assertThat(series.bucketSeconds()).isEqualTo(0.5);
        assertThat(series.buckets()).extracting(LoadSeries.Bucket::startSeconds).containsExactly(0.0, 0.5, 1.0);
        assertThat(series.buckets().get(0)).isEqualTo(new LoadSeries.Bucket(0, 100, 50, 99, 0));
        assertThat(series.buckets().get(1)).isEqualTo(new LoadSeries.Bucket(0.5, 2, 2, 5000, 2));
        assertThat(series.buckets().get(2).requests()).isZero();
    }
}
