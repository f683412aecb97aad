package io.healthyproxy.core;

import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Predicate;

/**
 * Round robin over the eligible backends.
 *
 * <p>Implementation notes: the naive form, "start at counter mod n and skip ineligible ones", hands a skipped
 * backend's turn to its neighbour, which then takes twice its share. Instead the counter indexes the
 * <em>eligible</em> backends: one pass counts them, a second finds the k-th. Two passes over a small array,
 * no allocation; eligibility that changes between the passes is caught by falling back to a plain scan.
 */
final class RoundRobin implements LoadBalancer {

    private final AtomicLong counter = new AtomicLong();

    @Override
    public Backend choose(Backend[] backends, Predicate<? super Backend> eligible) {
        int count = 0;
        for (Backend b : backends) {
            if (eligible.test(b)) {
                count++;
            }
        }
        if (count == 0) {
            return null;
        }
        long k = Math.floorMod(counter.getAndIncrement(), (long) count);
        for (Backend b : backends) {
            if (eligible.test(b) && k-- == 0) {
                return b;
            }
        }
        for (Backend b : backends) {
            if (eligible.test(b)) {
                return b;
            }
        }
        return null;
    }
}
