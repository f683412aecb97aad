package io.healthyproxy.core.breaker;

import static io.healthyproxy.core.breaker.CircuitState.CLOSED;
import static io.healthyproxy.core.breaker.CircuitState.HALF_OPEN;
import static io.healthyproxy.core.breaker.CircuitState.OPEN;

import java.util.Arrays;

/**
 * One immutable state of a {@link CircuitBreaker}; the breaker swaps whole values by compare-and-set.
 *
 * <p>{@code epoch} numbers the states a breaker passes through (each transition adds one) and is stamped
 * into every permit, so that a report can be matched to the state that admitted the call. Fields that only
 * make sense in one state are zero in the others.
 */
final class BreakerState {

    final CircuitState state;
    final long epoch;
    /** Consecutive failures; counted while CLOSED, kept while OPEN, reset by a success. */
    final int consecutiveFailures;
    /**
     * CLOSED: whether a real call (not a health probe) is among those consecutive failures. A passing probe
     * clears a streak only of probe failures: a health check cannot vouch for paths it does not test.
     */
    final boolean realCallFailed;
    /** Opens in the current unhealthy stretch, 0 for the first; −1 before the first opening. */
    final int openStreak;
    final long timesOpened;
    /** The length of the most recent opening, in nanoseconds. */
    final long lastOpenNanos;

    /** CLOSED: when the circuit closed (or the breaker was created). */
    final long closedSince;
    /** CLOSED: the failure-rate window of this closed period, or null when the trigger is off. */
    final FailureRateWindow window;

    /** OPEN: when trials may start. */
    final long openUntil;

    /** HALF_OPEN: trial ids handed out so far; ids are never reused within one half-open period. */
    final int trialsIssued;
    /** HALF_OPEN: trials that succeeded. */
    final int successes;
    /** HALF_OPEN: ids of the trials admitted that have not reported yet. */
    final int[] inFlightIds;
    /** HALF_OPEN: when each trial in {@link #inFlightIds} times out, index for index. */
    final long[] inFlightDeadlines;
    /**
     * HALF_OPEN: entered early as the last resort, because no other backend admitted traffic: a failed trial
     * then re-opens the circuit for as long as last time, without growing the backoff.
     */
    final boolean lastResort;

    private BreakerState(CircuitState state, long epoch, int consecutiveFailures, boolean realCallFailed,
            int openStreak, long timesOpened,
            long lastOpenNanos, long closedSince, FailureRateWindow window, long openUntil, int trialsIssued,
            int successes, int[] inFlightIds, long[] inFlightDeadlines, boolean lastResort) {
        this.state = state;
        this.epoch = epoch;
        this.consecutiveFailures = consecutiveFailures;
        this.realCallFailed = realCallFailed;
        this.openStreak = openStreak;
        this.timesOpened = timesOpened;
        this.lastOpenNanos = lastOpenNanos;
        this.closedSince = closedSince;
        this.window = window;
        this.openUntil = openUntil;
        this.trialsIssued = trialsIssued;
        this.successes = successes;
        this.inFlightIds = inFlightIds;
        this.inFlightDeadlines = inFlightDeadlines;
        this.lastResort = lastResort;
    }

    private static final int[] NO_IDS = new int[0];
    private static final long[] NO_DEADLINES = new long[0];

    static BreakerState initial(long now, FailureRateWindow window) {
        return new BreakerState(CLOSED, 0, 0, false, -1, 0, 0, now, window, 0, 0, 0, NO_IDS, NO_DEADLINES, false);
    }

    BreakerState closed(long now, FailureRateWindow window) {
        return new BreakerState(CLOSED, epoch + 1, 0, false, openStreak, timesOpened, lastOpenNanos, now, window, 0,
                0, 0, NO_IDS, NO_DEADLINES, false);
    }

    BreakerState open(int failures, int streak, long until, long durationNanos) {
        return new BreakerState(OPEN, epoch + 1, failures, false, streak, timesOpened + 1, durationNanos, 0, null,
                until, 0, 0, NO_IDS, NO_DEADLINES, false);
    }

    /** HALF_OPEN after this OPEN state; {@code lastResort} when entered early for want of another backend. */
    BreakerState halfOpen(boolean lastResort) {
        return new BreakerState(HALF_OPEN, epoch + 1, consecutiveFailures, false, openStreak, timesOpened,
                lastOpenNanos, 0, null, 0, 0, 0, NO_IDS, NO_DEADLINES, lastResort);
    }

    BreakerState withFailures(int failures, boolean realCallAmongThem) {
        return new BreakerState(state, epoch, failures, realCallAmongThem, openStreak, timesOpened, lastOpenNanos,
                closedSince, window, openUntil, trialsIssued, successes, inFlightIds, inFlightDeadlines, lastResort);
    }

    /** The id the next trial gets: 1, 2, 3, … wrapping after {@code maxId}. */
    int nextTrialId(int maxId) {
        return trialsIssued % maxId + 1;
    }

    /** Admits the next trial, with the id {@link #nextTrialId}, which times out at {@code deadline}. */
    BreakerState withTrialStarted(int id, long deadline) {
        int n = inFlightIds.length;
        int[] ids = Arrays.copyOf(inFlightIds, n + 1);
        long[] deadlines = Arrays.copyOf(inFlightDeadlines, n + 1);
        ids[n] = id;
        deadlines[n] = deadline;
        return new BreakerState(state, epoch, consecutiveFailures, realCallFailed, openStreak, timesOpened,
                lastOpenNanos, closedSince, window, openUntil, trialsIssued + 1, successes, ids, deadlines, lastResort);
    }

    /** Ends the in-flight trial at {@code index}, counting it as a success or not. */
    BreakerState withTrialEnded(int index, boolean succeeded) {
        int n = inFlightIds.length;
        int[] ids = new int[n - 1];
        long[] deadlines = new long[n - 1];
        System.arraycopy(inFlightIds, 0, ids, 0, index);
        System.arraycopy(inFlightIds, index + 1, ids, index, n - 1 - index);
        System.arraycopy(inFlightDeadlines, 0, deadlines, 0, index);
        System.arraycopy(inFlightDeadlines, index + 1, deadlines, index, n - 1 - index);
        return new BreakerState(state, epoch, succeeded ? 0 : consecutiveFailures, realCallFailed, openStreak,
                timesOpened, lastOpenNanos, closedSince, window, openUntil, trialsIssued,
                successes + (succeeded ? 1 : 0), ids, deadlines, lastResort);
    }

    /** HALF_OPEN: where trial {@code id} sits in {@link #inFlightIds}, or −1 if it is not in flight. */
    int indexOfTrial(int id) {
        for (int i = 0; i < inFlightIds.length; i++) {
            if (inFlightIds[i] == id) {
                return i;
            }
        }
        return -1;
    }

    /** HALF_OPEN: whether another trial may start, given {@code trials} admitted per half-open period. */
    boolean hasFreeTrial(int trials) {
        return inFlightIds.length + successes < trials;
    }

    /** HALF_OPEN: the index of the in-flight trial that timed out first by {@code now}, or −1 when none has. */
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
