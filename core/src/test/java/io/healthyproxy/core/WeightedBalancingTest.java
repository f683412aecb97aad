package io.healthyproxy.core;

import io.healthyproxy.core.spi.LoadBalancer;
import static io.healthyproxy.core.WeightedBackends.assertShares;
import static io.healthyproxy.core.WeightedBackends.balancer;
import static io.healthyproxy.core.WeightedBackends.expected;
import static io.healthyproxy.core.WeightedBackends.open;
import static io.healthyproxy.core.WeightedBackends.picks;
import static io.healthyproxy.core.WeightedBackends.weights;
import static io.healthyproxy.core.WeightedBackends.withWeights;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.healthyproxy.core.time.ManualTicker;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Predicate;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

/**
 * Weights, for both balancers: each backend's share of the picks follows its weight, a backend that is out has
 * its share spread over the others by weight, and a pick looks at a few backends, not all of them. Round robin
 * is exact while every backend is in; its detours around a backend that is out, and power of two choices, are
 * random, hence enough picks that 5% of the smallest share is at least four standard deviations of its count
 * (100,000 for shares down to 1/15; 400,000 for the twenty-backend pool, whose smallest share is 1/50).
 */
class WeightedBalancingTest {

    private static final int CALLS = 100_000;
    private static final int MANY_CALLS = 400_000;

    private final ManualTicker ticker = new ManualTicker();

    @ParameterizedTest(name = "weights {0}")
    @CsvSource({"1 1 1", "5 1 1", "1 2 3 4", "10 1", "3 3 1", "1000 1 7"})
    void roundRobinGivesEachBackendExactlyItsWeightsShare(String weights) {
        List<Backend> backends = withWeights(ticker, weights(weights));
        BackendPool pool = new BackendPool(backends, balancer("roundRobin", 1), NoBackendPolicy.FAIL_FAST);
        int period = backends.stream().mapToInt(Backend::weight).sum();

        assertShares(picks(pool, 10 * period), expected(backends, 10 * period, b -> (double) b.weight()), 0);
        assertShares(picks(pool, 10_000), expected(backends, 10_000, b -> (double) b.weight()), 0.05);
    }

    @ParameterizedTest(name = "{0}, weights {1}")
    @CsvSource({
            "roundRobin, 1 1 1", "roundRobin, 1 2 3 4", "roundRobin, 3 3 1",
            "powerOfTwoChoices, 1 1 1", "powerOfTwoChoices, 5 1 1", "powerOfTwoChoices, 1 2 3 4",
            "powerOfTwoChoices, 10 1", "powerOfTwoChoices, 3 3 1"})
    void eachBackendGetsItsWeightsShareWithinFivePercent(String balancer, String weights) {
        List<Backend> backends = withWeights(ticker, weights(weights));
        BackendPool pool = new BackendPool(backends, balancer(balancer, 2), NoBackendPolicy.FAIL_FAST);

        assertShares(picks(pool, CALLS), expected(backends, CALLS, b -> (double) b.weight()), 0.05);
    }

    @ParameterizedTest(name = "{0}, weights {1}, {2} out")
    @CsvSource({
            "roundRobin, 1 1 1, b", "roundRobin, 5 1 1, a", "roundRobin, 5 1 1, b", "roundRobin, 1 2 3 4, c",
            "roundRobin, 1 1 1 1, b", "powerOfTwoChoices, 1 1 1, b", "powerOfTwoChoices, 5 1 1, a",
            "powerOfTwoChoices, 5 1 1, b", "powerOfTwoChoices, 1 2 3 4, c"})
    void aBackendThatIsOutHasItsShareSpreadOverTheOthersByWeightNotHandedToItsNeighbour(String balancer,
            String weights, String out) {
        List<Backend> backends = withWeights(ticker, weights(weights));
        BackendPool pool = new BackendPool(backends, balancer(balancer, 3), NoBackendPolicy.FAIL_FAST);
        backends.stream().filter(b -> b.id().equals(out)).forEach(WeightedBackends::open);

        assertShares(picks(pool, CALLS), expected(backends, CALLS, b -> b.id().equals(out) ? 0.0 : b.weight()), 0.05);
    }

    /** Twenty backends: power of two choices draws from its alias table here (small pools are scanned). */
    @ParameterizedTest(name = "{0}")
    @CsvSource({"roundRobin", "powerOfTwoChoices"})
    void inALargerPoolTooEachBackendGetsItsWeightsShareAndOneOutHasItsShareSpread(String balancer) {
        int[] weights = new int[20];
        for (int i = 0; i < weights.length; i++) {
            weights[i] = 1 + i % 4;
        }
        List<Backend> backends = withWeights(ticker, weights);
        BackendPool pool = new BackendPool(backends, balancer(balancer, 9), NoBackendPolicy.FAIL_FAST);
        assertShares(picks(pool, MANY_CALLS), expected(backends, MANY_CALLS, b -> (double) b.weight()), 0.05);

        open(backends.get(3));
        assertShares(picks(pool, MANY_CALLS), expected(backends, MANY_CALLS,
                b -> b == backends.get(3) ? 0.0 : b.weight()), 0.05);
    }

    @Test
    void withTwoOfFourEqualBackendsOutTheOtherTwoShareEvenly() {
        List<Backend> backends = withWeights(ticker, 1, 1, 1, 1);
        BackendPool pool = new BackendPool(backends, balancer("roundRobin", 4), NoBackendPolicy.FAIL_FAST);
        open(backends.get(1));
        open(backends.get(2));

        assertShares(picks(pool, CALLS), expected(backends, CALLS, b -> b.id().matches("[ad]") ? 1.0 : 0.0), 0.05);
    }

    @Test
    void powerOfTwoChoicesComparesCallsInFlightPerUnitOfWeight() {
        List<Backend> backends = withWeights(ticker, 3, 1);
        BackendPool pool = new BackendPool(backends, balancer("powerOfTwoChoices", 5), NoBackendPolicy.FAIL_FAST);
        List<Lease> held = new ArrayList<>();
        held.add(Lease.admitted(backends.get(0), backends.get(0).breaker().tryAcquire()));
        held.add(Lease.admitted(backends.get(0), backends.get(0).breaker().tryAcquire()));
        held.add(Lease.admitted(backends.get(1), backends.get(1).breaker().tryAcquire()));

        // a: 2 in flight / weight 3 < b: 1 / 1, so whenever both are drawn, a wins: b only when drawn alone,
        // which two distinct draws never are.
        for (int i = 0; i < 1_000; i++) {
            Lease lease = pool.acquire();
            assertThat(lease.backend().id()).isEqualTo("a");
            lease.onSuccess();
        }
        held.forEach(Lease::onSuccess);
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource({"roundRobin", "powerOfTwoChoices"})
    void aPickAmongAThousandBackendsLooksAtAFewOfThemNotAll(String balancer) {
        int[] weights = new int[1_000];
        for (int i = 0; i < weights.length; i++) {
            weights[i] = 1 + i % 7;
        }
        List<Backend> backends = withWeights(ticker, weights);
        for (int i = 0; i < backends.size(); i += 3) {
            open(backends.get(i));
        }
        LoadBalancer chooser = balancer(balancer, 6);
        Backend[] array = backends.toArray(new Backend[0]);
        chooser.prepare(array);
        AtomicInteger looked = new AtomicInteger();
        Predicate<Backend> admits = b -> {
            looked.incrementAndGet();
            return b.admitsTraffic();
        };

        int picks = 10_000;
        for (int i = 0; i < picks; i++) {
            assertThat(chooser.choose(array, admits, List.of()).admitsTraffic()).isTrue();
        }

        assertThat((double) looked.get() / picks).as("backends looked at per pick, of 1,000").isLessThan(5);
    }

    @Test
    void aWeightOutsideOneToAThousandIsRefusedNamingTheField() {
        assertThatThrownBy(() -> Backend.builder("a").weight(0)).hasMessage("weight: 0 (expected: 1..1000)");
        assertThatThrownBy(() -> Backend.builder("a").weight(1001)).hasMessage("weight: 1001 (expected: 1..1000)");
        assertThat(Backend.builder("a").build().weight()).isEqualTo(Backend.DEFAULT_WEIGHT);
    }
}
