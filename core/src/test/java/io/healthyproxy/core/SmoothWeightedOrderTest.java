package io.healthyproxy.core;

import static io.healthyproxy.core.WeightedBackends.balancer;
import static io.healthyproxy.core.WeightedBackends.sequence;
import static io.healthyproxy.core.WeightedBackends.withWeights;
import static org.assertj.core.api.Assertions.assertThat;

import io.healthyproxy.core.time.ManualTicker;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The round-robin order: NGINX's smooth interleaving, computed per distinct weight. */
class SmoothWeightedOrderTest {

    private final ManualTicker ticker = new ManualTicker();

    private BackendPool roundRobin(int... weights) {
        return new BackendPool(withWeights(ticker, weights), balancer("roundRobin", 1), NoBackendPolicy.FAIL_FAST);
    }

    @Test
    void theHeavyBackendIsInterleavedLikeNginxNotSentABurst() {
        assertThat(sequence(roundRobin(5, 1, 1), 14)).isEqualTo("aabacaa" + "aabacaa");
    }

    @ParameterizedTest(name = "weights {0}")
    @CsvSource({"1 1 1, abcabc", "2 1, abaaba", "1 2, babbab", "3 1, aabaaaba", "2 2 1, abcababcab",
            "4 2, abaaba"})
    void smallWeightSetsGiveNginxsOrder(String weights, String order) {
        BackendPool pool = roundRobin(WeightedBackends.weights(weights));

        assertThat(sequence(pool, order.length())).isEqualTo(order);
    }

    /**
     * NGINX's property, which makes it smooth: after any number of picks, every backend is within one pick of
     * its exact share. Checked for random weight sets over three periods.
     */
    @Test
    void atEveryPointEachBackendIsWithinOnePickOfItsExactShare() {
        SplittableRandom random = new SplittableRandom(11);
        for (int set = 0; set < 200; set++) {
            int[] weights = random.ints(random.nextInt(1, 9), 1, 41).toArray();
            Backend[] backends = withWeights(ticker, weights).toArray(new Backend[0]);
            int[] order = SmoothWeightedOrder.of(backends);
            long total = 0;
            for (int w : weights) {
                total += w;
            }
            assertThat(order).as("one period").hasSize((int) total / gcd(weights));
            int[] picks = new int[weights.length];
            for (int step = 1; step <= 3 * order.length; step++) {
                picks[order[(step - 1) % order.length]]++;
                for (int i = 0; i < weights.length; i++) {
                    double exact = (double) step * weights[i] / total;
                    assertThat(Math.abs(picks[i] - exact)).as("weights %s, backend %d after %d picks",
                            java.util.Arrays.toString(weights), i, step).isLessThanOrEqualTo(1.0);
                }
            }
        }
    }

    /**
     * No burst: the heavy backend's longest run, across periods, is at most two more than the others' picks
     * leave unavoidable (NGINX puts heavy picks at both ends of its period: 10, 1, 1, 1 gives
     * {@code aaabaacaadaaa}, whose end and start make six in a row where four are unavoidable), and never its
     * whole weight, which plain weighted round robin sends in one go.
     */
    @Test
    void theHeavyBackendsLongestRunIsCloseToTheUnavoidableAndNeverItsWholeWeight() {
        for (int[] weights : List.of(new int[] {5, 1, 1}, new int[] {10, 1, 1, 1}, new int[] {9, 2}, new int[] {7, 2, 2},
                new int[] {16, 2, 2})) {
            Backend[] backends = withWeights(ticker, weights).toArray(new Backend[0]);
            int[] order = SmoothWeightedOrder.of(backends);
            int heavy = (int) java.util.Arrays.stream(order).filter(i -> i == 0).count();
            int others = order.length - heavy;
            int run = 0;
            int longest = 0;
            for (int step = 0; step < 3 * order.length; step++) {
                run = order[step % order.length] == 0 ? run + 1 : 0;
                longest = Math.max(longest, run);
            }
            int unavoidable = (heavy + others - 1) / others;
            assertThat(longest).as(java.util.Arrays.toString(weights)).isLessThanOrEqualTo(unavoidable + 2)
                    .isLessThan(heavy);
        }
    }

    @Test
    void weightsAreDividedByTheirCommonDivisorSoThePeriodStaysShort() {
        assertThat(SmoothWeightedOrder.of(withWeights(ticker, 500, 1000, 500).toArray(new Backend[0])))
                .containsExactly(1, 0, 2, 1);
    }

    @Test
    void anEmptyPoolHasAnEmptyOrder() {
        assertThat(SmoothWeightedOrder.of(new Backend[0])).isEmpty();
    }

    private static int gcd(int[] weights) {
        int g = 0;
        for (int w : weights) {
            g = java.math.BigInteger.valueOf(g).gcd(java.math.BigInteger.valueOf(w)).intValue();
        }
        return g;
    }
}
