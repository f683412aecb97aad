package io.healthyproxy.core;

import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Predicate;

/**
 * Round robin over the eligible backends.
 *
 * <p>Implementation notes: the naive form, "start at counter mod n and skip ineligible ones", hands a skipped
 * backend's turn to its neighbour, which then takes twice its share. Instead the counter indexes the
 * <em>eligible</em> backends: one pass counts them, a second finds the k-th. Two passes over a small array,
 * no allocation; eligibility that changes between the passes falls back to the first eligible backend.
 */
final class RoundRobin implements LoadBalancer {

    private final AtomicLong counter = new AtomicLong();

    @Override
    public Backend choose(Backend[] backends, Predicate<? super Backend> eligible) {
        int count = EligibleBackends.count(backends, eligible);
        if (count == 0) {
            return null;
        }
        return EligibleBackends.nth(backends, eligible, Math.floorMod(counter.getAndIncrement(), (long) count));
    }
}
