package io.healthyproxy.core.breaker;

import static io.healthyproxy.core.breaker.CircuitState.CLOSED;
import static io.healthyproxy.core.breaker.CircuitState.HALF_OPEN;
import static io.healthyproxy.core.breaker.CircuitState.OPEN;

import java.util.Arrays;

/**
 * One immutable state of a {@link CircuitBreaker}, one record per {@link CircuitState}; the breaker swaps whole
 * values by compare-and-set.
 *
 * <p>Each record holds only what its state needs, plus the history every state carries on: {@code epoch} (which
 * numbers the states a breaker passes through, each transition adding one, and is stamped into every permit,
 * so that a report can be matched to the state that admitted the call), the failure count, the backoff streak,
 * the openings so far and the last one's length, and {@code cause}, the {@link Transition} that entered it.
 *
 * <p>A state of another kind is built only by the methods named after the move ({@link Closed#open},
 * {@link Open#halfOpen}, {@link HalfOpen#close}, {@link HalfOpen#reopen}), each of which takes the
 * {@link Transition} it makes and refuses one that does not lead from its state to the state it builds: a move
 * the table does not list cannot be made, and the transition the listeners hear of is the one that built the
 * state. Changes within a state ({@code withFailures}, the trial bookkeeping) keep its kind, epoch and cause.
 */
sealed interface BreakerState permits BreakerState.Closed, BreakerState.Open, BreakerState.HalfOpen {

    CircuitState state();

    long epoch();

    /** Consecutive failures; counted while CLOSED, kept while OPEN and HALF_OPEN, reset by a success. */
    int consecutiveFailures();

    /** Opens in the current unhealthy stretch, 0 for the first; −1 before the first opening. */
    int openStreak();

    long timesOpened();

    /** The length of the most recent opening, in nanoseconds. */
    long lastOpenNanos();

    /** The transition that entered this state; null for the breaker's first state. */
    Transition cause();

    /** The breaker's first state: closed since {@code now}, never opened. */
    static Closed initial(long now, FailureRateWindow window) {
        return new Closed(0, 0, false, -1, 0, 0, now, window, null);
    }

    /** Refuses a transition that does not lead from {@code from} to {@code to}. */
    private static Transition require(Transition why, CircuitState from, CircuitState to) {
        if (why.from() != from || why.to() != to) {
            throw new IllegalStateException(why + " leads " + why.from() + " → " + why.to() + ", not " + from
                    + " → " + to);
        }
        return why;
    }

    /**
     * CLOSED: every call admitted.
     *
     * @param realCallFailed whether a real call (not a health probe) is among the consecutive failures; a
     *                       passing probe clears a streak only of probe failures, since a health check cannot
     *                       vouch for paths it does not test
     * @param closedSince    when the circuit closed (or the breaker was created)
     * @param window         the failure-rate window of this closed period, or null when the trigger is off
     */
    record Closed(long epoch, int consecutiveFailures, boolean realCallFailed, int openStreak, long timesOpened,
            long lastOpenNanos, long closedSince, FailureRateWindow window, Transition cause) implements BreakerState {

        @Override
        public CircuitState state() {
            return CLOSED;
        }

        Closed withFailures(int failures, boolean realCallAmongThem) {
            return new Closed(epoch, failures, realCallAmongThem, openStreak, timesOpened, lastOpenNanos, closedSince,
                    window, cause);
        }

        /** The move to OPEN: {@code FAILURE_THRESHOLD_REACHED} or {@code FAILURE_RATE_EXCEEDED}. */
        Open open(Transition why, int failures, int streak, long until, long durationNanos) {
            return new Open(epoch + 1, failures, streak, timesOpened + 1, durationNanos, until,
                    require(why, CLOSED, OPEN));
        }
    }

    /**
     * OPEN: every call refused.
     *
     * @param openUntil when trials may start
     */
    record Open(long epoch, int consecutiveFailures, int openStreak, long timesOpened, long lastOpenNanos,
            long openUntil, Transition cause) implements BreakerState {

        @Override
        public CircuitState state() {
            return OPEN;
        }

        /**
         * The move to HALF_OPEN: {@code OPEN_DURATION_ELAPSED}, {@code HEALTH_RECOVERED} or
         * {@code NO_OTHER_BACKEND}; entered as the last resort (the latter), a failed trial re-opens the circuit
         * for as long as last time, without growing the backoff.
         */
        HalfOpen halfOpen(Transition why) {
            return new HalfOpen(epoch + 1, consecutiveFailures, openStreak, timesOpened, lastOpenNanos, 0, 0,
                    NO_IDS, NO_DEADLINES, why == Transition.NO_OTHER_BACKEND, require(why, OPEN, HALF_OPEN));
        }
    }

    /**
     * HALF_OPEN: a fixed number of trials admitted.
     *
     * @param trialsIssued      trial ids handed out so far; ids are never reused within one half-open period
     * @param successes         trials that succeeded
     * @param inFlightIds       ids of the trials admitted that have not reported yet
     * @param inFlightDeadlines when each trial in {@code inFlightIds} times out, index for index
     * @param lastResort        entered early as the last resort, because no other backend admitted traffic
     */
    record HalfOpen(long epoch, int consecutiveFailures, int openStreak, long timesOpened, long lastOpenNanos,
            int trialsIssued, int successes, int[] inFlightIds, long[] inFlightDeadlines, boolean lastResort,
            Transition cause) implements BreakerState {

        @Override
        public CircuitState state() {
            return HALF_OPEN;
        }

        /** The move to CLOSED: {@code TRIALS_SUCCEEDED}. */
        Closed close(Transition why, long now, FailureRateWindow window) {
            return new Closed(epoch + 1, 0, false, openStreak, timesOpened, lastOpenNanos, now, window,
                    require(why, HALF_OPEN, CLOSED));
        }

        /** The move back to OPEN: {@code TRIAL_FAILED}, {@code TRIAL_TIMED_OUT} or {@code PROBE_FAILED}. */
        Open reopen(Transition why, int failures, int streak, long until, long durationNanos) {
            return new Open(epoch + 1, failures, streak, timesOpened + 1, durationNanos, until,
                    require(why, HALF_OPEN, OPEN));
        }

        /** The id the next trial gets: 1, 2, 3, … wrapping after {@code maxId}. */
        int nextTrialId(int maxId) {
            return trialsIssued % maxId + 1;
        }

        /** Admits the next trial, with the id {@link #nextTrialId}, which times out at {@code deadline}. */
        HalfOpen withTrialStarted(int id, long deadline) {
            int n = inFlightIds.length;
            int[] ids = Arrays.copyOf(inFlightIds, n + 1);
            long[] deadlines = Arrays.copyOf(inFlightDeadlines, n + 1);
            ids[n] = id;
            deadlines[n] = deadline;
            return new HalfOpen(epoch, consecutiveFailures, openStreak, timesOpened, lastOpenNanos, trialsIssued + 1,
                    successes, ids, deadlines, lastResort, cause);
        }

        /** Ends the in-flight trial at {@code index}, counting it as a success or not. */
        HalfOpen withTrialEnded(int index, boolean succeeded) {
            int n = inFlightIds.length;
            int[] ids = new int[n - 1];
            long[] deadlines = new long[n - 1];
            System.arraycopy(inFlightIds, 0, ids, 0, index);
            System.arraycopy(inFlightIds, index + 1, ids, index, n - 1 - index);
            System.arraycopy(inFlightDeadlines, 0, deadlines, 0, index);
            System.arraycopy(inFlightDeadlines, index + 1, deadlines, index, n - 1 - index);
            return new HalfOpen(epoch, succeeded ? 0 : consecutiveFailures, openStreak, timesOpened, lastOpenNanos,
                    trialsIssued, successes + (succeeded ? 1 : 0), ids, deadlines, lastResort, cause);
        }

        /** Where trial {@code id} sits in {@link #inFlightIds}, or −1 if it is not in flight. */
        int indexOfTrial(int id) {
            for (int i = 0; i < inFlightIds.length; i++) {
                if (inFlightIds[i] == id) {
                    return i;
                }
            }
            return -1;
        }

        /** Whether another trial may start, given {@code trials} admitted per half-open period. */
        boolean hasFreeTrial(int trials) {
            return inFlightIds.length + successes < trials;
        }

        /** The index of the in-flight trial that timed out first by {@code now}, or −1 when none has. */
        int earliestExpiredTrial(long now) {
            int expired = -1;
            for (int i = 0; i < inFlightDeadlines.length; i++) {
                long deadline = inFlightDeadlines[i];
                if (now - deadline >= 0 && (expired < 0 || deadline - inFlightDeadlines[expired] < 0)) {
                    expired = i;
                }
            }
            return expired;
        }
    }

    int[] NO_IDS = new int[0];
    long[] NO_DEADLINES = new long[0];
}
