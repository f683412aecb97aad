package io.healthyproxy.bench.scenario;

import static org.assertj.core.api.Assertions.assertThat;

import io.healthyproxy.testkit.load.LoadResult;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class BlameTest {

    private static final long ORIGIN_NANOS = 1_000_000_000L;
    private static final long ORIGIN_MILLIS = 1_764_590_000_000L;
    /** The fault from 1 s to 2 s into the run. */
    private static final Blame.During FAULT = new Blame.During(ORIGIN_NANOS, ORIGIN_MILLIS, Duration.ofSeconds(1),
            Duration.ofSeconds(2));

    private static LoadResult result(double atSeconds, String path, int status) {
        return new LoadResult(ORIGIN_NANOS + (long) (atSeconds * 1e9), 1_000_000, status, status == 0 ? "timeout" : null,
                null, null, path);
    }

    private static AccessLog.Entry tried(double atSeconds, String path, int status) {
        return new AccessLog.Entry(ORIGIN_MILLIS + (long) (atSeconds * 1000), status, path);
    }

    @Test
    void theBrokenEndpointIsCountedWhileBrokenAndEveryOtherPathOverTheWholeRun() {
        List<LoadResult> results = new ArrayList<>();
        List<AccessLog.Entry> tries = new ArrayList<>();
        results.add(result(0.5, "/broken", 200));          // before the fault: not the broken endpoint's figures
        tries.add(tried(0.5, "/broken", 200));
        for (double t : new double[] {1.1, 1.5, 1.9}) {     // while broken: each 500 tried on a second backend
            results.add(result(t, "/broken", 500));
            tries.add(tried(t, "/broken", 500));
            tries.add(tried(t, "/broken", 500));
        }
        results.add(result(0.2, "/", 200));
        results.add(result(1.2, "/", 502));
        results.add(result(2.5, "/", 0));
        tries.add(tried(0.2, "/", 200));
        tries.add(tried(1.2, "/", 200));
        tries.add(tried(1.2, "/", 500));

        Blame blame = Blame.of(results, tries, Ejections.counted(Map.of()), FAULT);

        assertThat(blame.broken()).isEqualTo(new Blame.Paths(3, 3, 3, 6));
        assertThat(blame.broken().extraTriesPerRequest()).isEqualTo(1.0);
        assertThat(blame.others()).isEqualTo(new Blame.Paths(3, 0, 2, 3));
        assertThat(blame.others().extraTries()).isZero();
        assertThat(blame.client500s()).isEqualTo(3);
    }

    @Test
    void anAccessLogLineIsItsTimeStatusAndPath() {
        assertThat(AccessLog.parse("1764591234.567 500 /broken")).isEqualTo(new AccessLog.Entry(1_764_591_234_567L, 500, "/broken"));
        assertThat(AccessLog.parse("1764591234.5")).as("a line cut short").isNull();
        assertThat(AccessLog.parse("")).isNull();
    }
}
