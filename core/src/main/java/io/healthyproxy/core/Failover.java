package io.healthyproxy.core;

import io.healthyproxy.core.internal.Require;
import io.healthyproxy.core.retry.RetryBudget;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Objects;

/**
 * The failover rule of one request, the same on every face: each try goes to a backend that admits traffic and
 * that this request has not tried yet, at most {@code maxAttempts} tries in all, and a retry (or hedge) that
 * adds load to the backends takes a place in the {@link RetryBudget} first. The HTTP proxy's exchange, the
 * Maelstrom node's router and the client library each keep one per request; what may be repeated at all
 * (idempotency, a body that can be sent again) is theirs to decide before they ask.
 *
 * <pre>{@code
 * Failover failover = Failover.over(group.pool(), 3, budget);
 * Lease lease = failover.first();                 // null: no backend admits traffic
 * ... the try fails ...
 * Lease next = failover.next(true);               // null: see failover.refusal()
 * ... when that try ends: budget.retryFinished(), since next(true) took a place ...
 * }</pre>
 *
 * <p>Not thread-safe: one request's tries are decided on one thread at a time (an event loop, the node's
 * thread, or under the caller's own ordering).
 */
public final class Failover {

    /** Why {@link #next} found no further try. */
    public enum Refusal {
        /** Every try the request may make has been made. */
        NO_TRIES_LEFT("no tries left"),
        /** Retries in flight are at the budget's limit. */
        BUDGET_SPENT("the retry budget is spent"),
        /** Every backend that admits traffic has been tried (or none admits any). */
        NO_OTHER_BACKEND("no other backend admits traffic");

        private final String reason;

        Refusal(String reason) {
            this.reason = reason;
        }

        /** @return the reason in words, for error messages: {@code no other backend admits traffic} */
        public String reason() {
            return reason;
        }
    }

    private final BackendPool pool;
    private final int maxAttempts;
    private final RetryBudget budget;
    private final List<Backend> tried = new ArrayList<>(3);
    private Refusal refusal;

    private Failover(BackendPool pool, int maxAttempts, RetryBudget budget) {
        this.pool = Objects.requireNonNull(pool, "pool");
        this.maxAttempts = Require.positive("maxAttempts", maxAttempts);
        this.budget = budget;
    }

    /**
     * The rule for one request over {@code pool}, with no retry budget (every retry allowed within
     * {@code maxAttempts}): the Maelstrom node's.
     *
     * @param pool        the backends
     * @param maxAttempts tries in all, the first included
     * @return the request's failover
     */
    public static Failover over(BackendPool pool, int maxAttempts) {
        return new Failover(pool, maxAttempts, null);
    }

    /**
     * The rule for one request over {@code pool}, whose budgeted retries take a place in {@code budget}.
     *
     * @param pool        the backends
     * @param maxAttempts tries in all, the first included
     * @param budget      the retry budget shared by the requests to {@code pool}
     * @return the request's failover
     */
    public static Failover over(BackendPool pool, int maxAttempts, RetryBudget budget) {
        return new Failover(pool, maxAttempts, Objects.requireNonNull(budget, "budget"));
    }

    /**
     * The first try's lease.
     *
     * @return the lease, or null when no backend admits traffic (then {@link #refusal()} says
     *     {@link Refusal#NO_OTHER_BACKEND})
     */
    public Lease first() {
        return leased(pool.acquire());
    }

    /**
     * Another try's lease, on a backend not tried yet. A {@code budgeted} try takes a place in the retry budget
     * (given back here if no backend can take it); the caller gives it back with
     * {@link RetryBudget#retryFinished()} when the try ends. A try that adds no load (the request reached no
     * backend) is asked for unbudgeted.
     *
     * @param budgeted whether the try must take a retry-budget place
     * @return the lease, or null when no further try can be made; {@link #refusal()} then says why
     */
    public Lease next(boolean budgeted) {
        if (tried.size() >= maxAttempts) {
            refusal = Refusal.NO_TRIES_LEFT;
            return null;
        }
        if (budgeted && budget != null && !budget.tryStartRetry()) {
            refusal = Refusal.BUDGET_SPENT;
            return null;
        }
        Lease lease = leased(pool.acquireExcluding(tried));
        if (lease == null && budgeted && budget != null) {
            budget.retryFinished();
        }
        return lease;
    }

    /** @return whether a further try is allowed by the count of tries (whether a backend can take it aside) */
    public boolean hasTriesLeft() {
        return tried.size() < maxAttempts;
    }

    /** @return tries made so far */
    public int attempts() {
        return tried.size();
    }

    /** @return the backends tried, in order */
    public List<Backend> tried() {
        return Collections.unmodifiableList(tried);
    }

    /** @return why the last {@link #first()} or {@link #next} found nothing, or null if none has failed */
    public Refusal refusal() {
        return refusal;
    }

    private Lease leased(Lease lease) {
        if (lease == null) {
            refusal = Refusal.NO_OTHER_BACKEND;
        } else {
            tried.add(lease.backend());
        }
        return lease;
    }
}
