package io.healthyproxy.core.stats;

import static org.assertj.core.api.Assertions.assertThat;

import io.healthyproxy.core.time.ManualTicker;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class RecentLatenciesTest {

    private final ManualTicker ticker = new ManualTicker();
    private final RecentLatencies latencies = new RecentLatencies(Duration.ofSeconds(10), ticker);

    private static long millis(long ms) {
        return Duration.ofMillis(ms).toNanos();
    }

    @Test
    void isZeroWithoutSamples() {
        assertThat(latencies.percentileNanos(0.99)).isZero();
        assertThat(latencies.count()).isZero();
    }

    @Test
    void percentilesAreWithinOneBucketOfTheTruth() {
        for (int i = 1; i <= 1000; i++) {
            latencies.record(millis(i));      // 1 ms .. 1000 ms, evenly
        }

        assertThat(latencies.percentileNanos(0.5)).isBetween(millis(500), millis(546));
        assertThat(latencies.percentileNanos(0.99)).isBetween(millis(990), millis(1080));
        assertThat(latencies.count()).isEqualTo(1000);
    }

    @Test
    void aFewSlowSamplesMoveTheP99OnlyWhenTheyAreMoreThanOnePercent() {
        for (int i = 0; i < 990; i++) {
            latencies.record(millis(2));
        }
        for (int i = 0; i < 10; i++) {
            latencies.record(millis(800));
        }
        assertThat(latencies.percentileNanos(0.99)).isLessThan(millis(3));

        for (int i = 0; i < 20; i++) {
            latencies.record(millis(800));
        }
        assertThat(latencies.percentileNanos(0.99)).isGreaterThan(millis(700));
    }

    @Test
    void forgetsSamplesOlderThanTwoWindows() {
        latencies.record(millis(900));
        ticker.advance(Duration.ofSeconds(11));
        latencies.record(millis(5));
        assertThat(latencies.percentileNanos(1.0)).as("the previous window still counts").isGreaterThan(millis(800));

        ticker.advance(Duration.ofSeconds(10));
        latencies.record(millis(5));

        assertThat(latencies.percentileNanos(1.0)).isLessThan(millis(6));
    }

    @Test
    void bucketsCoverMicrosecondsToAnHour() {
        assertThat(RecentLatencies.bucketOf(0)).isZero();
        assertThat(RecentLatencies.upperEdge(RecentLatencies.bucketOf(millis(3_600_000))))
                .isGreaterThanOrEqualTo(millis(3_600_000));
        for (long nanos = 1_000; nanos < millis(60_000); nanos *= 3) {
            long edge = RecentLatencies.upperEdge(RecentLatencies.bucketOf(nanos));
            assertThat(edge).isGreaterThanOrEqualTo(nanos).isLessThanOrEqualTo((long) (nanos * 1.1) + 1);
        }
    }

    @Test
    void severalPercentilesAtOnceAreEachTheSameAsAlone() {
        java.util.SplittableRandom random = new java.util.SplittableRandom(5);
        for (int i = 0; i < 5_000; i++) {
            latencies.record(random.nextLong(1_000, millis(2_000)));
        }
        double[] quantiles = {0, 0.1, 0.5, 0.5, 0.9, 0.99, 1};

        long[] together = latencies.percentilesNanos(1, quantiles);

        for (int q = 0; q < quantiles.length; q++) {
            assertThat(together[q]).as("quantile %s", quantiles[q]).isEqualTo(latencies.percentileNanos(quantiles[q]));
        }
    }

    @Test
    void severalPercentilesAtOnceNeedTheMinimumOfSamples() {
        for (int i = 0; i < 19; i++) {
            latencies.record(millis(1));
        }
        assertThat(latencies.percentilesNanos(20, 0.5, 0.9)).isNull();

        latencies.record(millis(1));

        assertThat(latencies.percentilesNanos(20, 0.5, 0.9)).hasSize(2);
    }
}
