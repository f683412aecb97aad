package io.healthyproxy.core;

import static org.assertj.core.api.Assertions.assertThat;

import io.healthyproxy.core.breaker.CircuitBreakerConfig;
import io.healthyproxy.core.health.HealthCheckConfig;
import io.healthyproxy.core.retry.RetryBudget;
import io.healthyproxy.core.time.ManualTicker;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** The one retry rule every face follows: a backend not tried yet, within the tries and the budget. */
class FailoverTest {

    private final ManualTicker ticker = new ManualTicker();
    private final List<Backend> backends = List.of(backend("a"), backend("b"), backend("c"));
    private final BackendPool pool = BackendPool.of(backends);

    private Backend backend(String id) {
        return Backend.create(id, CircuitBreakerConfig.defaults(), HealthCheckConfig.defaults(), ticker,
                new SplittableRandom(1));
    }

    @Test
    void everyTryGoesToABackendNotTriedYetUntilNoneIsLeft() {
        Failover failover = Failover.over(pool, 5);

        Lease first = failover.first();
        Lease second = failover.next(false);
        Lease third = failover.next(false);

        assertThat(List.of(first.backend(), second.backend(), third.backend())).doesNotHaveDuplicates();
        assertThat(failover.next(false)).isNull();
        assertThat(failover.refusal()).isEqualTo(Failover.Refusal.NO_OTHER_BACKEND);
        assertThat(failover.refusal().reason()).isEqualTo("no other backend admits traffic");
        assertThat(failover.tried()).hasSize(3);
    }

    @Test
    void noMoreTriesThanMaxAttempts() {
        Failover failover = Failover.over(pool, 2);
        failover.first();
        failover.next(false);

        assertThat(failover.hasTriesLeft()).isFalse();
        assertThat(failover.next(false)).isNull();
        assertThat(failover.refusal()).isEqualTo(Failover.Refusal.NO_TRIES_LEFT);
        assertThat(failover.attempts()).isEqualTo(2);
    }

    @Test
    void aBudgetedRetryTakesAPlaceAndAnUnbudgetedOneDoesNot() {
        RetryBudget budget = new RetryBudget(0.0, 1);
        Failover failover = Failover.over(pool, 3, budget);
        failover.first();

        assertThat(failover.next(true)).isNotNull();
        assertThat(budget.retriesInFlight()).isEqualTo(1);
        assertThat(failover.next(true)).as("the budget's one place is taken").isNull();
        assertThat(failover.refusal()).isEqualTo(Failover.Refusal.BUDGET_SPENT);
        assertThat(failover.next(false)).as("a retry that adds no load needs no place").isNotNull();
    }

    @Test
    void aPlaceTakenForARetryNoBackendCanTakeIsGivenBack() {
        RetryBudget budget = new RetryBudget(0.0, 5);
        Failover failover = Failover.over(BackendPool.of(List.of(backends.get(0))), 3, budget);
        failover.first();

        assertThat(failover.next(true)).isNull();

        assertThat(failover.refusal()).isEqualTo(Failover.Refusal.NO_OTHER_BACKEND);
        assertThat(budget.retriesInFlight()).isZero();
    }
}
