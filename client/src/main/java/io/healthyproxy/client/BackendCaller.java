package io.healthyproxy.client;

import io.healthyproxy.core.Backend;
import io.healthyproxy.core.BackendGroup;
import io.healthyproxy.core.Balancing;
import io.healthyproxy.core.NoBackendPolicy;
import io.healthyproxy.core.SlowBackendDetector;
import io.healthyproxy.core.SlownessConfig;
import io.healthyproxy.core.breaker.CircuitBreakerConfig;
import io.healthyproxy.core.breaker.CircuitBreakerListener;
import io.healthyproxy.core.health.HealthCheckConfig;
import io.healthyproxy.core.health.HealthListener;
import io.healthyproxy.core.health.ProbeResult;
import io.healthyproxy.core.internal.Require;
import io.healthyproxy.core.retry.HedgeDelay;
import io.healthyproxy.core.retry.RetryBudget;
import io.healthyproxy.core.stats.RecentLatencies;
import io.healthyproxy.core.time.ExecutorScheduler;
import io.healthyproxy.core.time.Scheduler;
import io.healthyproxy.core.time.Ticker;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.function.BiFunction;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.function.Predicate;
import java.util.random.RandomGenerator;
import java.util.stream.Collectors;

/**
 * Health-aware client-side load balancing over backends of any kind ({@code T}: a JDBC {@code DataSource} per
 * replica, a gRPC channel per server, a Redis client per node): give it the backends, and per call a function
 * that sends the call to one of them; it chooses the backend, breaks circuits, checks health, retries on
 * another backend and hedges, exactly as the HTTP proxy does for its clusters, with the proxy's defaults.
 * {@link io.healthyproxy.client.http.HealthyHttpClient} is this around the JDK's {@code HttpClient}.
 *
 * <pre>{@code
 * BackendCaller<DataSource> replicas = BackendCaller.<DataSource>builder()
 *         .backend("replica-1", replica1).backend("replica-2", replica2)
 *         .healthCheck(HealthCheckConfig.defaults(), (ds, timeout) -> ping(ds, timeout))
 *         .build();
 * CompletableFuture<List<Row>> rows = replicas.call(ds -> CompletableFuture.supplyAsync(() -> query(ds), pool),
 *         jdbcClassifier, true);
 * }</pre>
 *
 * <h2>Per call</h2>
 * <ul>
 *   <li>The first try goes to a backend that admits traffic (healthy, circuit closed or a free half-open trial,
 *       not ejected for slowness); none: the call fails fast with {@link NoBackendException}.</li>
 *   <li>Each try's outcome is judged by the call's {@link Classifier}; a {@link Verdict#FAILURE} counts against
 *       its backend's breaker. A try that has not ended after the per-try timeout (default 30 s, as the
 *       proxy's {@code perTry}) is called off and counts on no breaker (slow is not broken).</li>
 *   <li>A repeatable call (idempotent: a read, a PUT) whose try failed or timed out is tried again on a backend
 *       not tried yet: at most {@code maxAttempts} tries (default 3), a retry taking a place in the retry
 *       budget (default: 20% of the calls in flight, or 10), as in the proxy and Envoy. A call that is not
 *       repeatable is tried again only when its error says nothing was sent ({@link Builder#notSent}), and then
 *       without a budget place: it adds no load.</li>
 *   <li>A repeatable call with no answer after the hedge delay (the 99th percentile of recent answer times,
 *       at least 20 ms) gets one copy on another backend; the first answer that is not a failure wins, and the
 *       other try is cancelled.</li>
 *   <li>The result of the try that decided is the call's, or its error; a failure's result when no further try
 *       could be made (a "503" answer, say) is the call's result too.</li>
 * </ul>
 *
 * <p>Time is injected: with a {@code ManualTicker} and a {@code VirtualTimeScheduler} ({@link Builder#ticker},
 * {@link Builder#scheduler}) a test drives timeouts, hedges, openings and health checks without sleeping.
 * Without a scheduler, the caller makes one daemon thread of its own, stopped by {@link #close()}.
 *
 * <p>Thread-safe.
 *
 * @param <T> the type of a backend: whatever a call needs to reach it
 */
public final class BackendCaller<T> implements AutoCloseable {

    private final BackendGroup group;
    private final Map<String, T> targets;
    private final RetryBudget budget;
    private final HedgeDelay hedgeDelay;
    private final int maxAttempts;
    private final long perTryNanos;
    private final boolean hedging;
    private final Predicate<Throwable> notSent;
    private final Consumer<Object> discard;
    private final Classifier<Object> classifier;
    private final Scheduler scheduler;
    private final Ticker ticker;
    private final ScheduledExecutorService ownExecutor;

    private BackendCaller(Builder<T> b, BackendGroup group, Scheduler scheduler, ScheduledExecutorService own) {
        this.group = group;
        this.targets = Map.copyOf(b.targets);
        this.budget = new RetryBudget(b.budgetRatio, b.budgetMinimum);
        this.hedgeDelay = new HedgeDelay(b.hedgeDelay, b.hedgeMinDelay, b.perTry,
                new RecentLatencies(Duration.ofSeconds(10), b.ticker), b.ticker);
        this.maxAttempts = b.maxAttempts;
        this.perTryNanos = b.perTry.toNanos();
        this.hedging = b.hedging;
        this.notSent = b.notSent;
        this.discard = b.discard;
        this.classifier = b.classifier;
        this.scheduler = scheduler;
        this.ticker = b.ticker;
        this.ownExecutor = own;
    }

    /**
     * @param <T> the type of a backend
     * @return a builder with the HTTP proxy's defaults and no backends
     */
    public static <T> Builder<T> builder() {
        return new Builder<>();
    }

    /**
     * A repeatable call, judged by the caller's classifier (default: errors are failures).
     *
     * @param <R>  the result type
     * @param send sends the call to the backend it is given
     * @return the call's result, or its error ({@link NoBackendException} when no backend admitted it)
     */
    @SuppressWarnings("unchecked")
    public <R> CompletableFuture<R> call(Function<? super T, ? extends CompletionStage<R>> send) {
        return call(send, (Classifier<? super R>) classifier, true);
    }

    /**
     * A call.
     *
     * @param <R>        the result type
     * @param send       sends the call to the backend it is given; may be called once per try
     * @param classifier judges each try's outcome
     * @param repeatable whether the call may be sent more than once (idempotent): retried after a failure and
     *                   hedged; if not, it is tried again only when nothing was sent
     * @return the call's result, or its error ({@link NoBackendException} when no backend admitted it)
     */
    public <R> CompletableFuture<R> call(Function<? super T, ? extends CompletionStage<R>> send,
            Classifier<? super R> classifier, boolean repeatable) {
        return new Call<>(this, Objects.requireNonNull(send, "send"), Objects.requireNonNull(classifier, "classifier"),
                repeatable).start();
    }

    /** @return the group of backends: the pool, each backend's breaker, health and status */
    public BackendGroup group() {
        return group;
    }

    /**
     * @param backend one of {@link #group()}'s backends
     * @return what was given for it
     */
    public T target(Backend backend) {
        return targets.get(backend.id());
    }

    /** @return the retry budget shared by this caller's calls */
    public RetryBudget budget() {
        return budget;
    }

    /** Stops the health checks and comparisons, and the caller's own thread if it made one. */
    @Override
    public void close() {
        group.close();
        if (ownExecutor != null) {
            ownExecutor.shutdownNow();
        }
    }

    @Override
    public String toString() {
        return "BackendCaller" + group.backends();
    }

    HedgeDelay hedgeDelay() {
        return hedgeDelay;
    }

    int maxAttempts() {
        return maxAttempts;
    }

    long perTryNanos() {
        return perTryNanos;
    }

    boolean hedging() {
        return hedging;
    }

    boolean notSent(Throwable error) {
        return notSent.test(error);
    }

    void discard(Object result) {
        try {
            discard.accept(result);
        } catch (RuntimeException ignored) {
            // Giving back a result nobody will read; nothing to do if that fails.
        }
    }

    Scheduler scheduler() {
        return scheduler;
    }

    Ticker ticker() {
        return ticker;
    }

    /** Why no backend admitted a call, backend by backend. */
    String describe() {
        return group.backends().stream().map(b -> b.id() + " " + (!b.health().isHealthy() ? "unhealthy"
                : b.isEjected() ? "ejected" : "circuit " + b.breaker().state().label()))
                .collect(Collectors.joining(", "));
    }

    /**
     * Builds a {@link BackendCaller}; each setter checks its value. Not thread-safe.
     *
     * @param <T> the type of a backend
     */
    public static final class Builder<T> {
        /** Tries per call, the first included: 3, the HTTP proxy's {@code retries.maxAttempts}. */
        public static final int DEFAULT_MAX_ATTEMPTS = 3;
        /** How long one try may take: 30 s, the HTTP proxy's {@code timeouts.perTry} (HAProxy's and NGINX's range). */
        public static final Duration DEFAULT_PER_TRY = Duration.ofSeconds(30);

        private final BackendGroup.Builder group = BackendGroup.builder();
        private final Map<String, T> targets = new LinkedHashMap<>();
        private BiFunction<? super T, Duration, ? extends CompletionStage<ProbeResult>> probe;
        private HealthCheckConfig healthCheck = HealthCheckConfig.defaults();
        private int maxAttempts = DEFAULT_MAX_ATTEMPTS;
        private Duration perTry = DEFAULT_PER_TRY;
        private double budgetRatio = RetryBudget.DEFAULT_RATIO;
        private int budgetMinimum = RetryBudget.DEFAULT_MIN_CONCURRENT;
        private boolean hedging = true;
        private Duration hedgeDelay;
        private Duration hedgeMinDelay = HedgeDelay.DEFAULT_MIN_DELAY;
        private Predicate<Throwable> notSent = error -> false;
        private Consumer<Object> discard = Builder::closeIfCloseable;
        private Classifier<Object> classifier = Classifier.errorsAreFailures();
        private Scheduler scheduler;
        private Ticker ticker = Ticker.system();

        private Builder() {
        }

        /**
         * Adds a backend of weight 1.
         *
         * @param id     names it in status, events and errors; unique
         * @param target what a call needs to reach it
         * @return this builder
         */
        public Builder<T> backend(String id, T target) {
            return backend(id, target, Backend.DEFAULT_WEIGHT);
        }

        /**
         * Adds a backend.
         *
         * @param id     names it; unique
         * @param target what a call needs to reach it
         * @param weight its share relative to the others: 1..{@value Backend#MAX_WEIGHT}
         * @return this builder
         */
        public Builder<T> backend(String id, T target, int weight) {
            group.backend(id, weight);
            targets.put(id, Objects.requireNonNull(target, "target"));
            return this;
        }

        /**
         * @param balancing how a backend is chosen (default round robin)
         * @return this builder
         */
        public Builder<T> balancing(Balancing balancing) {
            group.balancing(balancing);
            return this;
        }

        /**
         * @param whenNoneAdmits when no backend admits traffic (default {@link NoBackendPolicy#LAST_RESORT}, the
         *                       proxy's: backends passing their checks take calls as their circuits' trials)
         * @return this builder
         */
        public Builder<T> whenNoneAdmits(NoBackendPolicy whenNoneAdmits) {
            group.whenNoneAdmits(whenNoneAdmits);
            return this;
        }

        /**
         * @param breaker each backend's breaker (default {@link BackendGroup#DEFAULT_BREAKER}: 5 failures, 5 s open)
         * @return this builder
         */
        public Builder<T> breaker(CircuitBreakerConfig breaker) {
            group.breaker(breaker);
            return this;
        }

        /**
         * @param on whether health checks seeing a backend come back end its opening early (default on)
         * @return this builder
         */
        public Builder<T> halfOpenOnHealthRecovery(boolean on) {
            group.halfOpenOnHealthRecovery(on);
            return this;
        }

        /**
         * Turns on active health checks (default: none).
         *
         * @param config their schedule and thresholds
         * @param probe  checks one backend: completes with the result, or exceptionally (a failed check)
         * @return this builder
         */
        public Builder<T> healthCheck(HealthCheckConfig config,
                BiFunction<? super T, Duration, ? extends CompletionStage<ProbeResult>> probe) {
            this.healthCheck = Objects.requireNonNull(config, "config");
            this.probe = Objects.requireNonNull(probe, "probe");
            return this;
        }

        /**
         * @param window how long a backend that comes back ramps up to its full weight (default 0: off)
         * @return this builder
         */
        public Builder<T> slowStart(Duration window) {
            group.slowStart(window);
            return this;
        }

        /**
         * @param slowness when a backend is ejected for being far slower than the others (default on,
         *                 {@link SlownessConfig#DEFAULTS})
         * @return this builder
         */
        public Builder<T> slowness(SlownessConfig slowness) {
            group.slowness(slowness);
            return this;
        }

        /**
         * @param maxAttempts tries per call, the first included: 1..10 (default {@value #DEFAULT_MAX_ATTEMPTS})
         * @return this builder
         */
        public Builder<T> maxAttempts(int maxAttempts) {
            this.maxAttempts = Require.inRange("maxAttempts", maxAttempts, 1, 10);
            return this;
        }

        /**
         * @param perTry how long one try may take before it is called off (default 30 s); {@code > 0}
         * @return this builder
         */
        public Builder<T> perTryTimeout(Duration perTry) {
            this.perTry = Require.positive("perTry", perTry);
            return this;
        }

        /**
         * @param ratio   retries and hedges in flight may be this share of the calls in flight (default 0.2)...
         * @param minimum ...or this many, whichever is more (default 10)
         * @return this builder
         */
        public Builder<T> retryBudget(double ratio, int minimum) {
            this.budgetRatio = Require.inRange("retryBudget.ratio", ratio, 0.0, 10.0);
            this.budgetMinimum = Require.inRange("retryBudget.minimum", minimum, 0, 1_000_000);
            return this;
        }

        /**
         * @param hedging whether repeatable calls are hedged (default true)
         * @return this builder
         */
        public Builder<T> hedging(boolean hedging) {
            this.hedging = hedging;
            return this;
        }

        /**
         * @param delay a fixed hedge delay instead of the adaptive one; {@code > 0}
         * @return this builder
         */
        public Builder<T> hedgeDelay(Duration delay) {
            this.hedgeDelay = Require.positive("hedgeDelay", delay);
            return this;
        }

        /**
         * @param minDelay the adaptive hedge delay's floor (default 20 ms); {@code > 0}
         * @return this builder
         */
        public Builder<T> hedgeMinDelay(Duration minDelay) {
            this.hedgeMinDelay = Require.positive("hedgeMinDelay", minDelay);
            return this;
        }

        /**
         * @param notSent whether an error means the call reached no backend (a refused connection), so that even
         *                a call that is not repeatable may be tried elsewhere (default: never)
         * @return this builder
         */
        public Builder<T> notSent(Predicate<Throwable> notSent) {
            this.notSent = Objects.requireNonNull(notSent, "notSent");
            return this;
        }

        /**
         * @param discard given each result a retry replaced, to free what it holds (default: closes an
         *                {@link AutoCloseable})
         * @return this builder
         */
        public Builder<T> discard(Consumer<Object> discard) {
            this.discard = Objects.requireNonNull(discard, "discard");
            return this;
        }

        /**
         * @param classifier judges the outcome of calls that bring none of their own (default: errors are failures)
         * @return this builder
         */
        public Builder<T> classifier(Classifier<Object> classifier) {
            this.classifier = Objects.requireNonNull(classifier, "classifier");
            return this;
        }

        /**
         * @param scheduler where timeouts, hedges, health checks and comparisons run (default: a daemon thread
         *                  of the caller's own); a {@code VirtualTimeScheduler} in tests
         * @return this builder
         */
        public Builder<T> scheduler(Scheduler scheduler) {
            this.scheduler = Objects.requireNonNull(scheduler, "scheduler");
            return this;
        }

        /**
         * @param ticker the clock (default {@link Ticker#system()}; a {@code ManualTicker} in tests, paired with a
         *               {@code VirtualTimeScheduler} on it)
         * @return this builder
         */
        public Builder<T> ticker(Ticker ticker) {
            this.ticker = Objects.requireNonNull(ticker, "ticker");
            group.ticker(ticker);
            return this;
        }

        /**
         * @param random jitter and balancing randomness (default thread-local; seeded in tests)
         * @return this builder
         */
        public Builder<T> random(RandomGenerator random) {
            group.random(random);
            return this;
        }

        /**
         * @param listener told of every backend's circuit transitions
         * @return this builder
         */
        public Builder<T> circuitListener(CircuitBreakerListener listener) {
            group.circuitListener(listener);
            return this;
        }

        /**
         * @param listener told of every backend's health flips
         * @return this builder
         */
        public Builder<T> healthListener(HealthListener listener) {
            group.healthListener(listener);
            return this;
        }

        /**
         * @param listener told of each ejection for slowness
         * @return this builder
         */
        public Builder<T> ejectionListener(SlowBackendDetector.Listener listener) {
            group.ejectionListener(listener);
            return this;
        }

        /**
         * Builds the caller and starts its health checks and slowness comparisons.
         *
         * @return the caller
         * @throws IllegalArgumentException if there is no backend
         */
        public BackendCaller<T> build() {
            if (targets.isEmpty()) {
                throw Require.invalid("backends", "[]", "at least one backend");
            }
            ScheduledExecutorService own = null;
            Scheduler tasks = scheduler;
            if (tasks == null) {
                ScheduledThreadPoolExecutor executor = new ScheduledThreadPoolExecutor(1, runnable -> {
                    Thread thread = new Thread(runnable, "healthy-proxy-client");
                    thread.setDaemon(true);
                    return thread;
                });
                executor.setRemoveOnCancelPolicy(true);
                own = executor;
                tasks = new ExecutorScheduler(executor);
            }
            group.scheduler(tasks);
            Map<String, T> byId = Map.copyOf(targets);
            if (probe != null) {
                BiFunction<? super T, Duration, ? extends CompletionStage<ProbeResult>> check = probe;
                group.healthCheck(healthCheck, (backend, timeout) -> check.apply(byId.get(backend.id()), timeout)
                        .thenApply(r -> r));
            } else {
                group.healthCheck(healthCheck);
            }
            BackendCaller<T> caller = new BackendCaller<>(this, group.build(), tasks, own);
            caller.group.start();
            return caller;
        }

        private static void closeIfCloseable(Object result) {
            if (result instanceof AutoCloseable closeable) {
                try {
                    closeable.close();
                } catch (Exception ignored) {
                    // A result nobody will read: nothing to do if it will not close.
                }
            }
        }
    }
}
