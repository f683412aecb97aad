package io.healthyproxy.core;

import java.util.random.RandomGenerator;

/** The load-balancing strategies, by name, for configs and flags. Both honour weights and slow start. */
public enum Balancing {
    /** {@link LoadBalancer#roundRobin()}: smooth weighted round robin, the default (as in NGINX and HAProxy). */
    ROUND_ROBIN,
    /** {@link LoadBalancer#powerOfTwoChoices()}: least calls in flight per unit of weight, of two weighted picks. */
    POWER_OF_TWO_CHOICES;

    /** A new balancer of this kind (each pool needs its own: each caches its pool's schedule). */
    public LoadBalancer create(RandomGenerator random) {
        return this == ROUND_ROBIN ? LoadBalancer.roundRobin(random) : LoadBalancer.powerOfTwoChoices(random);
    }
}
