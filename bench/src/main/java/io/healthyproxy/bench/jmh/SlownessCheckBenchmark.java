package io.healthyproxy.bench.jmh;

import io.healthyproxy.core.Backend;
import io.healthyproxy.core.SlowBackendDetector;
import io.healthyproxy.core.SlownessConfig;
import io.healthyproxy.core.breaker.CircuitBreakerConfig;
import io.healthyproxy.core.health.HealthCheckConfig;
import io.healthyproxy.core.time.ManualTicker;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
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
 * One slowness check ({@code SlowBackendDetector.evaluate()}) over 3, 100 and 1,000 backends that all have
 * enough recent answers to be judged, none slow: what the proxy's event loop spends on it twice a second (the
 * default interval, 500 ms). It must grow no faster than n log n: the check runs on an event loop, and
 * whatever it takes, every request on that loop waits.
 *
 * Run: {@code bench/run-jmh --name slowness SlownessCheckBenchmark -f 1 -wi 3 -w 1s -i 5 -r 1s}.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class SlownessCheckBenchmark {

    @Param({"3", "100", "1000"})
    public int backends;

    private SlowBackendDetector detector;

    @Setup
    public void setUp() {
        ManualTicker ticker = new ManualTicker();
        SplittableRandom random = new SplittableRandom(3);
        List<Backend> all = new ArrayList<>();
        for (int i = 0; i < backends; i++) {
            Backend b = Backend.create("b" + i, CircuitBreakerConfig.defaults(), HealthCheckConfig.defaults(), ticker,
                    new SplittableRandom(i));
            for (int k = 0; k < 40; k++) {
                b.recordLatency(1_000_000 + random.nextInt(500_000));   // 1 to 1.5 ms, alike
            }
            all.add(b);
        }
        detector = new SlowBackendDetector(SlownessConfig.DEFAULTS, () -> all, ticker, (b, e) -> { });
    }

    @Benchmark
    public void evaluate() {
        detector.evaluate();
    }
}
