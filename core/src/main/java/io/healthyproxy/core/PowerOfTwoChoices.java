package io.healthyproxy.core;

import java.util.function.Predicate;
import java.util.random.RandomGenerator;

/**
 * Power of two random choices by calls in flight (Mitzenmacher). Ties go to the first pick, which is itself
 * random, so equal backends share evenly.
 */
final class PowerOfTwoChoices implements LoadBalancer {

    private final RandomGenerator random;

    PowerOfTwoChoices(RandomGenerator random) {
        this.random = random;
    }

    @Override
    public Backend choose(Backend[] backends, Predicate<? super Backend> eligible) {
        int count = EligibleBackends.count(backends, eligible);
        if (count <= 1) {
            return count == 0 ? null : EligibleBackends.nth(backends, eligible, 0);
        }
        int first = random.nextInt(count);
        int second = random.nextInt(count - 1);
        if (second >= first) {
            second++;
        }
        Backend a = EligibleBackends.nth(backends, eligible, first);
        Backend b = EligibleBackends.nth(backends, eligible, second);
        if (a == null || b == null) {
            return a != null ? a : b;
        }
        return b.inFlight() < a.inFlight() ? b : a;
    }
}
