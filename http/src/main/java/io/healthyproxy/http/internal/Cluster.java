package io.healthyproxy.http.internal;

import io.healthyproxy.core.BackendPool;
import io.healthyproxy.core.retry.RetryBudget;

/**
 * One group of interchangeable backends and what an exchange needs to send a request to one of them: the pool
 * that chooses (breakers and health included), the connections, the retry budget and the hedge delay, shared
 * by every request to the group, and the rules its exchanges follow. Thread-safe: its parts are.
 */
final class Cluster {

    private final String name;
    private final BackendPool pool;
    private final Upstreams upstreams;
    private final RetryBudget budget;
    private final HedgeDelay hedgeDelay;
    private final ExchangePolicy policy;

    Cluster(String name, BackendPool pool, Upstreams upstreams, RetryBudget budget, HedgeDelay hedgeDelay,
            ExchangePolicy policy) {
        this.name = name;
        this.pool = pool;
        this.upstreams = upstreams;
        this.budget = budget;
        this.hedgeDelay = hedgeDelay;
        this.policy = policy;
    }

    String name() {
        return name;
    }

    BackendPool pool() {
        return pool;
    }

    Upstreams upstreams() {
        return upstreams;
    }

    RetryBudget budget() {
        return budget;
    }

    HedgeDelay hedgeDelay() {
        return hedgeDelay;
    }

    ExchangePolicy policy() {
        return policy;
    }
}
