package io.healthyproxy.core;

import io.healthyproxy.core.spi.LoadBalancer;
import java.util.Collection;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Predicate;
import java.util.random.RandomGenerator;

/**
 * Smooth weighted round robin: a counter walks {@link SmoothWeightedOrder}'s period for the pool's current
 * backends.
 *
 * <p>Implementation notes: the period is computed once per membership (the pool replaces its array on every
 * change, so a new array, by identity, means a new period) and published in a volatile field; two threads
 * that both see a new array may both compute it, which is harmless. A pick is one atomic increment and an
 * array read: no lock, no allocation, no scan. When the turn falls on a backend that is out (or tried
 * already, or turned down by its slow start), the naive "take the next one" would hand its whole share to
 * whoever follows it in the period; instead the turn moves to a slot drawn at random from the whole period,
 * so the missing share is spread over the others in proportion to their weights. After
 * {@link Candidates#DRAWS} misses a weighted scan decides.
 */
final class RoundRobin implements LoadBalancer {

    private final AtomicLong counter = new AtomicLong();
    private final RandomGenerator random;
    private volatile Schedule schedule = new Schedule(new Backend[0], new int[0]);

    RoundRobin(RandomGenerator random) {
        this.random = random;
    }

    @Override
    public void prepare(Backend[] backends) {
        scheduleFor(backends);
    }

    @Override
    public Backend choose(Backend[] backends, Predicate<? super Backend> eligible, Collection<Backend> excluded) {
        int[] order = scheduleFor(backends).order;
        if (order.length == 0) {
            return null;
        }
        int slot = (int) Math.floorMod(counter.getAndIncrement(), (long) order.length);
        for (int draw = 0; draw < Candidates.DRAWS; draw++) {
            Backend b = backends[order[slot]];
            if (Candidates.takesTurn(b, eligible, excluded, random)) {
                return b;
            }
            slot = random.nextInt(order.length);
        }
        Backend found = Candidates.scan(backends, eligible, excluded, random);
        if (found == null) {
            // No turn was taken: give it back, or a pool whose every call asks twice (the last-resort and panic
            // policies do, when none admits) would give every second turn to the same backends.
            counter.decrementAndGet();
        }
        return found;
    }

    private Schedule scheduleFor(Backend[] backends) {
        Schedule current = schedule;
        if (current.backends != backends) {
            current = new Schedule(backends, SmoothWeightedOrder.of(backends));
            schedule = current;
        }
        return current;
    }

    /** One period of the order for one membership; {@code backends} is compared by identity. */
    private record Schedule(Backend[] backends, int[] order) {
    }
}
