package io.healthyproxy.core;

import java.util.random.RandomGenerator;

/** The load-balancing strategies, by name, for configs and flags. */
public enum Balancing {
    /** {@link LoadBalancer#roundRobin()}: the default. */
    ROUND_ROBIN,
    /** {@link LoadBalancer#powerOfTwoChoices()}: least calls in flight of two random picks. */
    POWER_OF_TWO_CHOICES;

    /** A new balancer of this kind (each pool needs its own: round robin keeps a counter). */
    public LoadBalancer create(RandomGenerator random) {
        return this == ROUND_ROBIN ? LoadBalancer.roundRobin() : LoadBalancer.powerOfTwoChoices(random);
    }
}
