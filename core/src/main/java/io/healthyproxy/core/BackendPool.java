package io.healthyproxy.core;

import io.healthyproxy.core.breaker.CircuitBreaker;
import io.healthyproxy.core.internal.BreakerAccess;
import io.healthyproxy.core.spi.LoadBalancer;
import io.healthyproxy.core.time.Jitter;
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
 * <p>Each backend gets a share of the calls in proportion to its {@linkplain Backend#effectiveWeight() weight}
 * (its weight, ramped while in slow start) among those that admit traffic.
 *
 * <p>Thread-safe. Choosing is lock-free and allocates only the {@link Lease} (a retry too: the backends it must
 * leave out are handed to the balancer as they are; {@code BackendChoiceBenchmark} measures 32 bytes per call
 * either way), and costs the same with 3 backends or 1,000. Only a lost race for a backend's last half-open
 * trial slot, which is rare, copies the list of backends to leave out. Membership changes are rare and copy
 * the backend array under the pool's lock (which guards nothing else); the balancer prepares its schedule for
 * the new array there, off the request path.
 */
public final class BackendPool {

    private static final Predicate<Backend> ADMITS = Backend::admitsTraffic;
    private static final Predicate<Backend> PASSES_CHECKS = b -> b.health().isHealthy();
    private static final Predicate<Backend> ANY = b -> true;
    private static final BreakerAccess BREAKERS = BreakerAccess.get();

    private final LoadBalancer balancer;
    private final NoBackendPolicy whenNoneAdmits;
    /** Replaced, never mutated; written under {@code this}. */
    private volatile Backend[] backends;

    /**
     * @param backends       its backends, with unique ids
     * @param balancer       its own balancer, e.g. {@code Balancing.ROUND_ROBIN.create(random)}
     * @param whenNoneAdmits what {@link #acquire()} does when no backend admits traffic
     */
    public BackendPool(Collection<Backend> backends, LoadBalancer balancer, NoBackendPolicy whenNoneAdmits) {
        this.balancer = Objects.requireNonNull(balancer, "balancer");
        this.whenNoneAdmits = Objects.requireNonNull(whenNoneAdmits, "whenNoneAdmits");
        Backend[] initial = backends.toArray(new Backend[0]);
        requireUniqueIds(initial);
        replace(initial);
    }

    /**
     * A round-robin pool that fails fast when no backend admits traffic.
     *
     * @param backends its backends, with unique ids
     * @return the pool
     */
    public static BackendPool of(Collection<Backend> backends) {
        return new BackendPool(backends, Balancing.ROUND_ROBIN.create(Jitter.threadLocalRandom()),
                NoBackendPolicy.FAIL_FAST);
    }

    /**
     * Chooses a backend that admits traffic and takes its permit.
     *
     * @return the lease, or {@code null} when no backend admits traffic and the policy has nothing to offer
     *     either: {@link NoBackendPolicy#FAIL_FAST}, or {@link NoBackendPolicy#LAST_RESORT} with no backend
     *     passing its checks (or the pool is empty)
     */
    public Lease acquire() {
        return acquire(List.of());
    }

    /**
     * Like {@link #acquire()}, but never chooses one of {@code tried}: a retry goes to a different backend.
     * {@code tried} is read, not copied, during the call; it should be small (a list of the few backends
     * tried).
     */
    public Lease acquireExcluding(Collection<Backend> tried) {
        return acquire(tried);
    }

    /** Chooses among those that admit traffic; when none does, applies the policy. */
    private Lease acquire(Collection<Backend> excluded) {
        Backend[] all = backends;
        Lease lease = choose(all, ADMITS, excluded, CircuitBreaker::tryAcquire);
        if (lease != null) {
            return lease;
        }
        if (whenNoneAdmits == NoBackendPolicy.LAST_RESORT) {
            // Refusing everything until one opening ends, which backoff can make minutes, would turn a bad
            // minute into an outage: a backend whose checks pass takes a trial, and while its trial is out,
            // the calls that have nowhere else to go (untracked: the trial alone decides its circuit).
            Lease trial = choose(all, PASSES_CHECKS, excluded, BREAKERS::tryAcquireAsLastResort);
            if (trial != null) {
                return trial;
            }
            Backend chosen = balancer.choose(all, PASSES_CHECKS, excluded);
            return chosen == null ? null : Lease.panic(chosen);
        }
        if (whenNoneAdmits == NoBackendPolicy.PANIC) {
            Backend chosen = balancer.choose(all, ANY, excluded);
            return chosen == null ? null : Lease.panic(chosen);
        }
        return null;
    }

    /**
     * Asks the balancer for one of {@code eligible} and takes its permit. A backend that refuses (another
     * call won the race for its last trial slot) is left out and the balancer asked again: bounded, whatever
     * happens concurrently.
     */
    private Lease choose(Backend[] all, Predicate<Backend> eligible, Collection<Backend> excluded,
            ToLongFunction<CircuitBreaker> permit) {
        Collection<Backend> leftOut = excluded;
        for (int attempt = 0; attempt <= all.length; attempt++) {
            Backend chosen = balancer.choose(all, eligible, leftOut);
            if (chosen == null) {
                return null;
            }
            long granted = permit.applyAsLong(chosen.breaker());
            if (granted != CircuitBreaker.DENIED) {
                return Lease.admitted(chosen, granted);
            }
            List<Backend> more = new ArrayList<>(leftOut);
            more.add(chosen);
            leftOut = more;
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

    /**
     * @param id a backend's id
     * @return that backend, if it is in the pool
     */
    public Optional<Backend> find(String id) {
        for (Backend b : backends) {
            if (b.id().equals(id)) {
                return Optional.of(b);
            }
        }
        return Optional.empty();
    }

    /** Adds a backend, whose id must be new; it starts its slow start, if it has one. */
    public synchronized void add(Backend backend) {
        Backend[] next = Arrays.copyOf(backends, backends.length + 1);
        next[backends.length] = Objects.requireNonNull(backend, "backend");
        requireUniqueIds(next);
        backend.beginSlowStart();
        replace(next);
    }

    /** Removes a backend; calls already leased to it finish normally. Returns whether it was there. */
    public synchronized boolean remove(Backend backend) {
        Backend[] next = Arrays.stream(backends).filter(b -> b != backend).toArray(Backend[]::new);
        if (next.length == backends.length) {
            return false;
        }
        replace(next);
        return true;
    }

    /** Publishes a new membership once the balancer is ready for it. Under {@code this} (or in the constructor). */
    private void replace(Backend[] next) {
        balancer.prepare(next);
        backends = next;
    }

    private static void requireUniqueIds(Backend[] backends) {
        long distinct = Arrays.stream(backends).map(Backend::id).distinct().count();
        if (distinct != backends.length) {
            throw new IllegalArgumentException("backends: " + Arrays.toString(backends) + " (expected: unique ids)");
        }
    }
}
