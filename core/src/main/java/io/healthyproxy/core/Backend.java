package io.healthyproxy.core;

import io.healthyproxy.core.breaker.CircuitBreaker;
import io.healthyproxy.core.breaker.CircuitBreakerConfig;
import io.healthyproxy.core.breaker.CircuitState;
import io.healthyproxy.core.health.HealthCheckConfig;
import io.healthyproxy.core.health.HealthTracker;
import io.healthyproxy.core.internal.BreakerAccess;
import io.healthyproxy.core.internal.Require;
import io.healthyproxy.core.stats.RecentLatencies;
import io.healthyproxy.core.time.Jitter;
import io.healthyproxy.core.time.Ticker;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;
import java.util.random.RandomGenerator;

/**
 * One backend: its circuit breaker (passive and active evidence), its active-health verdict, its weight, and
 * its load.
 *
 * <p>A backend takes traffic when it is healthy by active checks <em>and</em> its circuit admits calls
 * <em>and</em> it is not ejected for being far slower than its peers: the gates answer different questions.
 * Active checks ask "does it answer a probe?" with rise/fall hysteresis; the breaker asks "do real calls to it
 * succeed?" and backs off from a backend that keeps failing. Probe results feed the breaker too, so a backend
 * that fails its probes opens its circuit even with no traffic at all. Slowness is judged apart from failure
 * ({@link SlowBackendDetector}, on {@link #latencies()}): a slow backend is not a broken one, and load that
 * slows every backend must not open circuits.
 *
 * <p>Its {@linkplain #weight() weight} (default 1) sets its share among the backends of its pool. With a slow
 * start window, a backend that joins a pool ({@link BackendPool#add}) or comes back (its circuit closes after
 * having opened, or its health checks pass again after failing) gets 10% of its weight at first, rising
 * linearly to all of it over the window ({@link #slowStartFactor()}); backends present when a pool is built do
 * not ramp, as in HAProxy, since ramping all of them together changes nothing.
 *
 * <pre>{@code
 * Backend api2 = Backend.builder("api-2").weight(2).slowStart(Duration.ofSeconds(30))
 *         .breaker(breakerConfig).healthCheck(healthConfig).ticker(ticker).build();
 * }</pre>
 *
 * <p>The backend knows nothing of how it is reached: each face (the Maelstrom node, the HTTP proxy) keeps
 * its own address for {@link #id()}. Thread-safe.
 */
public final class Backend {

    /** A backend's weight unless told otherwise: every backend an equal share. */
    public static final int DEFAULT_WEIGHT = 1;
    /**
     * The largest weight: enough for a canary at a thousandth of a big backend's share, while keeping the
     * round-robin schedule (one entry per unit of weight, after dividing by the weights' common divisor) small.
     * HAProxy allows 256, Envoy 128.
     */
    public static final int MAX_WEIGHT = 1000;

    private final String id;
    private final int weight;
    private final CircuitBreaker breaker;
    private final HealthTracker health;
    private final SlowStart slowStart;
    private final Ticker ticker;
    private final RecentLatencies latencies;
    /** The current or last ejection for slowness; null if never ejected. */
    private volatile Ejection ejection;
    private final AtomicInteger inFlight = new AtomicInteger();
    private final LongAdder succeeded = new LongAdder();
    private final LongAdder failed = new LongAdder();

    private Backend(String id, int weight, CircuitBreaker breaker, HealthTracker health, SlowStart slowStart,
            Ticker ticker, Duration latencyWindow, boolean halfOpenOnHealthRecovery) {
        this.id = Objects.requireNonNull(id, "id");
        this.weight = Require.inRange("weight", weight, 1, MAX_WEIGHT);
        this.breaker = Objects.requireNonNull(breaker, "breaker");
        this.health = Objects.requireNonNull(health, "health");
        this.slowStart = slowStart;
        this.ticker = Objects.requireNonNull(ticker, "ticker");
        this.latencies = new RecentLatencies(latencyWindow, ticker);
        if (halfOpenOnHealthRecovery) {
            // A recovery seen by active checks lets a trial happen now rather than after a backed-off wait.
            BreakerAccess breakers = BreakerAccess.get();
            health.addListener((name, status) -> {
                if (status.healthy()) {
                    breakers.onHealthRecovered(breaker);
                }
            });
        }
        if (slowStart.enabled()) {
            health.addListener((name, status) -> {
                if (status.healthy()) {
                    slowStart.begin();
                }
            });
            breaker.addListener(event -> {
                if (event.from() == CircuitState.HALF_OPEN && event.to() == CircuitState.CLOSED) {
                    slowStart.begin(event.atNanos());
                }
            });
        }
    }

    /**
     * A backend with a breaker and a health tracker of its own, both named {@code id}; weight 1, no slow start,
     * no early half-open on recovery.
     *
     * @param id            names the backend, its breaker and its health tracker
     * @param breakerConfig its breaker's config
     * @param healthConfig  its health tracker's config
     * @param ticker        the clock of its breaker
     * @param random        its breaker's jitter
     * @return the backend
     */
    public static Backend create(String id, CircuitBreakerConfig breakerConfig, HealthCheckConfig healthConfig,
            Ticker ticker, RandomGenerator random) {
        return builder(id).breaker(breakerConfig).healthCheck(healthConfig).ticker(ticker).random(random).build();
    }

    /** A builder of a backend named {@code id}, with the defaults each setter names. */
    public static Builder builder(String id) {
        return new Builder(id);
    }

    /** @return its id, which also names its breaker and health tracker */
    public String id() {
        return id;
    }

    /** Its share relative to the other backends of its pool: 1..{@value #MAX_WEIGHT}. */
    public int weight() {
        return weight;
    }

    /**
     * The share of its weight this backend gets now: 1 unless it is in slow start, then from 0.1 at the start
     * of the window up to 1 at its end. The balancers use {@code weight() * slowStartFactor()}.
     */
    public double slowStartFactor() {
        return slowStart.factor();
    }

    /** {@link #weight()} times {@link #slowStartFactor()}: the weight the balancers use now. */
    public double effectiveWeight() {
        return weight * slowStart.factor();
    }

    /** Starts its slow start now (a no-op when it has none): {@link BackendPool#add} calls it. */
    void beginSlowStart() {
        slowStart.begin();
    }

    /** @return its circuit breaker, fed by every call made through a {@link Lease} */
    public CircuitBreaker breaker() {
        return breaker;
    }

    /** @return its health tracker, fed by active checks */
    public HealthTracker health() {
        return health;
    }

    /** Whether a call would be admitted now: healthy, the circuit admits, not ejected. Takes no permit. */
    public boolean admitsTraffic() {
        return health.isHealthy() && breaker.admitsTraffic() && !isEjected();
    }

    /**
     * Records how long a call took to be answered (or, for one overtaken by a hedge or timed out, how long it
     * had waited): what slowness is judged on.
     */
    public void recordLatency(long nanos) {
        latencies.record(nanos);
    }

    /** This backend's recent answer times. */
    public RecentLatencies latencies() {
        return latencies;
    }

    /** Whether it is ejected for slowness now. */
    public boolean isEjected() {
        Ejection e = ejection;
        return e != null && ticker.read() - e.untilNanos() < 0;
    }

    /** The ejection in force now, or null. */
    public Ejection ejection() {
        Ejection e = ejection;
        return e != null && ticker.read() - e.untilNanos() < 0 ? e : null;
    }

    /** The last ejection, over or not; null if it never was ejected. */
    Ejection lastEjection() {
        return ejection;
    }

    /** Ejects it for slowness; with slow start, it ramps up again when the ejection ends. */
    void eject(Ejection e) {
        ejection = e;
        slowStart.begin(e.untilNanos());
    }

    /** Calls leased to this backend that have not finished. */
    public int inFlight() {
        return inFlight.get();
    }

    /** Calls that finished successfully. */
    public long succeeded() {
        return succeeded.sum();
    }

    /** Calls that failed by the backend's fault. */
    public long failed() {
        return failed.sum();
    }

    /** @return a consistent view of it now, for status pages and metrics */
    public BackendStatus status() {
        return new BackendStatus(id, admitsTraffic(), breaker.snapshot(), health.status(), ejection(), inFlight(),
                succeeded(), failed(), weight, slowStartFactor());
    }

    void leaseStarted() {
        inFlight.incrementAndGet();
    }

    void leaseEnded(Outcome outcome) {
        inFlight.decrementAndGet();
        switch (outcome) {
            case SUCCESS -> succeeded.increment();
            case FAILURE -> failed.increment();
            case RELEASED -> { }
        }
    }

    @Override
    public String toString() {
        return "Backend[" + id + "]";
    }

    enum Outcome { SUCCESS, FAILURE, RELEASED }

    /** Builds a {@link Backend}; each setter checks its value. Not thread-safe. */
    public static final class Builder {
        private final String id;
        private int weight = DEFAULT_WEIGHT;
        private Duration slowStart = Duration.ZERO;
        private CircuitBreakerConfig breaker = CircuitBreakerConfig.defaults();
        private HealthCheckConfig healthCheck = HealthCheckConfig.defaults();
        private Ticker ticker = Ticker.system();
        private RandomGenerator random = Jitter.threadLocalRandom();
        private Duration latencyWindow = SlownessConfig.DEFAULTS.window();
        private boolean halfOpenOnHealthRecovery;

        private Builder(String id) {
            this.id = Objects.requireNonNull(id, "id");
        }

        /** Default {@value Backend#DEFAULT_WEIGHT}; 1..{@value Backend#MAX_WEIGHT}. */
        public Builder weight(int weight) {
            this.weight = Require.inRange("weight", weight, 1, MAX_WEIGHT);
            return this;
        }

        /** The slow start window; default {@link Duration#ZERO}, off (as in Envoy, HAProxy and NGINX). */
        public Builder slowStart(Duration window) {
            this.slowStart = Require.notNegative("slowStart", window);
            return this;
        }

        /** Default {@link CircuitBreakerConfig#defaults()}. */
        public Builder breaker(CircuitBreakerConfig breaker) {
            this.breaker = Objects.requireNonNull(breaker, "breaker");
            return this;
        }

        /** Default {@link HealthCheckConfig#defaults()}. */
        public Builder healthCheck(HealthCheckConfig healthCheck) {
            this.healthCheck = Objects.requireNonNull(healthCheck, "healthCheck");
            return this;
        }

        /** The clock of its breaker, slow start and ejections; default {@link Ticker#system()}. */
        public Builder ticker(Ticker ticker) {
            this.ticker = Objects.requireNonNull(ticker, "ticker");
            return this;
        }

        /** Its breaker's jitter; default {@link Jitter#threadLocalRandom()}. */
        public Builder random(RandomGenerator random) {
            this.random = Objects.requireNonNull(random, "random");
            return this;
        }

        /** The span of recent answer times slowness is judged on; default {@link SlownessConfig#DEFAULTS}' window. */
        public Builder latencyWindow(Duration window) {
            this.latencyWindow = Require.positive("latencyWindow", window);
            return this;
        }

        /**
         * When the backend's active health checks see it come back (unhealthy, then healthy), an open circuit
         * goes half-open at once instead of waiting out an opening that backoff may have made long
         * ({@link io.healthyproxy.core.breaker.Transition#HEALTH_RECOVERED}); a real call is still the trial.
         * Off by default here, as in the seed's breaker and the Maelstrom node; a {@link BackendGroup} turns it
         * on by default, as the HTTP proxy does (Envoy's {@code successful_active_health_check_uneject_host}).
         *
         * @param halfOpenOnHealthRecovery whether a recovery seen by the checks ends an opening early
         * @return this builder
         */
        public Builder halfOpenOnHealthRecovery(boolean halfOpenOnHealthRecovery) {
            this.halfOpenOnHealthRecovery = halfOpenOnHealthRecovery;
            return this;
        }

        /** @return the backend, with a breaker and a health tracker of its own, both named after it */
        public Backend build() {
            return new Backend(id, weight, new CircuitBreaker(id, breaker, ticker, random),
                    new HealthTracker(id, healthCheck), SlowStart.of(slowStart, ticker), ticker, latencyWindow,
                    halfOpenOnHealthRecovery);
        }
    }
}
