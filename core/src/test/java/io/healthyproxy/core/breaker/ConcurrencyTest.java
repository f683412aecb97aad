package io.healthyproxy.core.breaker;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Races on one breaker: threads released together by a barrier, repeated many times so that the
 * interleavings vary. The assertions are exact counts, so a lost or doubled transition fails the test.
 */
class ConcurrencyTest {

    private static final int THREADS = 8;
    private static final int ROUNDS = 300;
    private static ExecutorService pool;

    @BeforeAll
    static void startPool() {
        pool = Executors.newFixedThreadPool(THREADS);
    }

    @AfterAll
    static void stopPool() throws InterruptedException {
        pool.shutdownNow();
        assertThat(pool.awaitTermination(10, TimeUnit.SECONDS)).isTrue();
    }

    /** Runs {@code task} on every thread at once; returns the results. */
    private static <T> List<T> race(Callable<T> task) throws Exception {
        CyclicBarrier start = new CyclicBarrier(THREADS);
        List<Future<T>> futures = new ArrayList<>();
        for (int i = 0; i < THREADS; i++) {
            futures.add(pool.submit(() -> {
                start.await(10, TimeUnit.SECONDS);
                return task.call();
            }));
        }
        List<T> results = new ArrayList<>();
        for (Future<T> f : futures) {
            results.add(f.get(10, TimeUnit.SECONDS));
        }
        return results;
    }

    @ParameterizedTest(name = "K = {0}")
    @ValueSource(ints = {1, 3, 7})
    void exactlyKThreadsWinTheTrialsOfAHalfOpenBreaker(int k) throws Exception {
        for (int round = 0; round < ROUNDS; round++) {
            Breakers b = new Breakers(Breakers.exact().halfOpenTrials(k).successThreshold(1).build()).halfOpen();

            List<Integer> granted = race(() -> {
                int mine = 0;
                for (int attempt = 0; attempt < 3; attempt++) {
                    if (b.breaker.tryAcquire() != CircuitBreaker.DENIED) {
                        mine++;
                    }
                }
                return mine;
            });

            assertThat(granted.stream().mapToInt(Integer::intValue).sum()).as("round %d", round).isEqualTo(k);
        }
    }

    @Test
    void racingFailuresOpenTheCircuitExactlyOnce() throws Exception {
        for (int round = 0; round < ROUNDS; round++) {
            Breakers b = new Breakers(Breakers.exact().build());
            AtomicInteger opened = new AtomicInteger();
            b.breaker.addListener(e -> {
                if (e.to() == CircuitState.OPEN) {
                    opened.incrementAndGet();
                }
            });
            long[] permits = new long[THREADS * 2];
            for (int i = 0; i < permits.length; i++) {
                permits[i] = b.breaker.tryAcquire();
            }
            AtomicInteger next = new AtomicInteger();

            race(() -> {
                b.breaker.onFailure(permits[next.getAndIncrement()]);
                b.breaker.onFailure(permits[next.getAndIncrement()]);
                return null;
            });

            assertThat(opened).as("round %d", round).hasValue(1);
            assertThat(b.breaker.snapshot().timesOpened()).isEqualTo(1);
            assertThat(b.breaker.snapshot().consecutiveFailures()).isEqualTo(5);
        }
    }

    @Test
    void racingTrialSuccessesCloseTheCircuitExactlyOnce() throws Exception {
        for (int round = 0; round < ROUNDS; round++) {
            Breakers b = new Breakers(Breakers.exact().halfOpenTrials(THREADS).successThreshold(THREADS).build())
                    .halfOpen();
            long[] trials = new long[THREADS];
            for (int i = 0; i < THREADS; i++) {
                trials[i] = b.breaker.tryAcquire();
            }
            AtomicInteger next = new AtomicInteger();

            race(() -> {
                b.breaker.onSuccess(trials[next.getAndIncrement()]);
                return null;
            });

            assertThat(b.breaker.state()).isEqualTo(CircuitState.CLOSED);
            assertThat(b.transitions()).filteredOn(t -> t == Transition.TRIALS_SUCCEEDED).hasSize(1);
        }
    }

    @Test
    void racingTimeDrivenTransitionIsMadeAndAnnouncedOnce() throws Exception {
        for (int round = 0; round < ROUNDS; round++) {
            Breakers b = new Breakers(Breakers.exact().build()).open();
            b.advance(b.breaker.snapshot().openRemaining());

            race(() -> b.breaker.admitsTraffic());

            assertThat(b.transitions()).filteredOn(t -> t == Transition.OPEN_DURATION_ELAPSED).hasSize(1);
        }
    }
}
