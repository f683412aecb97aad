package io.healthyproxy.bench.jmh;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Collection;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openjdk.jmh.results.RunResult;
import org.openjdk.jmh.results.format.ResultFormatType;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.options.OptionsBuilder;
import org.openjdk.jmh.runner.options.TimeValue;

/**
 * One short iteration of every benchmark, in-process, so that none of them rots between real runs; and the
 * report built from the results. The figures mean nothing here: bench/run-jmh measures.
 */
class JmhSmokeTest {

    @Test
    void everyBenchmarkRunsAndTheReportTabulatesIt(@TempDir Path dir) throws Exception {
        Path json = dir.resolve("jmh.json");
        Collection<RunResult> results = new Runner(new OptionsBuilder()
                .include("io\\.healthyproxy\\.bench\\.jmh\\..*Benchmark")
                .forks(0)
                .warmupIterations(0)
                .measurementIterations(1)
                .measurementTime(TimeValue.milliseconds(50))
                .resultFormat(ResultFormatType.JSON)
                .result(json.toString())
                .build()).run();

        // 8 breaker methods; 2 balancer methods x 8 parameter sets; 2 routing methods x 3 route counts;
        // codec: 3 inputs x 3 decoders, 2 x 3 encoders, 3 paths; the slowness check over 3 backend counts
        assertThat(results).hasSize(8 + 16 + 6 + 9 + 6 + 3 + 3);
        assertThat(results).allSatisfy(r -> assertThat(r.getPrimaryResult().getScore()).isPositive());

        List<JmhReport.Row> rows = JmhReport.read(json);
        String table = JmhReport.markdown(rows, "test");
        assertThat(rows).as("a row per benchmark run").hasSameSizeAs(results);
        assertThat(table).contains("CircuitBreakerBenchmark.healthyProxy1Thread")
                .contains("backends=1000, balancing=POWER_OF_TWO_CHOICES, weights=mixed")
                .contains("RouteTableBenchmark.routeTable | routes=1000")
                .contains("SlownessCheckBenchmark.evaluate | backends=1000").containsPattern("\\| [0-9.]+×")
                .contains("Http1DecodeBenchmark.decode | decoder=HEALTHY_PROXY, request=BROWSER_GET")
                .containsPattern("decoder=HEALTHY_PROXY, request=BROWSER_GET \\|[^\\n]*\\| [0-9.]+× \\|");
        assertThat(Files.size(json)).isPositive();
    }
}
