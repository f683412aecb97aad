package io.healthyproxy.core;

import io.healthyproxy.core.breaker.CircuitBreaker;
import io.healthyproxy.core.breaker.CircuitBreakerConfig;
import io.healthyproxy.core.health.HealthCheckConfig;
import io.healthyproxy.core.health.HealthTracker;
import io.healthyproxy.core.time.Ticker;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;
import java.util.random.RandomGenerator;

/**
 * One backend: its circuit breaker (passive and active evidence), its active-health verdict, and its load.
 *
 * <p>A backend takes traffic when it is healthy by active checks <em>and</em> its circuit admits calls: the
 * two gates answer different questions. Active checks ask "does it answer a probe?" with rise/fall
 * hysteresis; the breaker asks "do real calls to it succeed?" and backs off from a backend that keeps failing.
 * Probe results feed the breaker too, so a backend that fails its probes opens its circuit even with no
 * traffic at all.
 *
 * <p>The backend knows nothing of how it is reached: each face (the Maelstrom node, the HTTP proxy) keeps
 * its own address for {@link #id()}. Thread-safe.
 */
public final class Backend {

    private final String id;
    private final CircuitBreaker breaker;
    private final HealthTracker health;
    private final AtomicInteger inFlight = new AtomicInteger();
    private final LongAdder succeeded = new LongAdder();
    private final LongAdder failed = new LongAdder();

    public Backend(String id, CircuitBreaker breaker, HealthTracker health) {
        this.id = Objects.requireNonNull(id, "id");
        this.breaker = Objects.requireNonNull(breaker, "breaker");
        this.health = Objects.requireNonNull(health, "health");
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
        return new Backend(id, new CircuitBreaker(id, breakerConfig, ticker, random), new HealthTracker(id, healthConfig));
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

    /** Whether a call would be admitted now: healthy, and the circuit admits. Takes no permit. */
    public boolean admitsTraffic() {
        return health.isHealthy() && breaker.admitsTraffic();
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
        return new BackendStatus(id, admitsTraffic(), breaker.snapshot(), health.status(), inFlight(), succeeded(),
                failed());
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
