package io.healthyproxy.core;

import io.healthyproxy.core.time.Jitter;
import java.util.function.Predicate;
import java.util.random.RandomGenerator;

/**
 * Chooses one backend among the eligible ones. It only chooses: {@link BackendPool} then takes the backend's
 * permit, and asks again if that race was lost.
 *
 * <p>Implementations must be thread-safe and should not allocate: they run once per request.
 */
public interface LoadBalancer {

    /**
     * Returns a backend of {@code backends} for which {@code eligible} holds, or {@code null} when none does.
     * {@code eligible} may change its answer between calls (a circuit opens); implementations must cope.
     */
    Backend choose(Backend[] backends, Predicate<? super Backend> eligible);

    /** Round robin over the eligible backends: each gets an equal share, whichever others are out. The default. */
    static LoadBalancer roundRobin() {
        return new RoundRobin();
    }

    /**
     * Power of two choices: two eligible backends at random, the one with fewer calls in flight wins. Close to
     * least-outstanding-requests in effect, without scanning for the minimum or herding onto one backend.
     */
    static LoadBalancer powerOfTwoChoices() {
        return new PowerOfTwoChoices(Jitter.threadLocalRandom());
    }

    /** {@link #powerOfTwoChoices()} with the given randomness (tests use a seeded one). */
    static LoadBalancer powerOfTwoChoices(RandomGenerator random) {
        return new PowerOfTwoChoices(random);
    }
}
