package io.healthyproxy.core;

import io.healthyproxy.core.breaker.CircuitBreakerConfig;
import io.healthyproxy.core.breaker.CircuitBreakerListener;
import io.healthyproxy.core.health.HealthCheckConfig;
import io.healthyproxy.core.health.HealthListener;
import io.healthyproxy.core.internal.Require;
import io.healthyproxy.core.spi.Prober;
import io.healthyproxy.core.time.Jitter;
import io.healthyproxy.core.time.Scheduler;
import io.healthyproxy.core.time.Ticker;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Predicate;
import java.util.random.RandomGenerator;

/**
 * A group of interchangeable backends, wired once: a breaker and a health tracker per backend, the listeners,
 * the pool and its balancer, the active health checks and the slowness comparison among the backends. The
 * HTTP proxy builds one per cluster, the Maelstrom node one for its peers, and the client library one per
 * service; they differ only in the settings below. (The shape of Armeria's {@code HealthCheckedEndpointGroup}
 * and its builder.)
 *
 * <pre>{@code
 * BackendGroup group = BackendGroup.builder()
 *         .backend("api-1").backend("api-2", 2)
 *         .healthCheck(HealthCheckConfig.defaults(), (backend, timeout) -> ping(backend.id(), timeout))
 *         .scheduler(new ExecutorScheduler(executor))
 *         .build();
 * group.start();                          // health checks and slowness comparisons begin
 * Lease lease = group.pool().acquire();   // null: no backend admits traffic
 * ...
 * group.close();
 * }</pre>
 *
 * <h2>Defaults</h2>
 * The HTTP proxy's, so that a group behaves as a proxy's cluster does unless told otherwise: round robin;
 * {@link NoBackendPolicy#LAST_RESORT} when no backend admits traffic; {@link #DEFAULT_BREAKER} (5 failures,
 * 5 s open, growing to 5 min, a 15 s trial timeout); an open circuit half-opened as soon as the checks see its
 * backend come back; {@link SlownessConfig#DEFAULTS}; no slow start; no active checks unless a prober is given.
 * The Maelstrom node sets the seed's instead (30 s open, fail fast, no early half-open, no slowness).
 *
 * <h2>Replacing a group: a reload</h2>
 * A group's backends are fixed. When they change (a reload, an answer from DNS), build the group that replaces
 * it with {@link Builder#succeeding}: what did not change is carried over whole (each unchanged backend with its
 * circuit, health verdict, ramp and listeners; the running health checks), the rest is new, and
 * {@link #start()} of the successor hands over: the old group's checks of backends that left stop, its
 * comparisons end. Requests still leased from the old group's backends finish normally.
 *
 * <p>Thread-safe. Time is the given {@link Ticker}, and every task (checks, timeouts, comparisons) runs on the
 * given {@link Scheduler}: nothing here starts a thread.
 */
public final class BackendGroup implements AutoCloseable {

    /**
     * The breaker of the HTTP proxy and the client library: the seed's 5 failures, but 5 s open rather than
     * 30 s (HAProxy's and Envoy's ejections last seconds, not half a minute: with backoff, a backend that keeps
     * failing is still out for minutes), and a 15 s trial timeout, half the per-try timeout's 30 s.
     */
    public static final CircuitBreakerConfig DEFAULT_BREAKER = CircuitBreakerConfig.builder()
            .openDuration(Duration.ofSeconds(5)).trialTimeout(Duration.ofSeconds(15)).build();
    /** When no backend admits traffic: {@link NoBackendPolicy#LAST_RESORT}, the HTTP proxy's default. */
    public static final NoBackendPolicy DEFAULT_WHEN_NONE_ADMITS = NoBackendPolicy.LAST_RESORT;

    private final BackendPool pool;
    private final ActiveHealthChecker checker;
    private final SlowBackendDetector slowness;
    private final Scheduler scheduler;
    /** What each backend was built from: an unchanged backend is carried over only into a group of the same. */
    private final Recipe recipe;
    private final Prober prober;
    /** The group this one replaces, until {@link #start()} takes over from it. Guarded by {@code this}. */
    private BackendGroup predecessor;
    /** Whether a successor now runs this group's health checker (so closing this one must leave it running). */
    private volatile boolean checkerHandedOver;
    private volatile boolean started;
    private volatile boolean closed;

    private BackendGroup(Builder b, List<Backend> kept, List<Backend> joining) {
        // A backend joining a running group is added to its pool, which starts its slow start; at first build
        // every backend is there from the start.
        this.pool = new BackendPool(kept, b.balancing.create(b.random), b.whenNoneAdmits);
        joining.forEach(pool::add);
        this.scheduler = b.scheduler;
        this.recipe = b.recipe();
        this.prober = b.prober;
        this.predecessor = b.previous;
        BackendGroup previous = b.previous;
        boolean sameChecks = previous != null && previous.checker != null && previous.prober == b.prober
                && previous.recipe.healthCheck().equals(recipe.healthCheck());
        this.checker = b.prober == null ? null
                : sameChecks ? previous.checker
                : new ActiveHealthChecker(b.healthCheck, b.prober, b.scheduler, b.ticker, b.random);
        this.slowness = b.slowness.enabled()
                ? new SlowBackendDetector(b.slowness, pool::backends, b.ticker, b.ejectionListener) : null;
    }

    /** The settings every backend of a group is built from, besides its id and weight. */
    private record Recipe(CircuitBreakerConfig breaker, boolean halfOpenOnHealthRecovery,
            HealthCheckConfig healthCheck, Duration slowStart, Duration latencyWindow) {
    }

    /** @return a builder with the defaults above and no backends */
    public static Builder builder() {
        return new Builder();
    }

    /** @return the pool that chooses among the backends */
    public BackendPool pool() {
        return pool;
    }

    /** @return every backend, in the order they were given */
    public List<Backend> backends() {
        return pool.backends();
    }

    /**
     * @param id a backend's id
     * @return that backend, if it is in the group
     */
    public Optional<Backend> find(String id) {
        return pool.find(id);
    }

    /** @return whether the group's backends are checked actively (a prober was given) */
    public boolean isHealthChecked() {
        return checker != null;
    }

    /**
     * Starts the active health checks (each backend's first at a random point within the first interval) and
     * the slowness comparisons. Idempotent.
     */
    public synchronized void start() {
        if (started || closed) {
            return;
        }
        started = true;
        if (predecessor != null) {
            predecessor.handOverTo(this);
            predecessor = null;
        }
        if (checker != null) {
            pool.backends().forEach(checker::watch);
        }
        if (slowness != null) {
            compareSlownessLater();
        }
    }

    private void compareSlownessLater() {
        scheduler.schedule(slowness.config().interval(), () -> {
            if (!closed) {
                slowness.evaluate();
                compareSlownessLater();
            }
        });
    }

    /**
     * Ends this group in favour of {@code successor}: its comparisons stop; its health checker stops, or, when the
     * successor runs the same one, stops checking only the backends the successor does not have.
     */
    private synchronized void handOverTo(BackendGroup successor) {
        closed = true;
        if (checker == null) {
            return;
        }
        if (successor.checker == checker) {
            checkerHandedOver = true;
            pool.backends().stream().filter(b -> !successor.pool.backends().contains(b)).forEach(checker::unwatch);
        } else {
            checker.close();
        }
    }

    /**
     * Stops checking and comparing; a check under way finishes unheeded. Calls still leased finish normally. A group
     * already replaced by a started successor leaves the checks it handed over running.
     */
    @Override
    public synchronized void close() {
        closed = true;
        if (checker != null && !checkerHandedOver) {
            checker.close();
        }
    }

    /**
     * The backend to carry over into a successor as it is, if there is one: same id and weight, built from the
     * same settings, and the successor's caller agrees.
     */
    private Backend carriedOver(String id, int weight, Recipe next, Predicate<String> mayKeep) {
        return pool.find(id).filter(b -> b.weight() == weight && recipe.equals(next) && mayKeep.test(id))
                .orElse(null);
    }

    @Override
    public String toString() {
        return "BackendGroup" + pool.backends();
    }

    /** Builds a {@link BackendGroup}; each setter checks its value. Not thread-safe. */
    public static final class Builder {
        private final Map<String, Integer> backends = new LinkedHashMap<>();
        private Balancing balancing = Balancing.ROUND_ROBIN;
        private NoBackendPolicy whenNoneAdmits = DEFAULT_WHEN_NONE_ADMITS;
        private CircuitBreakerConfig breaker = DEFAULT_BREAKER;
        private boolean halfOpenOnHealthRecovery = true;
        private HealthCheckConfig healthCheck = HealthCheckConfig.defaults();
        private Prober prober;
        private Duration slowStart = Duration.ZERO;
        private SlownessConfig slowness = SlownessConfig.DEFAULTS;
        private Scheduler scheduler;
        private Ticker ticker = Ticker.system();
        private RandomGenerator random = Jitter.threadLocalRandom();
        private final List<CircuitBreakerListener> circuitListeners = new ArrayList<>();
        private final List<HealthListener> healthListeners = new ArrayList<>();
        private SlowBackendDetector.Listener ejectionListener = (backend, ejection) -> { };
        private BackendGroup previous;
        private Predicate<String> mayKeep = id -> true;

        private Builder() {
        }

        /**
         * Makes the group a successor of {@code previous} (see the class comment, "Replacing a group"). A
         * backend of {@code previous} is carried over whole when the new group has one of the same id and weight,
         * built from the same breaker, health-check, slow-start and latency-window settings, and {@code mayKeep}
         * says yes to its id (the caller's own test: in the proxy, that its address is unchanged); every other
         * backend is new, and joins with slow start, if that is on. The health checks carry over when the same
         * {@link Prober} instance and the same check settings are given. Listeners given here reach only the new
         * backends: carried-over ones keep theirs.
         *
         * @param previous the group being replaced; it keeps running until the new group starts
         * @param mayKeep  whether a backend of that id may be carried over, as far as the caller is concerned
         * @return this builder
         */
        public Builder succeeding(BackendGroup previous, Predicate<String> mayKeep) {
            this.previous = Objects.requireNonNull(previous, "previous");
            this.mayKeep = Objects.requireNonNull(mayKeep, "mayKeep");
            return this;
        }

        /**
         * Adds a backend of weight 1.
         *
         * @param id names the backend, its breaker and its health tracker; unique within the group
         * @return this builder
         */
        public Builder backend(String id) {
            return backend(id, Backend.DEFAULT_WEIGHT);
        }

        /**
         * Adds a backend.
         *
         * @param id     names the backend; unique within the group
         * @param weight its share relative to the others: 1..{@value Backend#MAX_WEIGHT}
         * @return this builder
         */
        public Builder backend(String id, int weight) {
            Objects.requireNonNull(id, "id");
            Require.inRange("weight", weight, 1, Backend.MAX_WEIGHT);
            if (backends.putIfAbsent(id, weight) != null) {
                throw Require.invalid("backend", id, "unique ids; '" + id + "' was added twice");
            }
            return this;
        }

        /**
         * Adds backends of weight 1.
         *
         * @param ids their ids, each unique within the group
         * @return this builder
         */
        public Builder backends(Collection<String> ids) {
            ids.forEach(this::backend);
            return this;
        }

        /**
         * @param balancing how a backend is chosen (default round robin)
         * @return this builder
         */
        public Builder balancing(Balancing balancing) {
            this.balancing = Objects.requireNonNull(balancing, "balancing");
            return this;
        }

        /**
         * @param whenNoneAdmits what happens when no backend admits traffic (default
         *                       {@link NoBackendPolicy#LAST_RESORT})
         * @return this builder
         */
        public Builder whenNoneAdmits(NoBackendPolicy whenNoneAdmits) {
            this.whenNoneAdmits = Objects.requireNonNull(whenNoneAdmits, "whenNoneAdmits");
            return this;
        }

        /**
         * @param breaker each backend's breaker (default {@link BackendGroup#DEFAULT_BREAKER})
         * @return this builder
         */
        public Builder breaker(CircuitBreakerConfig breaker) {
            this.breaker = Objects.requireNonNull(breaker, "breaker");
            return this;
        }

        /**
         * Whether the active checks seeing a backend come back end its circuit's opening early (default on, as in
         * the HTTP proxy; see {@link Backend.Builder#halfOpenOnHealthRecovery}).
         *
         * @param halfOpenOnHealthRecovery on or off
         * @return this builder
         */
        public Builder halfOpenOnHealthRecovery(boolean halfOpenOnHealthRecovery) {
            this.halfOpenOnHealthRecovery = halfOpenOnHealthRecovery;
            return this;
        }

        /**
         * Turns on active health checks.
         *
         * @param healthCheck their schedule and thresholds
         * @param prober      the transport's half: sends one check to one backend
         * @return this builder
         */
        public Builder healthCheck(HealthCheckConfig healthCheck, Prober prober) {
            this.healthCheck = Objects.requireNonNull(healthCheck, "healthCheck");
            this.prober = Objects.requireNonNull(prober, "prober");
            return this;
        }

        /**
         * The health verdict's thresholds without active checks of the group's own (verdicts recorded from
         * elsewhere, or none: every backend stays as it started).
         *
         * @param healthCheck the thresholds and whether backends start healthy
         * @return this builder
         */
        public Builder healthCheck(HealthCheckConfig healthCheck) {
            this.healthCheck = Objects.requireNonNull(healthCheck, "healthCheck");
            this.prober = null;
            return this;
        }

        /**
         * @param window how long a backend that joins or comes back ramps up to its full weight (default 0:
         *               off, as in Envoy, HAProxy and NGINX)
         * @return this builder
         */
        public Builder slowStart(Duration window) {
            this.slowStart = Require.notNegative("slowStart", window);
            return this;
        }

        /**
         * @param slowness when a backend is ejected for being far slower than the others (default
         *                 {@link SlownessConfig#DEFAULTS}; {@link SlownessConfig#OFF} never)
         * @return this builder
         */
        public Builder slowness(SlownessConfig slowness) {
            this.slowness = Objects.requireNonNull(slowness, "slowness");
            return this;
        }

        /**
         * @param scheduler where checks, their timeouts and the slowness comparisons run; required when either is
         *                  on. {@code new ExecutorScheduler(executor)} in production, a
         *                  {@code VirtualTimeScheduler} in tests
         * @return this builder
         */
        public Builder scheduler(Scheduler scheduler) {
            this.scheduler = Objects.requireNonNull(scheduler, "scheduler");
            return this;
        }

        /**
         * @param ticker the clock of every breaker, check and comparison (default {@link Ticker#system()})
         * @return this builder
         */
        public Builder ticker(Ticker ticker) {
            this.ticker = Objects.requireNonNull(ticker, "ticker");
            return this;
        }

        /**
         * @param random the breakers' jitter, the balancer's and the checks' (default
         *               {@link Jitter#threadLocalRandom()}; seeded in tests and the simulator)
         * @return this builder
         */
        public Builder random(RandomGenerator random) {
            this.random = Objects.requireNonNull(random, "random");
            return this;
        }

        /**
         * @param listener told of every backend's circuit transitions
         * @return this builder
         */
        public Builder circuitListener(CircuitBreakerListener listener) {
            circuitListeners.add(Objects.requireNonNull(listener, "listener"));
            return this;
        }

        /**
         * @param listener told of every backend's health flips
         * @return this builder
         */
        public Builder healthListener(HealthListener listener) {
            healthListeners.add(Objects.requireNonNull(listener, "listener"));
            return this;
        }

        /**
         * @param listener told of each ejection for slowness
         * @return this builder
         */
        public Builder ejectionListener(SlowBackendDetector.Listener listener) {
            this.ejectionListener = Objects.requireNonNull(listener, "listener");
            return this;
        }

        /**
         * Builds the group; nothing runs until {@link BackendGroup#start()}.
         *
         * @return the group
         * @throws IllegalArgumentException if checks or slowness are on without a scheduler
         */
        public BackendGroup build() {
            if (scheduler == null && (prober != null || slowness.enabled())) {
                throw Require.invalid("scheduler", "none", "a Scheduler, since "
                        + (prober != null ? "health checks are on" : "slowness is judged (or slowness(OFF))"));
            }
            Recipe recipe = recipe();
            List<Backend> kept = new ArrayList<>(backends.size());
            List<Backend> joining = new ArrayList<>();
            backends.forEach((id, weight) -> {
                Backend carried = previous == null ? null : previous.carriedOver(id, weight, recipe, mayKeep);
                if (carried != null) {
                    kept.add(carried);
                } else {
                    (previous == null ? kept : joining).add(newBackend(id, weight));
                }
            });
            return new BackendGroup(this, kept, joining);
        }

        private Recipe recipe() {
            return new Recipe(breaker, halfOpenOnHealthRecovery, healthCheck, slowStart, slowness.window());
        }

        private Backend newBackend(String id, int weight) {
            Backend backend = Backend.builder(id).weight(weight).slowStart(slowStart).breaker(breaker)
                    .healthCheck(healthCheck).halfOpenOnHealthRecovery(halfOpenOnHealthRecovery).ticker(ticker)
                    .random(random).latencyWindow(slowness.window()).build();
            circuitListeners.forEach(backend.breaker()::addListener);
            healthListeners.forEach(backend.health()::addListener);
            return backend;
        }
    }
}
