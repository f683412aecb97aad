package io.healthyproxy.bench.jmh;

import dev.failsafe.CircuitBreaker;
import io.github.resilience4j.circuitbreaker.CircuitBreakerConfig;
import io.healthyproxy.core.breaker.CircuitBreakerConfig.Builder;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Threads;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The circuit breaker's hot path, a closed circuit's permission check and success report, against the
 * breakers users would pick instead, configured alike (open after 5 failures, 30 s open, 1 half-open trial),
 * on one breaker shared by 1 and by 2 threads.
 *
 * <ul>
 *   <li>HealthyProxy: {@code tryAcquire()} + {@code onSuccess(permit)}. With consecutive-failure counting
 *       alone a closed circuit's success writes nothing; "withWindow" adds the failure-rate window (one CAS per
 *       call), the fairer match for Resilience4j's window, which records every call.</li>
 *   <li>Resilience4j 2.x: {@code tryAcquirePermission()} + {@code onSuccess(0, NANOSECONDS)}, count-based
 *       window of 5 calls at 100% failure rate (its nearest to "5 consecutive failures")</li>
 *   <li>Failsafe 3.x: {@code tryAcquirePermit()} + {@code recordSuccess()}, failure threshold 5</li>
 * </ul>
 *
 * Run, with allocation per operation ({@code gc.alloc.rate.norm}):
 * <pre>
 *   bench/run-jmh CircuitBreakerBenchmark        # or: java -jar bench/target/benchmarks.jar CircuitBreakerBenchmark -prof gc
 * </pre>
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(2)
public class CircuitBreakerBenchmark {

    private io.healthyproxy.core.breaker.CircuitBreaker healthyProxy;
    private io.healthyproxy.core.breaker.CircuitBreaker healthyProxyWithWindow;
    private io.github.resilience4j.circuitbreaker.CircuitBreaker resilience4j;
    private CircuitBreaker<Object> failsafe;

    @Setup
    public void setUp() {
        Builder config = io.healthyproxy.core.breaker.CircuitBreakerConfig.builder()
                .failureThreshold(5).openDuration(Duration.ofSeconds(30)).halfOpenTrials(1);
        healthyProxy = io.healthyproxy.core.breaker.CircuitBreaker.of("bench", config.build());
        healthyProxyWithWindow = io.healthyproxy.core.breaker.CircuitBreaker.of("bench", config
                .failureRate(io.healthyproxy.core.breaker.FailureRateTrigger.of(1.0, 5, Duration.ofSeconds(10)))
                .build());
        resilience4j = io.github.resilience4j.circuitbreaker.CircuitBreaker.of("bench", CircuitBreakerConfig.custom()
                .slidingWindowType(CircuitBreakerConfig.SlidingWindowType.COUNT_BASED)
                .slidingWindowSize(5).minimumNumberOfCalls(5).failureRateThreshold(100)
                .waitDurationInOpenState(Duration.ofSeconds(30)).permittedNumberOfCallsInHalfOpenState(1)
                .build());
        failsafe = CircuitBreaker.builder().withFailureThreshold(5).withDelay(Duration.ofSeconds(30))
                .withSuccessThreshold(1).build();
    }

    @Benchmark
    @Threads(1)
    public void healthyProxy1Thread() {
        healthyProxy.onSuccess(healthyProxy.tryAcquire());
    }

    @Benchmark
    @Threads(2)
    public void healthyProxy2Threads() {
        healthyProxy.onSuccess(healthyProxy.tryAcquire());
    }

    @Benchmark
    @Threads(1)
    public void healthyProxyWithWindow1Thread() {
        healthyProxyWithWindow.onSuccess(healthyProxyWithWindow.tryAcquire());
    }

    @Benchmark
    @Threads(2)
    public void healthyProxyWithWindow2Threads() {
        healthyProxyWithWindow.onSuccess(healthyProxyWithWindow.tryAcquire());
    }

    @Benchmark
    @Threads(1)
    public void resilience4j1Thread() {
        if (resilience4j.tryAcquirePermission()) {
            resilience4j.onSuccess(0, TimeUnit.NANOSECONDS);
        }
    }

    @Benchmark
    @Threads(2)
    public void resilience4j2Threads() {
        if (resilience4j.tryAcquirePermission()) {
            resilience4j.onSuccess(0, TimeUnit.NANOSECONDS);
        }
    }

    @Benchmark
    @Threads(1)
    public void failsafe1Thread() {
        if (failsafe.tryAcquirePermit()) {
            failsafe.recordSuccess();
        }
    }

    @Benchmark
    @Threads(2)
    public void failsafe2Threads() {
        if (failsafe.tryAcquirePermit()) {
            failsafe.recordSuccess();
        }
    }
}
