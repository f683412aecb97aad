package io.healthyproxy.core;

import static org.assertj.core.api.Assertions.assertThat;

import io.healthyproxy.core.breaker.CircuitBreakerConfig;
import io.healthyproxy.core.health.HealthCheckConfig;
import io.healthyproxy.core.time.ManualTicker;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import java.util.function.LongSupplier;
import org.junit.jupiter.api.Test;

/** Slowness is judged against the peers, in fake time: busy is not broken, frozen is out. */
class SlowBackendDetectorTest {

    private final ManualTicker ticker = new ManualTicker();
    private final SplittableRandom random = new SplittableRandom(7);
    private final List<Backend> backends = new ArrayList<>();
    private final List<String> ejections = new ArrayList<>();
    private final SlowBackendDetector detector = new SlowBackendDetector(SlownessConfig.DEFAULTS, () -> backends,
            ticker, (b, e) -> ejections.add(b.id() + ": " + e.reason()));

    private Backend backend(String id) {
        Backend b = Backend.create(id, CircuitBreakerConfig.defaults(), HealthCheckConfig.defaults(), ticker,
                new SplittableRandom(1));
        backends.add(b);
        return b;
    }

    private void answers(Backend b, int count, LongSupplier nanos) {
        for (int i = 0; i < count; i++) {
            b.recordLatency(nanos.getAsLong());
        }
    }

    private static long millis(double ms) {
        return (long) (ms * 1_000_000);
    }

    @Test
    void loadThatSlowsEveryBackendAlikeEjectsNone() {
        for (String id : List.of("a", "b", "c")) {
            answers(backend(id), 200, () -> millis(80 + random.nextDouble(40)));   // all saturated: 80-120 ms
        }

        detector.evaluate();

        assertThat(ejections).isEmpty();
        assertThat(backends).allSatisfy(b -> assertThat(b.admitsTraffic()).isTrue());
    }

    @Test
    void aFrozenBackendIsEjectedAndEveryoneElseKeepsTraffic() {
        Backend a = backend("a");
        Backend b = backend("b");
        Backend frozen = backend("frozen");
        answers(a, 100, () -> millis(1 + random.nextDouble()));
        answers(b, 100, () -> millis(1 + random.nextDouble()));
        // Every request to it was overtaken by a hedge after ~20 ms: it counts at what it had waited.
        answers(frozen, 30, () -> millis(21 + random.nextDouble(5)));

        detector.evaluate();

        assertThat(frozen.isEjected()).isTrue();
        assertThat(frozen.admitsTraffic()).isFalse();
        assertThat(a.isEjected()).isFalse();
        assertThat(b.isEjected()).isFalse();
        assertThat(ejections).singleElement().asString().startsWith("frozen: slower than its peers: median 2");
    }

    @Test
    void aBackendTenTimesSlowerThanTheOthersIsEjected() {
        answers(backend("a"), 100, () -> millis(5 + random.nextDouble()));
        answers(backend("b"), 100, () -> millis(5 + random.nextDouble()));
        Backend slow = backend("slow");
        answers(slow, 100, () -> millis(50 + random.nextDouble(10)));

        detector.evaluate();

        assertThat(slow.isEjected()).isTrue();
    }

    @Test
    void aMixOfFastAndSlowEndpointsSpreadOverTheBackendsEjectsNone() {
        // Up to half the traffic is a 2 s endpoint, and one backend drew more of it than the others by chance.
        double[] slowShares = {0.1, 0.3, 0.45};
        for (String id : List.of("a", "b", "c")) {
            Backend b = backend(id);
            double share = slowShares[backends.size() - 1];
            answers(b, 200, () -> random.nextDouble() < share ? millis(2000) : millis(1 + random.nextDouble()));
        }

        detector.evaluate();

        assertThat(ejections).isEmpty();
    }

    @Test
    void tooFewAnswersAreNotJudged() {
        answers(backend("a"), 100, () -> millis(1));
        answers(backend("b"), 100, () -> millis(1));
        Backend quiet = backend("quiet");
        answers(quiet, SlownessConfig.DEFAULTS.minRequests() - 1, () -> millis(500));

        detector.evaluate();

        assertThat(quiet.isEjected()).isFalse();
    }

    @Test
    void atMostAThirdOfTheBackendsAreEjectedAtOnceTheSlowestFirst() {
        answers(backend("a"), 100, () -> millis(1));
        answers(backend("b"), 100, () -> millis(1));
        answers(backend("c"), 100, () -> millis(1));
        Backend slower = backend("slower");
        Backend slowest = backend("slowest");
        answers(slower, 100, () -> millis(30));
        answers(slowest, 100, () -> millis(300));

        detector.evaluate();

        assertThat(slowest.isEjected()).isTrue();
        assertThat(slower.isEjected()).as("5 backends: one ejection at a time").isFalse();
    }

    @Test
    void aBackendOutForFailingAsWellDoesNotUseUpTheRoomForSlowOnes() {
        answers(backend("a"), 100, () -> millis(1));
        Backend frozen = backend("frozen");
        Backend slow = backend("slow");
        answers(frozen, 100, () -> millis(40));
        detector.evaluate();
        assertThat(frozen.isEjected()).isTrue();
        for (int i = 0; i < 3; i++) {
            frozen.health().record(io.healthyproxy.core.health.ProbeResult.failed("timed out"), 0, ticker.read());
        }
        answers(a(), 100, () -> millis(1));
        answers(slow, 100, () -> millis(300));

        detector.evaluate();

        assertThat(slow.isEjected()).as("the frozen one is out for its checks too").isTrue();
    }

    private Backend a() {
        return backends.get(0);
    }

    @Test
    void anEjectionEndsAfterItsLengthAndASecondOneSoonAfterLastsTwiceAsLong() {
        Backend a = backend("a");
        Backend b = backend("b");
        Backend slow = backend("slow");
        answers(a, 100, () -> millis(1));
        answers(b, 100, () -> millis(1));
        answers(slow, 100, () -> millis(50));
        detector.evaluate();
        assertThat(slow.ejection().length()).isEqualTo(Duration.ofSeconds(5));

        ticker.advance(Duration.ofSeconds(5));
        assertThat(slow.isEjected()).as("back after 5 s").isFalse();
        answers(a, 100, () -> millis(1));
        answers(b, 100, () -> millis(1));
        answers(slow, 100, () -> millis(50));
        detector.evaluate();

        assertThat(slow.ejection().length()).isEqualTo(Duration.ofSeconds(10));
    }

    @Test
    void oldAnswersAreForgotten() {
        Backend a = backend("a");
        Backend b = backend("b");
        Backend once = backend("once-slow");
        answers(a, 100, () -> millis(1));
        answers(b, 100, () -> millis(1));
        answers(once, 100, () -> millis(50));
        ticker.advance(Duration.ofSeconds(3));            // two windows and more: all of it is stale
        answers(a, 100, () -> millis(1));
        answers(b, 100, () -> millis(1));
        answers(once, 100, () -> millis(1));

        detector.evaluate();

        assertThat(once.isEjected()).isFalse();
    }

    @Test
    void turnedOffItJudgesNothing() {
        SlowBackendDetector off = new SlowBackendDetector(SlownessConfig.OFF, () -> backends, ticker, (b, e) -> { });
        answers(backend("a"), 100, () -> millis(1));
        answers(backend("b"), 100, () -> millis(1));
        Backend slow = backend("slow");
        answers(slow, 100, () -> millis(500));

        off.evaluate();

        assertThat(slow.isEjected()).isFalse();
    }

    @Test
    void eachBackendsYardstickIsTheMedianOfTheOthersWithoutItsOwnValue() {
        // The definition: remove the one value, sort what is left, take its median. Duplicates included.
        SplittableRandom values = new SplittableRandom(11);
        for (int round = 0; round < 2_000; round++) {
            long[] sorted = new long[2 + values.nextInt(40)];
            for (int i = 0; i < sorted.length; i++) {
                sorted[i] = values.nextInt(20);
            }
            Arrays.sort(sorted);
            for (int skip = 0; skip < sorted.length; skip++) {
                long[] others = new long[sorted.length - 1];
                for (int i = 0, j = 0; i < sorted.length; i++) {
                    if (i != skip) {
                        others[j++] = sorted[i];
                    }
                }
                int n = others.length;
                long expected = n % 2 == 1 ? others[n / 2] : (others[n / 2 - 1] + others[n / 2]) / 2;
                assertThat(SlowBackendDetector.medianWithout(sorted, skip)).as("%s without [%d]",
                        Arrays.toString(sorted), skip).isEqualTo(expected);
            }
        }
    }

    @Test
    void withAThousandBackendsTheOneSlowBackendIsStillTheOnlyOneEjected() {
        List<Backend> many = new ArrayList<>();
        for (int i = 0; i < 1_000; i++) {
            many.add(backend("b" + i));
        }
        for (Backend b : many) {
            answers(b, 30, () -> millis(1));
        }
        Backend slow = backend("slow");
        answers(slow, 30, () -> millis(40));

        detector.evaluate();

        assertThat(ejections).singleElement().asString().startsWith("slow: ");
    }
}
