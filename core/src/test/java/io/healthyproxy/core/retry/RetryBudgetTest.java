package io.healthyproxy.core.retry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class RetryBudgetTest {

    @Test
    void allowsTheMinimumWhenTrafficIsLight() {
        RetryBudget budget = new RetryBudget(0.2, 3);
        budget.requestStarted();

        assertThat(budget.tryStartRetry()).isTrue();
        assertThat(budget.tryStartRetry()).isTrue();
        assertThat(budget.tryStartRetry()).isTrue();
        assertThat(budget.tryStartRetry()).isFalse();
        assertThat(budget.exhaustedCount()).isOne();
    }

    @Test
    void scalesWithTheRequestsInFlight() {
        RetryBudget budget = new RetryBudget(0.2, 3);
        for (int i = 0; i < 100; i++) {
            budget.requestStarted();
        }

        int granted = 0;
        while (budget.tryStartRetry()) {
            granted++;
        }

        assertThat(granted).isEqualTo(20);
    }

    @Test
    void finishedRetriesGiveTheirPlaceBack() {
        RetryBudget budget = new RetryBudget(0.0, 1);
        assertThat(budget.tryStartRetry()).isTrue();
        assertThat(budget.tryStartRetry()).isFalse();

        budget.retryFinished();

        assertThat(budget.tryStartRetry()).isTrue();
        assertThat(budget.retriesInFlight()).isOne();
    }

    @Test
    void aZeroBudgetRefusesEveryRetry() {
        RetryBudget budget = new RetryBudget(0.0, 0);
        budget.requestStarted();

        assertThat(budget.tryStartRetry()).isFalse();
    }

    @Test
    void racingRetriesNeverExceedTheLimit() throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(8);
        try {
            for (int round = 0; round < 200; round++) {
                RetryBudget budget = new RetryBudget(0.0, 5);
                CyclicBarrier start = new CyclicBarrier(8);
                List<Future<Integer>> results = new ArrayList<>();
                for (int t = 0; t < 8; t++) {
                    results.add(pool.submit(() -> {
                        start.await(10, TimeUnit.SECONDS);
                        int mine = 0;
                        for (int i = 0; i < 3; i++) {
                            mine += budget.tryStartRetry() ? 1 : 0;
                        }
                        return mine;
                    }));
                }
                int granted = 0;
                for (Future<Integer> f : results) {
                    granted += f.get(10, TimeUnit.SECONDS);
                }
                assertThat(granted).as("round %d", round).isEqualTo(5);
            }
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void badSettingsAreNamed() {
        assertThatThrownBy(() -> new RetryBudget(-0.1, 3)).hasMessage("retryBudget.ratio: -0.1 (expected: 0.0..10.0)");
    }
}
