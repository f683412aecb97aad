package io.healthyproxy.bench.jmh;

import io.healthyproxy.core.Backend;
import io.healthyproxy.core.BackendPool;
import io.healthyproxy.core.Balancing;
import io.healthyproxy.core.Lease;
import io.healthyproxy.core.NoBackendPolicy;
import io.healthyproxy.core.breaker.CircuitBreakerConfig;
import io.healthyproxy.core.health.HealthCheckConfig;
import io.healthyproxy.core.time.Jitter;
import io.healthyproxy.core.time.Ticker;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Choosing a backend and taking its permit ({@code BackendPool.acquire()}), then reporting success: the
 * per-request cost of balancing, for round robin and power of two choices, over 3 and 1,000 backends of equal
 * or mixed weights (1 to 5), with every third backend's circuit open (so the balancers must skip them); and
 * the same for a retry, which must also leave out the backend it tried first. The cost should not grow with
 * the number of backends, nor allocate more than the lease (32 bytes).
 *
 * Run: {@code bench/run-jmh --name balancing BackendChoiceBenchmark -f 3 -wi 2 -w 1s -i 3 -r 1s}.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(2)
public class BackendChoiceBenchmark {

    @Param({"3", "1000"})
    public int backends;

    @Param({"ROUND_ROBIN", "POWER_OF_TWO_CHOICES"})
    public Balancing balancing;

    @Param({"equal", "mixed"})
    public String weights;

    private BackendPool pool;
    private List<Backend> triedFirst;

    @Setup
    public void setUp() {
        CircuitBreakerConfig breaker = CircuitBreakerConfig.builder().failureThreshold(1)
                .openDuration(Duration.ofHours(1)).maxOpenDuration(Duration.ofHours(1)).build();
        List<Backend> all = new ArrayList<>();
        for (int i = 0; i < backends; i++) {
            Backend b = Backend.builder("b" + i).weight(weights.equals("mixed") ? 1 + i % 5 : 1).breaker(breaker)
                    .healthCheck(HealthCheckConfig.defaults()).ticker(Ticker.system()).build();
            if (i % 3 == 1) {
                b.breaker().onFailure(b.breaker().tryAcquire());        // open for the whole run
            }
            all.add(b);
        }
        pool = new BackendPool(all, balancing.create(Jitter.threadLocalRandom()), NoBackendPolicy.FAIL_FAST);
        triedFirst = List.of(all.get(0));
    }

    @Benchmark
    public Lease acquireAndSucceed() {
        Lease lease = pool.acquire();
        lease.onSuccess();
        return lease;
    }

    @Benchmark
    public Lease acquireExcludingAndSucceed() {
        Lease lease = pool.acquireExcluding(triedFirst);
        lease.onSuccess();
        return lease;
    }
}
