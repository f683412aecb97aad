package io.healthyproxy.core.spi;

import io.healthyproxy.core.Backend;
import java.util.Collection;
import java.util.function.Predicate;

/**
 * Chooses one backend among the eligible ones, in proportion to their {@linkplain Backend#effectiveWeight()
 * weights}: the extension point for a balancing strategy of one's own. The built-in ones come from
 * {@link io.healthyproxy.core.Balancing#create}. A balancer only chooses: {@link io.healthyproxy.core.BackendPool}
 * then takes the backend's permit, and asks again if that race was lost.
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
}
