package io.healthyproxy.core.breaker;

import io.healthyproxy.core.breaker.BreakerState.Closed;
import io.healthyproxy.core.breaker.BreakerState.HalfOpen;
import io.healthyproxy.core.breaker.BreakerState.Open;
import io.healthyproxy.core.internal.BreakerAccess;
import io.healthyproxy.core.time.Jitter;
import io.healthyproxy.core.time.Ticker;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicReferenceFieldUpdater;
import java.util.concurrent.atomic.LongAdder;
import java.util.random.RandomGenerator;

/**
 * A circuit breaker for one backend: it stops traffic to a backend that keeps failing, and lets a few trial
 * calls through after a while to find out whether it has recovered.
 *
 * <h2>Contract</h2>
 * Every call asks first and reports after:
 * <pre>{@code
 * long permit = breaker.tryAcquire();
 * if (permit == CircuitBreaker.DENIED) {
 *     return failFast();                      // or try another backend
 * }
 * try {
 *     Response r = call();
 *     breaker.onSuccess(permit);              // or onFailure(permit) if r says the backend failed
 * } catch (IOException e) {
 *     breaker.onFailure(permit);
 * }
 * }</pre>
 * Each granted permit must be reported exactly once, by {@link #onSuccess}, {@link #onFailure}, or
 * {@link #release} when the outcome says nothing about the backend (the client went away). A report for a
 * call admitted in an earlier state is ignored: a slow call admitted before the circuit opened cannot close
 * it again later, and only real trials decide a half-open circuit.
 *
 * <h2>States</h2>
 * <ul>
 *   <li>CLOSED: every call is admitted. {@code failureThreshold} consecutive failures open the circuit (a
 *       success resets the count), and so does the optional failure rate.</li>
 *   <li>OPEN: every call is refused until the open duration has passed. The first opening lasts
 *       {@code openDuration}; each further one without {@code backoffResetAfter} of health in between lasts
 *       {@code backoffMultiplier} times longer, up to {@code maxOpenDuration}; each is shortened by up to
 *       {@code openJitter} at random.</li>
 *   <li>HALF_OPEN: exactly {@code halfOpenTrials} calls are admitted as trials and every other one refused.
 *       {@code successThreshold} successful trials close the circuit; one failed trial re-opens it, and so does
 *       a trial that has not reported within {@code trialTimeout}.</li>
 * </ul>
 * Time-driven transitions (OPEN → HALF_OPEN, a trial timing out) are applied lazily, by the next call that
 * looks at the breaker ({@link #tryAcquire}, {@link #state}, {@link #snapshot}, any report), dated to the
 * moment they became due.
 *
 * <h2>Why it is in its state</h2>
 * Callers may say what kind of failure each was ({@link #onFailure(long, String)}: the HTTP proxy passes
 * {@code backend_unreachable}, {@code backend_reset}, …); the breaker counts the kinds of the current streak of
 * consecutive failures and remembers the transition into its current state, so that a status page can say
 * "circuit opened 12s ago: 5 consecutive failures: 3 unreachable, 2 reset" ({@link CircuitSnapshot#failureKinds()},
 * {@link CircuitSnapshot#lastTransition()}, and the same in every {@link TransitionEvent}).
 *
 * <h2>Thread-safety</h2>
 * Thread-safe and lock-free. While closed, {@link #tryAcquire} and {@link #onSuccess} neither allocate nor
 * read the clock (unless the failure-rate trigger is on, which reads it). Listeners are called after a
 * transition, by the thread that made it, outside any lock; their exceptions are logged and contained.
 *
 * <h2>Implementation notes</h2>
 * The whole state is one immutable {@code BreakerState} (a record per state: {@code Closed}, {@code Open},
 * {@code HalfOpen}), swapped by compare-and-set; a thread that loses the race re-reads and retries or, if the
 * transition it wanted was made by another, does nothing. A state of another kind can only be built through
 * the {@link Transition} that leads to it, which is what the listeners are then told. A permit is a
 * {@code long}: {@code epoch << 23 | trial}, where {@code epoch} numbers the breaker's states (2^40 of them)
 * and {@code trial} is the id of a half-open trial (0 for a normal call, all ones for a half-open probe).
 * Trial ids are not reused within one half-open period (they wrap after 2^23 − 2), so a released trial's
 * permit cannot be mistaken for the one
 * admitted after it. That makes a permit free to hand out and lets every report be checked against the
 * state, and the trial, that admitted it.
 */
public final class CircuitBreaker {

    /** What {@link #tryAcquire} returns when the call must not go through. Never a valid permit. */
    public static final long DENIED = -1L;
    /** The kind of a failure reported without one ({@link #onFailure(long)}). */
    public static final String UNSPECIFIED_FAILURE = "unspecified";
    /** The kind the breaker gives a half-open trial that did not report within {@code trialTimeout}. */
    public static final String TRIAL_TIMED_OUT = "trial_timed_out";

    private static final System.Logger LOG = System.getLogger(CircuitBreaker.class.getName());
    private static final int TRIAL_BITS = 23;
    private static final int TRIAL_MASK = (1 << TRIAL_BITS) - 1;
    private static final int NOT_A_TRIAL = 0;
    /** The trial field of a half-open probe's permit; real trial ids stay below it. */
    private static final int PROBE = TRIAL_MASK;
    private static final int MAX_TRIAL_ID = PROBE - 1;
    private static final AtomicReferenceFieldUpdater<CircuitBreaker, BreakerState> STATE =
            AtomicReferenceFieldUpdater.newUpdater(CircuitBreaker.class, BreakerState.class, "state");
    private static final AtomicReferenceFieldUpdater<CircuitBreaker, Entered> ENTERED =
            AtomicReferenceFieldUpdater.newUpdater(CircuitBreaker.class, Entered.class, "entered");

    static {
        BreakerAccess.install(new Access());
    }

    private final String name;
    private final CircuitBreakerConfig config;
    private final Ticker ticker;
    private final RandomGenerator random;
    private final List<CircuitBreakerListener> listeners = new CopyOnWriteArrayList<>();
    private final LongAdder rejected = new LongAdder();
    private final LongAdder trialsAdmitted = new LongAdder();
    private final int failureThreshold;
    private final int trials;
    private final long openNanos;
    private final long maxOpenNanos;
    private final long resetAfterNanos;
    private final long trialTimeoutNanos;
    private final double failureRateThreshold;
    private final int failureRateMinimumCalls;

    private volatile BreakerState state;
    /** The kinds of the current streak of consecutive failures (shown only while there is one). */
    private final FailureStreak streak = new FailureStreak();
    /** How the current state was entered; before the first transition, the breaker's creation. */
    private volatile Entered entered;

    /** A transition into the state numbered {@code epoch}, at {@code atNanos}; null transition: created. */
    private record Entered(Transition transition, long atNanos, long epoch) {
    }

    /**
     * A breaker in its own time.
     *
     * @param name   names the breaker in events and status, usually after its backend
     * @param config how it behaves
     * @param ticker its clock: {@link Ticker#system()} in production, a {@code ManualTicker} in tests
     * @param random source of the open-duration jitter; {@link Jitter#threadLocalRandom()} in production
     */
    public CircuitBreaker(String name, CircuitBreakerConfig config, Ticker ticker, RandomGenerator random) {
        this.name = Objects.requireNonNull(name, "name");
        this.config = Objects.requireNonNull(config, "config");
        this.ticker = Objects.requireNonNull(ticker, "ticker");
        this.random = Objects.requireNonNull(random, "random");
        this.failureThreshold = config.failureThreshold();
        this.trials = config.halfOpenTrials();
        this.openNanos = config.openDuration().toNanos();
        this.maxOpenNanos = config.maxOpenDuration().toNanos();
        this.resetAfterNanos = config.backoffResetAfter().toNanos();
        this.trialTimeoutNanos = config.trialTimeout().toNanos();
        this.failureRateThreshold = config.failureRate().map(FailureRateTrigger::threshold).orElse(0.0);
        this.failureRateMinimumCalls = config.failureRate().map(FailureRateTrigger::minimumCalls).orElse(0);
        long now = ticker.read();
        this.state = BreakerState.initial(now, newWindow(now));
        this.entered = new Entered(null, now, 0);
    }

    /**
     * A breaker on the system clock with thread-local randomness.
     *
     * @param name   names the breaker in events and status
     * @param config how it behaves
     * @return the breaker, closed
     */
    public static CircuitBreaker of(String name, CircuitBreakerConfig config) {
        return new CircuitBreaker(name, config, Ticker.system(), Jitter.threadLocalRandom());
    }

    /** @return the name it was given */
    public String name() {
        return name;
    }

    /** @return how it behaves */
    public CircuitBreakerConfig config() {
        return config;
    }

    /**
     * Registers a listener for every later transition.
     *
     * @param listener told of each transition, outside any lock
     */
    public void addListener(CircuitBreakerListener listener) {
        listeners.add(Objects.requireNonNull(listener, "listener"));
    }

    /**
     * Removes a listener added before; harmless if it was not.
     *
     * @param listener the listener
     */
    public void removeListener(CircuitBreakerListener listener) {
        listeners.remove(listener);
    }

    /**
     * Asks to make a call.
     *
     * @return a permit to report the outcome with, or {@link #DENIED} when the circuit is open or every
     *     half-open trial slot is taken
     */
    public long tryAcquire() {
        BreakerState s = state;
        if (s instanceof Closed c) {
            return permit(c.epoch(), NOT_A_TRIAL);
        }
        long now = ticker.read();
        while (true) {
            s = advance(s, now);
            if (s instanceof Closed c) {
                return permit(c.epoch(), NOT_A_TRIAL);
            }
            if (!(s instanceof HalfOpen h) || !h.hasFreeTrial(trials)) {
                rejected.increment();
                return DENIED;
            }
            int id = h.nextTrialId(MAX_TRIAL_ID);
            if (STATE.compareAndSet(this, h, h.withTrialStarted(id, now + trialTimeoutNanos))) {
                trialsAdmitted.increment();
                return permit(h.epoch(), id);
            }
            s = state;
        }
    }

    /**
     * A permit for a health probe, which can take traffic away but never give it back. While closed, a probe's
     * failure counts towards the threshold like any call's, but its success clears only a streak of probe
     * failures, never one that real calls contributed to. While half-open, a failed probe re-opens the circuit
     * ({@link Transition#PROBE_FAILED}) and a passing one is ignored, leaving the trial to a real request.
     * While open, {@link #DENIED}. Why: a health path that answers says nothing of real paths that fail (a
     * backend answering 500 on {@code /} while {@code /health} says 200 must not be kept or let back in by
     * its health path). Probes are not counted in the failure-rate window, which is about real traffic.
     * The core's {@code ActiveHealthChecker} is its one caller (through {@link BreakerAccess}).
     */
    long tryAcquireProbe() {
        BreakerState s = state;
        if (!(s instanceof Closed)) {
            s = advance(s, ticker.read());
        }
        return s instanceof Open ? DENIED : permit(s.epoch(), PROBE);
    }

    /**
     * Active health checks saw the backend come back (its verdict flipped from unhealthy to healthy): an open
     * circuit goes half-open now instead of waiting out its open duration, which backoff may have made long.
     * A trial with real traffic still decides whether it closes: health checks can ask for a trial, never
     * give traffic back by themselves. Returns whether the circuit was open. {@code Backend} calls it when
     * its group's {@code halfOpenOnHealthRecovery} is on.
     */
    boolean onHealthRecovered() {
        return openEarly(Transition.HEALTH_RECOVERED);
    }

    /**
     * A permit for a call that no other backend can take: an open circuit goes half-open early
     * ({@link Transition#NO_OTHER_BACKEND}) and the call becomes its trial, so that a pool whose circuits are
     * all open is never shut for longer than one trial takes, one call at a time per backend. A failed
     * last-resort trial re-opens the circuit without growing its backoff. {@link #DENIED} if the circuit is
     * half-open with every trial slot taken; while closed, an ordinary permit. The pool's
     * {@code LAST_RESORT} policy is its one caller.
     */
    long tryAcquireAsLastResort() {
        openEarly(Transition.NO_OTHER_BACKEND);
        return tryAcquire();
    }

    private boolean openEarly(Transition why) {
        long now = ticker.read();
        for (BreakerState s = advance(state, now); s instanceof Open o; s = advance(state, now)) {
            HalfOpen next = o.halfOpen(why);
            if (STATE.compareAndSet(this, o, next)) {
                notifyListeners(next, now);
                return true;
            }
        }
        return false;
    }

    /**
     * Whether a call would be admitted now, without taking a permit (nor a half-open trial slot). The answer
     * can be stale by the time {@link #tryAcquire} is called; balancers use it to choose, then acquire.
     *
     * @return whether {@link #tryAcquire} would grant a permit now
     */
    public boolean admitsTraffic() {
        BreakerState s = state;
        if (s instanceof Closed) {
            return true;
        }
        s = advance(s, ticker.read());
        return s instanceof Closed || (s instanceof HalfOpen h && h.hasFreeTrial(trials));
    }

    /**
     * Reports that the call admitted by {@code permit} succeeded.
     *
     * @param permit what {@link #tryAcquire} returned
     */
    public void onSuccess(long permit) {
        long epoch = epochOf(permit);
        BreakerState s = state;
        int trial = trialOf(permit);
        if (s instanceof Closed c) {
            if (c.epoch() != epoch) {
                return;
            }
            boolean probe = trial == PROBE;
            if (c.window() != null && !probe) {
                recordSuccessInWindow(c, epoch);
                s = state;
            }
            while (s instanceof Closed current && current.consecutiveFailures() != 0 && current.epoch() == epoch) {
                if (probe && current.realCallFailed()) {
                    return;                     // a health check cannot vouch for the paths that failed
                }
                if (STATE.compareAndSet(this, current, current.withFailures(0, false))) {
                    return;
                }
                s = state;
            }
            return;
        }
        long now = ticker.read();
        while (true) {
            s = advance(s, now);
            int index = s instanceof HalfOpen h && h.epoch() == epoch ? h.indexOfTrial(trial) : -1;
            if (index < 0) {
                return;
            }
            HalfOpen ended = ((HalfOpen) s).withTrialEnded(index, true);
            BreakerState next = ended.successes() >= config.successThreshold()
                    ? ended.close(Transition.TRIALS_SUCCEEDED, now, newWindow(now)) : ended;
            if (STATE.compareAndSet(this, s, next)) {
                if (next instanceof Closed) {
                    notifyListeners(next, now);
                }
                return;
            }
            s = state;
        }
    }

    /**
     * Reports that the call admitted by {@code permit} failed in a way that is the backend's fault, without
     * saying how: counted as {@link #UNSPECIFIED_FAILURE}.
     *
     * @param permit what {@link #tryAcquire} returned
     */
    public void onFailure(long permit) {
        onFailure(permit, UNSPECIFIED_FAILURE);
    }

    /**
     * Reports that the call admitted by {@code permit} failed in a way that is the backend's fault, and what
     * kind of failure it was, for status pages and transition events ({@link CircuitSnapshot#failureKinds()}).
     * The kind only describes: every kind counts the same towards the thresholds. Pass a constant (a
     * {@code static final} string, an enum's name): the breaker keeps a slot per distinct kind and compares by
     * identity first, so reporting costs no allocation; after 12 distinct kinds, new
     * ones are counted as {@link FailureCount#OTHER_KINDS}.
     */
    public void onFailure(long permit, String kind) {
        Objects.requireNonNull(kind, "kind");
        long epoch = epochOf(permit);
        int trial = trialOf(permit);
        long now = ticker.read();
        BreakerState s = state;
        boolean probe = trial == PROBE;
        if (s instanceof Closed c && c.epoch() == epoch && c.window() != null && !probe) {
            c.window().record(now, true);
        }
        while (true) {
            s = advance(s, now);
            if (s.epoch() != epoch) {
                return;
            }
            BreakerState next;
            if (s instanceof Closed c) {
                int failures = c.consecutiveFailures() + 1;
                if (failures >= failureThreshold) {
                    next = opened(c, Transition.FAILURE_THRESHOLD_REACHED, now, failures);
                } else if (failureRateExceeded(c, now)) {
                    next = opened(c, Transition.FAILURE_RATE_EXCEEDED, now, failures);
                } else {
                    next = c.withFailures(failures, c.realCallFailed() || !probe);
                }
            } else if (s instanceof HalfOpen h && (probe || h.indexOfTrial(trial) >= 0)) {
                next = reopened(h, probe ? Transition.PROBE_FAILED : Transition.TRIAL_FAILED, now,
                        h.consecutiveFailures() + 1);
            } else {
                return;
            }
            if (STATE.compareAndSet(this, s, next)) {
                countInStreak(next, kind);
                if (next.epoch() != epoch) {
                    notifyListeners(next, now);
                }
                return;
            }
            s = state;
        }
    }

    /**
     * Gives back a permit whose call says nothing about the backend (cancelled by the client, refused by a
     * local limit). A released half-open trial frees its slot for another trial.
     *
     * @param permit what {@link #tryAcquire} returned
     */
    public void release(long permit) {
        long epoch = epochOf(permit);
        int trial = trialOf(permit);
        for (BreakerState s = state; s instanceof HalfOpen h && h.epoch() == epoch; s = state) {
            int index = h.indexOfTrial(trial);
            if (index < 0 || STATE.compareAndSet(this, h, h.withTrialEnded(index, false))) {
                return;
            }
        }
    }

    /** Whether {@code permit} was granted as a half-open trial; {@code Lease.isTrial()} asks through the bridge. */
    static boolean isTrial(long permit) {
        return permit != DENIED && trialOf(permit) != NOT_A_TRIAL && trialOf(permit) != PROBE;
    }

    /**
     * The current state, with any transition that has become due applied.
     *
     * @return the state
     */
    public CircuitState state() {
        BreakerState s = state;
        return s instanceof Closed ? CircuitState.CLOSED : advance(s, ticker.read()).state();
    }

    /**
     * A consistent view of the breaker now, for status pages and metrics.
     *
     * @return the view, with any transition that has become due applied
     */
    public CircuitSnapshot snapshot() {
        long now = ticker.read();
        BreakerState s = advance(state, now);
        Duration remaining = s instanceof Open o ? Duration.ofNanos(Math.max(0, o.openUntil() - now)) : Duration.ZERO;
        int trialsInFlight = s instanceof HalfOpen h ? h.inFlightIds().length : 0;
        Entered how = entered;
        return new CircuitSnapshot(name, s.state(), s.consecutiveFailures(), s.timesOpened(), remaining,
                Duration.ofNanos(s.lastOpenNanos()), trialsInFlight, trialsAdmitted.sum(), rejected.sum(),
                how.transition, Duration.ofNanos(Math.max(0, now - how.atNanos)), failureKinds(s));
    }

    @Override
    public String toString() {
        return "CircuitBreaker[" + name + ", " + state.state().label() + "]";
    }

    /** Applies the time-driven transitions that are due at {@code now}; returns the resulting state. */
    private BreakerState advance(BreakerState s, long now) {
        while (true) {
            long at;
            BreakerState next;
            int expired;
            if (s instanceof Open o && now - o.openUntil() >= 0) {
                at = o.openUntil();
                next = o.halfOpen(Transition.OPEN_DURATION_ELAPSED);
            } else if (s instanceof HalfOpen h && (expired = h.earliestExpiredTrial(now)) >= 0) {
                at = h.inFlightDeadlines()[expired];
                next = reopened(h, Transition.TRIAL_TIMED_OUT, at, h.consecutiveFailures() + 1);
            } else {
                return s;
            }
            if (STATE.compareAndSet(this, s, next)) {
                if (next.cause() == Transition.TRIAL_TIMED_OUT) {
                    countInStreak(next, TRIAL_TIMED_OUT);
                }
                notifyListeners(next, at);
                s = next;
            } else {
                s = state;
            }
        }
    }

    /** The OPEN state that follows closed {@code c} at {@code at}, with its backed-off, jittered duration. */
    private Open opened(Closed c, Transition why, long at, int failures) {
        int streak = at - c.closedSince() >= resetAfterNanos ? 0 : c.openStreak() + 1;
        long duration = openingNanos(streak);
        return c.open(why, failures, streak, at + duration, duration);
    }

    /** The OPEN state that follows half-open {@code h} at {@code at}. */
    private Open reopened(HalfOpen h, Transition why, long at, int failures) {
        // A last-resort trial was let through early; its failure is no reason to back off further.
        int streak = h.lastResort() && h.openStreak() >= 0 ? h.openStreak() : h.openStreak() + 1;
        long duration = openingNanos(streak);
        return h.reopen(why, failures, streak, at + duration, duration);
    }

    /** How long the opening number {@code streak} of an unhealthy stretch lasts: backed off, capped, jittered. */
    private long openingNanos(int streak) {
        double grown = openNanos * Math.pow(config.backoffMultiplier(), streak);
        long capped = (long) Math.min(grown, maxOpenNanos);
        return Math.max(1, Jitter.shorten(capped, config.openJitter(), random));
    }

    /**
     * Records a success in the failure-rate window of the closed state {@code c} and opens the circuit if that
     * call brought the window to its minimum volume with too many failures.
     */
    private void recordSuccessInWindow(Closed c, long epoch) {
        long now = ticker.read();
        c.window().record(now, false);
        for (BreakerState s = c; s instanceof Closed current && current.epoch() == epoch
                && failureRateExceeded(current, now); s = state) {
            Open next = opened(current, Transition.FAILURE_RATE_EXCEEDED, now, current.consecutiveFailures());
            if (STATE.compareAndSet(this, current, next)) {
                notifyListeners(next, now);
                return;
            }
        }
    }

    private boolean failureRateExceeded(Closed c, long now) {
        return c.window() != null && c.window().exceeds(now, failureRateThreshold, failureRateMinimumCalls);
    }

    private FailureRateWindow newWindow(long now) {
        return config.failureRate().map(trigger -> new FailureRateWindow(trigger, now)).orElse(null);
    }

    /** A failure of {@code kind} made {@code after}: counted in the streak, which it starts if it is the first. */
    private void countInStreak(BreakerState after, String kind) {
        if (after.consecutiveFailures() == 1) {
            streak.restart();
        }
        streak.record(kind);
    }

    private List<FailureCount> failureKinds(BreakerState s) {
        return s.consecutiveFailures() == 0 ? List.of() : streak.counts();
    }

    /**
     * Remembers how {@code after} was entered (for status), then tells the listeners of the transition that
     * built it, which happened at {@code at}.
     */
    private void notifyListeners(BreakerState after, long at) {
        Transition transition = after.cause();
        Entered now = new Entered(transition, at, after.epoch());
        // Two transitions made by different threads may get here in either order: the later state wins.
        for (Entered before = entered; before.epoch < now.epoch; before = entered) {
            if (ENTERED.compareAndSet(this, before, now)) {
                break;
            }
        }
        if (listeners.isEmpty()) {
            return;
        }
        TransitionEvent event = new TransitionEvent(name, transition, at, after.consecutiveFailures(),
                Duration.ofNanos(after instanceof Open ? after.lastOpenNanos() : 0), after.timesOpened(),
                failureKinds(after));
        for (CircuitBreakerListener listener : listeners) {
            try {
                listener.onTransition(event);
            } catch (RuntimeException e) {
                LOG.log(System.Logger.Level.WARNING, "listener of circuit breaker " + name + " threw on "
                        + transition.describe() + "; ignored", e);
            }
        }
    }

    private static long permit(long epoch, int trial) {
        return (epoch << TRIAL_BITS) | trial;
    }

    private static long epochOf(long permit) {
        if (permit < 0) {
            throw new IllegalArgumentException("permit: " + permit + " (expected: a permit granted by tryAcquire)");
        }
        return permit >>> TRIAL_BITS;
    }

    private static int trialOf(long permit) {
        return (int) (permit & TRIAL_MASK);
    }

    /** The core's pool and health checker reach the package-private operations through this. */
    private static final class Access extends BreakerAccess {
        @Override
        public long tryAcquireProbe(CircuitBreaker breaker) {
            return breaker.tryAcquireProbe();
        }

        @Override
        public long tryAcquireAsLastResort(CircuitBreaker breaker) {
            return breaker.tryAcquireAsLastResort();
        }

        @Override
        public boolean onHealthRecovered(CircuitBreaker breaker) {
            return breaker.onHealthRecovered();
        }

        @Override
        public boolean isTrial(long permit) {
            return CircuitBreaker.isTrial(permit);
        }
    }
}
