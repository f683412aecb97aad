package io.healthyproxy.core;

import io.healthyproxy.core.time.Jitter;
import java.util.Collection;
import java.util.function.Predicate;
import java.util.random.RandomGenerator;

/**
 * Chooses one backend among the eligible ones, in proportion to their {@linkplain Backend#effectiveWeight()
 * weights}. It only chooses: {@link BackendPool} then takes the backend's permit, and asks again if that race
 * was lost.
 *
 * <p>Implementations must be thread-safe and should neither allocate nor look at every backend: they run once
 * per request, over pools of thousands of backends. The pool hands them the same array until its membership
 * changes, then a new one (and calls {@link #prepare} with it first), so per-membership work can be cached
 * against the array's identity. Each pool needs a balancer of its own.
 */
public interface LoadBalancer {

    /**
     * Returns a backend of {@code backends} for which {@code eligible} holds and that is not in
     * {@code excluded} (the backends this call has tried already; usually empty), or {@code null} when there
     * is none. {@code eligible} may change its answer between calls (a circuit opens); implementations must
     * cope.
     */
    Backend choose(Backend[] backends, Predicate<? super Backend> eligible, Collection<Backend> excluded);

    /**
     * Prepares for choosing among {@code backends}, the pool's new membership, so that the first request after
     * a change does not pay for it. Called off the request path, under the pool's lock. Optional.
     */
    default void prepare(Backend[] backends) {
    }

    /**
     * Smooth weighted round robin: NGINX's interleaving (weights 5, 1, 1 give a a b a c a a), an equal share of
     * traffic per unit of weight, and a backend that is out has its share spread over the others in proportion
     * to their weights, not handed to its neighbour. The default.
     */
    static LoadBalancer roundRobin() {
        return new RoundRobin(Jitter.threadLocalRandom());
    }

    /** {@link #roundRobin()} with the given randomness (where a backend that is out sends its turn; tests seed it). */
    static LoadBalancer roundRobin(RandomGenerator random) {
        return new RoundRobin(random);
    }

    /**
     * Power of two choices: two eligible backends drawn in proportion to their weights, the one with fewer calls
     * in flight per unit of weight wins. Close to least-outstanding-requests in effect, without scanning for
     * the minimum or herding onto one backend.
     */
    static LoadBalancer powerOfTwoChoices() {
        return new PowerOfTwoChoices(Jitter.threadLocalRandom());
    }

    /** {@link #powerOfTwoChoices()} with the given randomness (tests use a seeded one). */
    static LoadBalancer powerOfTwoChoices(RandomGenerator random) {
        return new PowerOfTwoChoices(random);
    }
}
