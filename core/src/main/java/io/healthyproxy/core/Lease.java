package io.healthyproxy.core;

import io.healthyproxy.core.breaker.CircuitBreaker;
import io.healthyproxy.core.internal.BreakerAccess;
import java.util.concurrent.atomic.AtomicIntegerFieldUpdater;

/**
 * One call's hold on a backend, from {@link BackendPool#acquire()} until its outcome is reported. Counts the
 * call as in flight (for least-outstanding balancing) and carries the breaker permit.
 *
 * <p>Report exactly one outcome: {@link #onSuccess()}, {@link #onFailure(String)} (the backend's fault), or
 * {@link #release()} (the outcome says nothing about the backend: the client cancelled, the proxy gave up for
 * its own reasons). Later reports are ignored, so a timeout racing a late response cannot count twice.
 * Thread-safe.
 */
public final class Lease {

    private static final AtomicIntegerFieldUpdater<Lease> DONE =
            AtomicIntegerFieldUpdater.newUpdater(Lease.class, "done");
    /** Marks a lease handed out in panic mode: the breaker did not admit it and is not told its outcome. */
    private static final long UNTRACKED = CircuitBreaker.DENIED;

    private static final BreakerAccess BREAKERS = BreakerAccess.get();

    private final Backend backend;
    private final long permit;
    private volatile int done;

    private Lease(Backend backend, long permit) {
        this.backend = backend;
        this.permit = permit;
        backend.leaseStarted();
    }

    static Lease admitted(Backend backend, long permit) {
        return new Lease(backend, permit);
    }

    static Lease panic(Backend backend) {
        return new Lease(backend, UNTRACKED);
    }

    /** @return the backend the call goes to */
    public Backend backend() {
        return backend;
    }

    /** Whether this call is a half-open trial: its outcome decides whether the circuit closes. */
    public boolean isTrial() {
        return permit != UNTRACKED && BREAKERS.isTrial(permit);
    }

    /** Whether this call went to a backend that did not admit it, because none did and panic mode is on. */
    public boolean isPanic() {
        return permit == UNTRACKED;
    }

    /** The call succeeded: reported to its backend and, unless it was a panic call, to the breaker. */
    public void onSuccess() {
        if (finish(Backend.Outcome.SUCCESS) && permit != UNTRACKED) {
            backend.breaker().onSuccess(permit);
        }
    }

    /** The call failed by the backend's fault, of a kind not said ({@link CircuitBreaker#UNSPECIFIED_FAILURE}). */
    public void onFailure() {
        onFailure(CircuitBreaker.UNSPECIFIED_FAILURE);
    }

    /**
     * The call failed by the backend's fault, of {@code kind} (a constant: see
     * {@link CircuitBreaker#onFailure(long, String)}), which status pages show among the reasons of its state.
     */
    public void onFailure(String kind) {
        if (finish(Backend.Outcome.FAILURE) && permit != UNTRACKED) {
            backend.breaker().onFailure(permit, kind);
        }
    }

    /** The outcome says nothing about the backend (the caller went away): the permit is given back uncounted. */
    public void release() {
        if (finish(Backend.Outcome.RELEASED) && permit != UNTRACKED) {
            backend.breaker().release(permit);
        }
    }

    /** Whether an outcome has been reported. */
    public boolean isDone() {
        return done != 0;
    }

    private boolean finish(Backend.Outcome outcome) {
        if (!DONE.compareAndSet(this, 0, 1)) {
            return false;
        }
        backend.leaseEnded(outcome);
        return true;
    }

    @Override
    public String toString() {
        return "Lease[" + backend.id() + (isTrial() ? ", trial" : "") + (isPanic() ? ", panic" : "") + "]";
    }
}
