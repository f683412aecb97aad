package io.healthyproxy.http.internal;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class RequestTallyTest {

    private final RequestTally tally = new RequestTally();

    @Test
    void countsFromEveryThreadAreSummed() throws Exception {
        Thread[] threads = new Thread[4];
        for (int t = 0; t < threads.length; t++) {
            threads[t] = new Thread(() -> {
                for (int i = 0; i < 10_000; i++) {
                    tally.record(RequestTally.BACKEND, 200, 1_000_000);
                }
            });
            threads[t].start();
        }
        for (Thread t : threads) {
            t.join();
        }

        assertThat(tally.answers(RequestTally.BACKEND, 200)).isEqualTo(40_000);
        assertThat(tally.latencySumSeconds()).isCloseTo(40.0, org.assertj.core.data.Offset.offset(1e-6));
    }

    @Test
    void aLatencyGoesIntoTheFirstBucketWhoseBoundItDoesNotExceed() {
        tally.record(RequestTally.BACKEND, 200, 500_000);            // exactly 0.5 ms: the 0.0005 bucket
        tally.record(RequestTally.BACKEND, 200, 500_001);            // just over: the 0.001 bucket
        tally.record(RequestTally.BACKEND, 200, 60_000_000_000L);    // a minute: beyond every bound

        long[] buckets = tally.latencyBuckets();

        assertThat(buckets).hasSize(RequestTally.BOUNDS.length + 1);
        assertThat(buckets[0]).isOne();
        assertThat(buckets[1]).isOne();
        assertThat(buckets[RequestTally.BOUNDS.length]).isOne();
    }

    @Test
    void proxyAnswersWithoutARequestCountButTakeNoLatencyAndOddStatusesCountAsZero() {
        tally.record(RequestTally.PROXY, 400, -1);
        tally.record(RequestTally.PROXY, 999, -1);

        assertThat(tally.answers(RequestTally.PROXY, 400)).isOne();
        assertThat(tally.answers(RequestTally.PROXY, 0)).isOne();
        assertThat(tally.answers(RequestTally.BACKEND, 400)).isZero();
        assertThat(tally.latencyBuckets()).containsOnly(0L);
    }
}
