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
    private volatile boolean started;
    private volatile boolean closed;

    private BackendGroup(Builder b, List<Backend> backends) {
        this.pool = new BackendPool(backends, b.balancing.create(b.random), b.whenNoneAdmits);
        this.scheduler = b.scheduler;
        this.checker = b.prober == null ? null
                : new ActiveHealthChecker(b.healthCheck, b.prober, b.scheduler, b.ticker, b.random);
        this.slowness = b.slowness.enabled()
                ? new SlowBackendDetector(b.slowness, pool::backends, b.ticker, b.ejectionListener) : null;
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

    /** Stops checking and comparing; a check under way finishes unheeded. Calls still leased finish normally. */
    @Override
    public void close() {
        closed = true;
        if (checker != null) {
            checker.close();
        }
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

        private Builder() {
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
            List<Backend> built = new ArrayList<>(backends.size());
            backends.forEach((id, weight) -> {
                Backend backend = Backend.builder(id).weight(weight).slowStart(slowStart).breaker(breaker)
                        .healthCheck(healthCheck).halfOpenOnHealthRecovery(halfOpenOnHealthRecovery).ticker(ticker)
                        .random(random).latencyWindow(slowness.window()).build();
                circuitListeners.forEach(backend.breaker()::addListener);
                healthListeners.forEach(backend.health()::addListener);
                built.add(backend);
            });
            return new BackendGroup(this, built);
        }
    }
}
