package io.healthyproxy.core;

import io.healthyproxy.core.breaker.CircuitBreaker;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Predicate;
import java.util.function.ToLongFunction;

/**
 * The backends behind one service, and the choice of one for each call.
 *
 * <pre>{@code
 * Lease lease = pool.acquire();
 * if (lease == null) {
 *     return serviceUnavailable();            // no backend admits traffic: fail fast
 * }
 * send(lease.backend(), request).whenComplete((response, error) -> {
 *     if (error == null && !isGatewayError(response)) lease.onSuccess(); else lease.onFailure();
 * });
 * }</pre>
 *
 * <p>Thread-safe. Choosing is lock-free and allocates only the {@link Lease}. Membership changes are rare and
 * copy the backend array under the pool's lock (which guards nothing else).
 */
public final class BackendPool {

    private final LoadBalancer balancer;
    private final NoBackendPolicy whenNoneAdmits;
    private static final Predicate<Backend> PASSES_CHECKS = b -> b.health().isHealthy();
    private final Predicate<Backend> admits = Backend::admitsTraffic;
    /** Replaced, never mutated; written under {@code this}. */
    private volatile Backend[] backends;

    public BackendPool(Collection<Backend> backends, LoadBalancer balancer, NoBackendPolicy whenNoneAdmits) {
        this.balancer = Objects.requireNonNull(balancer, "balancer");
        this.whenNoneAdmits = Objects.requireNonNull(whenNoneAdmits, "whenNoneAdmits");
        this.backends = backends.toArray(new Backend[0]);
        requireUniqueIds(this.backends);
    }

    /** A round-robin pool that fails fast when no backend admits traffic. */
    public static BackendPool of(Collection<Backend> backends) {
        return new BackendPool(backends, LoadBalancer.roundRobin(), NoBackendPolicy.FAIL_FAST);
    }

    /**
     * Chooses a backend that admits traffic and takes its permit.
     *
     * @return the lease, or {@code null} when no backend admits traffic and the policy has nothing to offer
     *     either: {@link NoBackendPolicy#FAIL_FAST}, or {@link NoBackendPolicy#LAST_RESORT} with no backend
     *     passing its checks (or the pool is empty)
     */
    public Lease acquire() {
        return acquire(admits, PASSES_CHECKS, null);
    }

    /**
     * Like {@link #acquire()}, but never chooses one of {@code tried}: a retry goes to a different backend.
     */
    public Lease acquireExcluding(Collection<Backend> tried) {
        if (tried.isEmpty()) {
            return acquire();
        }
        return acquire(b -> !tried.contains(b) && b.admitsTraffic(),
                b -> !tried.contains(b) && b.health().isHealthy(), b -> !tried.contains(b));
    }

    /** Chooses among {@code eligible}; when none admits, applies the policy ({@code lastResort}: its candidates). */
    private Lease acquire(Predicate<Backend> eligible, Predicate<Backend> lastResort,
            Predicate<Backend> panicEligible) {
        Backend[] all = backends;
        Lease lease = choose(all, eligible, CircuitBreaker::tryAcquire);
        if (lease != null) {
            return lease;
        }
        if (whenNoneAdmits == NoBackendPolicy.LAST_RESORT) {
            // Refusing everything until one opening ends, which backoff can make minutes, would turn a bad
            // minute into an outage: a backend whose checks pass takes a trial, and while its trial is out,
            // the calls that have nowhere else to go (untracked: the trial alone decides its circuit).
            Lease trial = choose(all, lastResort, CircuitBreaker::tryAcquireAsLastResort);
            if (trial != null) {
                return trial;
            }
            Backend chosen = balancer.choose(all, lastResort);
            return chosen == null ? null : Lease.panic(chosen);
        }
        if (whenNoneAdmits == NoBackendPolicy.PANIC) {
            Backend chosen = balancer.choose(all, panicEligible == null ? b -> true : panicEligible);
            return chosen == null ? null : Lease.panic(chosen);
        }
        return null;
    }

    /**
     * Asks the balancer for one of {@code eligible} and takes its permit. A backend that refuses (another
     * call won the race for its last trial slot) is left out and the balancer asked again: bounded, whatever
     * happens concurrently.
     */
    private Lease choose(Backend[] all, Predicate<Backend> eligible, ToLongFunction<CircuitBreaker> permit) {
        Predicate<Backend> candidates = eligible;
        for (int attempt = 0; attempt <= all.length; attempt++) {
            Backend chosen = balancer.choose(all, candidates);
            if (chosen == null) {
                return null;
            }
            long granted = permit.applyAsLong(chosen.breaker());
            if (granted != CircuitBreaker.DENIED) {
                return Lease.admitted(chosen, granted);
            }
            Backend refused = chosen;
            candidates = candidates.and(b -> b != refused);
        }
        return null;
    }

    /** All backends, in the order they were added. */
    public List<Backend> backends() {
        return List.of(backends);
    }

    /** The backends that would take a call now. */
    public List<Backend> admitting() {
        List<Backend> result = new ArrayList<>();
        for (Backend b : backends) {
            if (b.admitsTraffic()) {
                result.add(b);
            }
        }
        return result;
    }

    public Optional<Backend> find(String id) {
        return Arrays.stream(backends).filter(b -> b.id().equals(id)).findFirst();
    }

    public NoBackendPolicy noBackendPolicy() {
        return whenNoneAdmits;
    }

    /** Adds a backend; its id must be new. */
    public synchronized void add(Backend backend) {
        Backend[] next = Arrays.copyOf(backends, backends.length + 1);
        next[backends.length] = Objects.requireNonNull(backend, "backend");
        requireUniqueIds(next);
        backends = next;
    }

    /** Removes a backend; calls already leased to it finish normally. Returns whether it was there. */
    public synchronized boolean remove(Backend backend) {
        Backend[] next = Arrays.stream(backends).filter(b -> b != backend).toArray(Backend[]::new);
        boolean removed = next.length != backends.length;
        backends = next;
        return removed;
    }

    private static void requireUniqueIds(Backend[] backends) {
        long distinct = Arrays.stream(backends).map(Backend::id).distinct().count();
        if (distinct != backends.length) {
            throw new IllegalArgumentException("backends: " + Arrays.toString(backends) + " (expected: unique ids)");
        }
    }
}
