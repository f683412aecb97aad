package io.healthyproxy.core.internal;

import io.healthyproxy.core.breaker.CircuitBreaker;

/**
 * The breaker's operations that only the core's own pool and health checker use: a probe's permit, a
 * last-resort trial, an early half-open on recovery, and whether a permit is a trial. They are package-private
 * in {@code io.healthyproxy.core.breaker}, so that a library user sees the breaker's contract and nothing else;
 * the breaker installs this bridge when its class is initialised (the JDK's {@code SharedSecrets} pattern),
 * and the pool, {@code Backend}, {@code Lease} and {@code ActiveHealthChecker} reach them through it.
 *
 * <p>Internal: not part of the public API, and may change in any release.
 */
public abstract class BreakerAccess {

    private static volatile BreakerAccess installed;

    /** For the breaker's own implementation only. */
    protected BreakerAccess() {
    }

    /**
     * The bridge; initialises {@link CircuitBreaker} first if nothing has yet.
     *
     * @return the bridge the breaker installed
     */
    public static BreakerAccess get() {
        BreakerAccess access = installed;
        if (access == null) {
            try {
                Class.forName(CircuitBreaker.class.getName(), true, CircuitBreaker.class.getClassLoader());
            } catch (ClassNotFoundException impossible) {
                throw new AssertionError(impossible);
            }
            access = installed;
        }
        return access;
    }

    /**
     * Called once, by {@link CircuitBreaker}'s static initialiser.
     *
     * @param access the breaker's bridge
     */
    public static void install(BreakerAccess access) {
        if (installed != null) {
            throw new IllegalStateException("already installed");
        }
        installed = access;
    }

    /**
     * A health probe's permit; see {@code CircuitBreaker.tryAcquireProbe}.
     *
     * @param breaker the breaker
     * @return the permit, or {@link CircuitBreaker#DENIED}
     */
    public abstract long tryAcquireProbe(CircuitBreaker breaker);

    /**
     * A permit for a call no other backend can take; see {@code CircuitBreaker.tryAcquireAsLastResort}.
     *
     * @param breaker the breaker
     * @return the permit, or {@link CircuitBreaker#DENIED}
     */
    public abstract long tryAcquireAsLastResort(CircuitBreaker breaker);

    /**
     * Active checks saw the backend come back; see {@code CircuitBreaker.onHealthRecovered}.
     *
     * @param breaker the breaker
     * @return whether the circuit was open
     */
    public abstract boolean onHealthRecovered(CircuitBreaker breaker);

    /**
     * Whether {@code permit} was granted as a half-open trial.
     *
     * @param permit a permit
     * @return whether it is a trial's
     */
    public abstract boolean isTrial(long permit);
}
