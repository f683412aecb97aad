package io.healthyproxy.client;

import io.healthyproxy.core.Failover;
import io.healthyproxy.core.Lease;
import io.healthyproxy.core.time.HumanDuration;
import io.healthyproxy.core.time.Scheduler;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeoutException;
import java.util.function.Function;

/**
 * One call through a {@link BackendCaller}: its tries, and every decision about them, as the HTTP proxy's
 * exchange makes them. The first try goes where the pool says; a try whose verdict is {@link Verdict#FAILURE}
 * (or that times out) is followed by one on a backend not tried yet, while the core's {@link Failover} allows
 * (tries left, budget) and the call may be repeated; a repeatable call that has no answer after the hedge delay
 * gets one copy on another backend, and the first answer that is not a failure wins. Each try's outcome is told
 * to its lease exactly once: its verdict, or nothing for a try that timed out or lost (slow is not broken), and
 * its answer time goes to its backend for the slowness comparison.
 *
 * <p>Implementation notes: the tries complete on whatever threads their stages complete on, so the call's
 * state is guarded by its monitor; whatever reaches outside (launching a try, completing the caller's future,
 * cancelling a loser) is done after the monitor is released, so no user code runs under it.
 */
final class Call<T, R> {

    private final BackendCaller<T> caller;
    private final Function<? super T, ? extends CompletionStage<R>> send;
    private final Classifier<? super R> classifier;
    private final boolean repeatable;
    private final CompletableFuture<R> result = new CompletableFuture<>();
    /** Guarded by {@code this}, as is everything below. */
    private final Failover failover;
    private final List<Try> inFlight = new ArrayList<>(2);
    private boolean done;
    private Scheduler.Cancellable hedge;
    private R lastResult;
    private Throwable lastError;

    /** One try on one backend. */
    private final class Try {
        final Lease lease;
        final boolean holdsBudget;
        final long startedAt;
        CompletionStage<R> stage;
        Scheduler.Cancellable timeout;
        boolean ended;

        Try(Lease lease, boolean holdsBudget) {
            this.lease = lease;
            this.holdsBudget = holdsBudget;
            this.startedAt = caller.ticker().read();
        }

        String backend() {
            return lease.backend().id();
        }
    }

    Call(BackendCaller<T> caller, Function<? super T, ? extends CompletionStage<R>> send,
            Classifier<? super R> classifier, boolean repeatable) {
        this.caller = caller;
        this.send = send;
        this.classifier = classifier;
        this.repeatable = repeatable;
        this.failover = Failover.over(caller.group().pool(), caller.maxAttempts(), caller.budget());
    }

    CompletableFuture<R> start() {
        caller.budget().requestStarted();
        Try first;
        synchronized (this) {
            Lease lease = failover.first();
            if (lease == null) {
                done = true;
                first = null;
            } else {
                first = track(lease, false);
                if (repeatable && caller.hedging()) {
                    hedge = caller.scheduler().schedule(caller.hedgeDelay().delayNanos(), this::hedge);
                }
            }
        }
        if (first == null) {
            caller.budget().requestFinished();
            result.completeExceptionally(new NoBackendException("no backend admits traffic: " + caller.describe()));
        } else {
            launch(first);
        }
        return result;
    }

    private Try track(Lease lease, boolean holdsBudget) {
        Try t = new Try(lease, holdsBudget);
        inFlight.add(t);
        return t;
    }

    private void launch(Try t) {
        synchronized (this) {
            if (t.ended) {
                return;                             // the call was decided before this try could start
            }
            t.timeout = caller.scheduler().schedule(caller.perTryNanos(), () -> ended(t, null, null, true));
        }
        CompletionStage<R> stage;
        try {
            stage = send.apply(caller.target(t.lease.backend()));
        } catch (RuntimeException e) {
            stage = CompletableFuture.failedFuture(e);
        }
        synchronized (this) {
            t.stage = stage;
        }
        stage.whenComplete((r, e) -> ended(t, r, unwrap(e), false));
    }

    private void hedge() {
        Try copy;
        synchronized (this) {
            hedge = null;
            if (done || inFlight.size() != 1) {
                return;
            }
            Lease lease = failover.next(true);
            if (lease == null) {
                return;
            }
            copy = track(lease, true);
        }
        launch(copy);
    }

    /** A try ended: with its result or error, or by timing out. */
    private void ended(Try t, R r, Throwable e, boolean timedOut) {
        List<Runnable> after = new ArrayList<>(2);
        synchronized (this) {
            if (t.ended) {
                return;
            }
            end(t);
            long took = caller.ticker().read() - t.startedAt;
            t.lease.backend().recordLatency(took);
            if (done) {
                t.lease.release();
                return;
            }
            if (inFlight.isEmpty() && hedge != null) {
                hedge.cancel();                     // a hedge is for a try that is slow, not one that ended
                hedge = null;
            }
            Verdict verdict = timedOut ? null : classifier.classify(r, e);
            if (!timedOut) {
                caller.hedgeDelay().record(took);
            }
            if (verdict == Verdict.SUCCESS) {
                t.lease.onSuccess();
            } else if (verdict == Verdict.FAILURE) {
                t.lease.onFailure();
            } else {
                t.lease.release();
            }
            if (verdict == Verdict.SUCCESS || verdict == Verdict.NEUTRAL) {
                finish(after, r, e);
            } else {
                afterFailure(after, t, r, timedOut ? new TimeoutException("no answer from " + t.backend()
                        + " within " + HumanDuration.format(Duration.ofNanos(caller.perTryNanos()))) : e);
            }
        }
        after.forEach(Runnable::run);
    }

    /** Under the monitor: the failed try's outcome is kept; another try is made if one may and can be. */
    private void afterFailure(List<Runnable> after, Try t, R r, Throwable e) {
        if (lastResult != null && lastResult != r) {
            Object discarded = lastResult;
            after.add(() -> caller.discard(discarded));
        }
        lastResult = r;
        lastError = e;
        if (!inFlight.isEmpty()) {
            return;                                 // the other try's answer decides
        }
        boolean nothingSent = e != null && caller.notSent(e);
        if (repeatable || nothingSent) {
            Lease lease = failover.next(!nothingSent);
            if (lease != null) {
                if (r != null) {
                    Object discarded = r;
                    after.add(() -> caller.discard(discarded));
                    lastResult = null;
                }
                Try next = track(lease, !nothingSent);
                after.add(() -> launch(next));
                return;
            }
        }
        finish(after, lastResult, lastError);
    }

    /** Under the monitor: the call's answer is {@code r} or {@code e}; the other tries are called off. */
    private void finish(List<Runnable> after, R r, Throwable e) {
        done = true;
        if (hedge != null) {
            hedge.cancel();
            hedge = null;
        }
        for (Try loser : List.copyOf(inFlight)) {
            end(loser);
            loser.lease.backend().recordLatency(caller.ticker().read() - loser.startedAt);
            loser.lease.release();
            CompletionStage<R> stage = loser.stage;
            if (stage instanceof CompletableFuture<R> future) {
                after.add(() -> future.cancel(true));
            }
        }
        after.add(caller.budget()::requestFinished);
        after.add(e == null ? () -> result.complete(r) : () -> result.completeExceptionally(e));
    }

    /** Under the monitor: the try is over; its timer and budget place are given back. */
    private void end(Try t) {
        t.ended = true;
        inFlight.remove(t);
        if (t.timeout != null) {
            t.timeout.cancel();
        }
        if (t.holdsBudget) {
            caller.budget().retryFinished();
        }
    }

    private static Throwable unwrap(Throwable e) {
        Throwable cause = e;
        while ((cause instanceof CompletionException || cause instanceof ExecutionException)
                && cause.getCause() != null) {
            cause = cause.getCause();
        }
        return cause;
    }
}
