package io.healthyproxy.core;

import io.healthyproxy.core.spi.LoadBalancer;
import java.util.random.RandomGenerator;

/** The load-balancing strategies, by name, for configs and flags. Both honour weights and slow start. */
public enum Balancing {
    /** Smooth weighted round robin, the default (as in NGINX and HAProxy): NGINX's interleaving (weights 5, 1, 1
     * give a a b a c a a), an equal share of traffic per unit of weight, and a backend that is out has its share
     * spread over the others in proportion to their weights, not handed to its neighbour. */
    ROUND_ROBIN,
    /** Power of two choices: two eligible backends drawn in proportion to their weights, the one with fewer
     * calls in flight per unit of weight wins. Close to least-outstanding-requests in effect, without scanning
     * for the minimum or herding onto one backend. */
    POWER_OF_TWO_CHOICES;

    /**
     * A new balancer of this kind (each pool needs its own: each caches its pool's schedule).
     *
     * @param random where round robin sends the turn of a backend that is out, and where power of two choices
     *               draws; {@link io.healthyproxy.core.time.Jitter#threadLocalRandom()} in production, seeded in tests
     * @return the balancer
     */
    public LoadBalancer create(RandomGenerator random) {
        return this == ROUND_ROBIN ? new RoundRobin(random) : new PowerOfTwoChoices(random);
    }
}
