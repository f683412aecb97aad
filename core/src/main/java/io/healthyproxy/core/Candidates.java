package io.healthyproxy.core;

import java.util.Collection;
import java.util.function.Predicate;
import java.util.random.RandomGenerator;

/**
 * The backends a call may go to, as both balancers see them: eligible, not tried yet, and, for a backend in
 * slow start, its turn taken only with the probability of its ramp, so its share follows its effective
 * weight. Also a one-pass weighted pick for small pools, and the balancers' last resort, a weighted scan of
 * the whole array, for when sampling keeps landing on backends that are out. All allocation-free.
 */
final class Candidates {

    /**
     * Draws a balancer makes before scanning instead. With a fraction {@code q} of the weight out, all of them
     * miss with probability {@code q^16}: one call in 65,536 with half of it out. Few enough that the scan
     * stays rare unless most of the pool is down, when its cost no longer matters most.
     */
    static final int DRAWS = 16;

    private Candidates() {
    }

    static boolean test(Backend b, Predicate<? super Backend> eligible, Collection<Backend> excluded) {
        return eligible.test(b) && (excluded.isEmpty() || !excluded.contains(b));
    }

    /**
     * Whether {@code b}, drawn by a balancer, takes this call: a candidate, and, while in slow start, with the
     * probability of its ramp (turned down, the draw is repeated over all backends, which is what spreads a
     * ramping backend's missing share over the others in proportion to their weights).
     */
    static boolean takesTurn(Backend b, Predicate<? super Backend> eligible, Collection<Backend> excluded,
            RandomGenerator random) {
        if (!test(b, eligible, excluded)) {
            return false;
        }
        double factor = b.slowStartFactor();
        return factor >= 1.0 || random.nextDouble() < factor;
    }

    /**
     * One candidate other than {@code not}, drawn in proportion to effective weight in one pass (each one
     * replaces the choice so far with the probability of its weight in the total so far), or null if there is
     * none. A random number per candidate: for the few backends of a small pool.
     */
    static Backend pick(Backend[] backends, Predicate<? super Backend> eligible, Collection<Backend> excluded,
            Backend not, RandomGenerator random) {
        Backend chosen = null;
        double total = 0;
        for (Backend b : backends) {
            if (b != not && test(b, eligible, excluded)) {
                double weight = b.effectiveWeight();
                total += weight;
                if (random.nextDouble() * total < weight) {
                    chosen = b;
                }
            }
        }
        return chosen;
    }

    /**
     * One candidate drawn in proportion to effective weight by scanning {@code backends} twice (sum, then
     * find), or null if there is none. If candidates change between the scans, the last one seen wins.
     */
    static Backend scan(Backend[] backends, Predicate<? super Backend> eligible, Collection<Backend> excluded,
            RandomGenerator random) {
        double total = 0;
        Backend last = null;
        for (Backend b : backends) {
            if (test(b, eligible, excluded)) {
                total += b.effectiveWeight();
                last = b;
            }
        }
        if (last == null) {
            return null;
        }
        double point = random.nextDouble() * total;
        for (Backend b : backends) {
            if (test(b, eligible, excluded)) {
                point -= b.effectiveWeight();
                if (point < 0) {
                    return b;
                }
            }
        }
        return last;
    }
}
