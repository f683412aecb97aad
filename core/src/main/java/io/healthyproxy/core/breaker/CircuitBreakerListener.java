package io.healthyproxy.core.breaker;

/**
 * Told about every state change of a {@link CircuitBreaker}.
 *
 * <p>Called on the thread that made the change, after it is made and outside any lock; so keep it short
 * and non-blocking (hand heavy work to an executor). An exception thrown here is logged and otherwise
 * ignored: it can neither undo the transition nor keep other listeners from being called. Listeners of one
 * breaker may see two transitions made by different threads in either order; each event carries
 * {@link TransitionEvent#atNanos()} to tell.
 */
@FunctionalInterface
public interface CircuitBreakerListener {

    /**
     * Called after each transition, by the thread that made it, outside any lock.
     *
     * @param event what happened
     */
    void onTransition(TransitionEvent event);
}
