package io.healthyproxy.core;

import io.healthyproxy.core.breaker.CircuitBreaker;
import io.healthyproxy.core.breaker.CircuitBreakerConfig;
import io.healthyproxy.core.health.HealthCheckConfig;
import io.healthyproxy.core.health.HealthTracker;
import io.healthyproxy.core.stats.RecentLatencies;
import io.healthyproxy.core.time.Ticker;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;
import java.util.random.RandomGenerator;

/**
 * One backend: its circuit breaker (passive and active evidence), its active-health verdict, and its load.
 *
 * <p>A backend takes traffic when it is healthy by active checks <em>and</em> its circuit admits calls <em>and</em>
 * it is not ejected for being much slower than its peers: the gates answer different questions. Active checks ask "does it answer a probe?" with rise/fall
 * hysteresis; the breaker asks "do real calls to it succeed?" and backs off from a backend that keeps failing.
 * Probe results feed the breaker too, so a backend that fails its probes opens its circuit even with no
 * traffic at all. Slowness is judged apart from failure ({@link SlowBackendDetector}): a slow backend is not a
 * broken one, and load that slows every backend must not open circuits.
 *
 * <p>The backend knows nothing of how it is reached: each face (the Maelstrom node, the HTTP proxy) keeps
 * its own address for {@link #id()}. Thread-safe.
 */
public final class Backend {

    private final String id;
    private final CircuitBreaker breaker;
    private final HealthTracker health;
    private final Ticker ticker;
    private final RecentLatencies latencies;
    /** The current or last ejection for slowness; null if never ejected. */
    private volatile Ejection ejection;
    private final AtomicInteger inFlight = new AtomicInteger();
    private final LongAdder succeeded = new LongAdder();
    private final LongAdder failed = new LongAdder();

    public Backend(String id, CircuitBreaker breaker, HealthTracker health) {
        this(id, breaker, health, Ticker.system(), SlownessConfig.DEFAULTS.window());
    }

    /**
     * @param ticker        the clock of ejections and recent latencies
     * @param latencyWindow the span of {@link #latencies()}: what {@link SlowBackendDetector} compares
     */
    public Backend(String id, CircuitBreaker breaker, HealthTracker health, Ticker ticker, Duration latencyWindow) {
        this.id = Objects.requireNonNull(id, "id");
        this.breaker = Objects.requireNonNull(breaker, "breaker");
        this.health = Objects.requireNonNull(health, "health");
        this.ticker = Objects.requireNonNull(ticker, "ticker");
        this.latencies = new RecentLatencies(latencyWindow, ticker);
        if (breaker.config().halfOpenOnHealthRecovery()) {
            // A recovery seen by active checks lets a trial happen now rather than after a backed-off wait.
            health.addListener((name, status) -> {
                if (status.healthy()) {
                    breaker.onHealthRecovered();
                }
            });
        }
    }

    /** A backend with a breaker and a health tracker of its own, both named {@code id}. */
    public static Backend create(String id, CircuitBreakerConfig breakerConfig, HealthCheckConfig healthConfig,
            Ticker ticker, RandomGenerator random) {
        return new Backend(id, new CircuitBreaker(id, breakerConfig, ticker, random), new HealthTracker(id, healthConfig),
                ticker, SlownessConfig.DEFAULTS.window());
    }

    public String id() {
        return id;
    }

    public CircuitBreaker breaker() {
        return breaker;
    }

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

    void eject(Ejection e) {
        ejection = e;
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

    public BackendStatus status() {
        return new BackendStatus(id, admitsTraffic(), breaker.snapshot(), health.status(), ejection(), inFlight(),
                succeeded(), failed());
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
}
