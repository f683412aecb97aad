package io.healthyproxy.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.healthyproxy.core.breaker.CircuitBreaker;
import io.healthyproxy.core.breaker.CircuitBreakerConfig;
import io.healthyproxy.core.breaker.CircuitState;
import io.healthyproxy.core.health.HealthCheckConfig;
import io.healthyproxy.core.health.ProbeResult;
import io.healthyproxy.core.spi.LoadBalancer;
import io.healthyproxy.core.time.Jitter;
import io.healthyproxy.core.time.ManualTicker;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class BackendPoolTest {

    private final ManualTicker ticker = new ManualTicker();
    private final CircuitBreakerConfig breakerConfig = CircuitBreakerConfig.builder().failureThreshold(1)
            .openDuration(Duration.ofSeconds(10)).openJitter(0).build();

    private List<Backend> backends(int n) {
        return IntStream.range(0, n).mapToObj(i -> Backend.create("b" + i, breakerConfig, HealthCheckConfig.defaults(),
                ticker, new SplittableRandom(i))).toList();
    }

    private static void open(Backend b) {
        b.breaker().onFailure(b.breaker().tryAcquire());
        assertThat(b.breaker().state()).isEqualTo(CircuitState.OPEN);
    }

    private static void markUnhealthy(Backend b) {
        for (int i = 0; i < b.health().config().unhealthyThreshold(); i++) {
            b.health().record(ProbeResult.failed("down"), 0, 0);
        }
    }

    private static Map<String, Integer> distribution(BackendPool pool, int calls) {
        Map<String, Integer> counts = new HashMap<>();
        for (int i = 0; i < calls; i++) {
            Lease lease = pool.acquire();
            counts.merge(lease.backend().id(), 1, Integer::sum);
            lease.onSuccess();
        }
        return counts;
    }

    @Test
    void roundRobinGivesEachBackendAnEqualShare() {
        BackendPool pool = BackendPool.of(backends(3));

        assertThat(distribution(pool, 300)).containsOnly(Map.entry("b0", 100), Map.entry("b1", 100), Map.entry("b2", 100));
    }

    @Test
    void roundRobinSplitsASkippedBackendsShareEvenlyNotOntoItsNeighbour() {
        List<Backend> backends = backends(3);
        BackendPool pool = new BackendPool(backends, Balancing.ROUND_ROBIN.create(new SplittableRandom(1)),
                NoBackendPolicy.FAIL_FAST);
        open(backends.get(1));

        // The turns of b1 go to slots drawn at random: even on average, within a few percent over 10,000.
        assertThat(distribution(pool, 10_000)).containsOnlyKeys("b0", "b2")
                .allSatisfy((id, n) -> assertThat(n).isBetween(4_750, 5_250));
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"roundRobin", "powerOfTwoChoices"})
    void neverChoosesABackendWhoseCircuitRefusesOrThatIsUnhealthy(String strategy) {
        SplittableRandom random = new SplittableRandom(3);
        List<Backend> backends = backends(10);
        LoadBalancer balancer = strategy.equals("roundRobin") ? Balancing.ROUND_ROBIN.create(Jitter.threadLocalRandom())
                : Balancing.POWER_OF_TWO_CHOICES.create(new SplittableRandom(5));
        BackendPool pool = new BackendPool(backends, balancer, NoBackendPolicy.FAIL_FAST);
        for (int i = 0; i < 10; i++) {
            if (random.nextBoolean()) {
                open(backends.get(i));
            } else if (random.nextInt(3) == 0) {
                markUnhealthy(backends.get(i));
            }
        }
        Set<Backend> out = Set.copyOf(backends.stream().filter(b -> !b.admitsTraffic()).toList());
        assertThat(out).isNotEmpty().hasSizeLessThan(10);

        for (int i = 0; i < 2_000; i++) {
            Lease lease = pool.acquire();
            assertThat(out).doesNotContain(lease.backend());
            lease.onSuccess();
        }
    }

    @Test
    void powerOfTwoChoicesPrefersTheBackendWithFewerCallsInFlight() {
        List<Backend> backends = backends(2);
        BackendPool pool = new BackendPool(backends, Balancing.POWER_OF_TWO_CHOICES.create(new SplittableRandom(1)),
                NoBackendPolicy.FAIL_FAST);
        List<Lease> held = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            held.add(Lease.admitted(backends.get(0), backends.get(0).breaker().tryAcquire()));
        }

        for (int i = 0; i < 20; i++) {
            Lease lease = pool.acquire();
            assertThat(lease.backend().id()).isEqualTo("b1");
            lease.onSuccess();
        }
        held.forEach(Lease::onSuccess);
        assertThat(backends.get(0).inFlight()).isZero();
    }

    @Test
    void powerOfTwoChoicesSharesEvenlyAmongEqualBackends() {
        BackendPool pool = new BackendPool(backends(4), Balancing.POWER_OF_TWO_CHOICES.create(new SplittableRandom(9)),
                NoBackendPolicy.FAIL_FAST);

        assertThat(distribution(pool, 4_000).values()).allSatisfy(n -> assertThat(n).isBetween(850, 1150));
    }

    @Test
    void whenNoBackendAdmitsTrafficAcquireFailsFast() {
        List<Backend> backends = backends(3);
        BackendPool pool = BackendPool.of(backends);
        backends.forEach(BackendPoolTest::open);

        assertThat(pool.acquire()).isNull();
        assertThat(pool.admitting()).isEmpty();
        assertThat(backends).allSatisfy(b -> assertThat(b.breaker().snapshot().rejected()).isZero());
        assertThat(backends).allSatisfy(b -> assertThat(b.breaker().state()).isEqualTo(CircuitState.OPEN));
    }

    @Test
    void asALastResortEachBackendThatPassesItsChecksGetsOneTrialAndTheRestGoThereUntracked() {
        List<Backend> backends = backends(3);
        BackendPool pool = new BackendPool(backends, Balancing.ROUND_ROBIN.create(Jitter.threadLocalRandom()), NoBackendPolicy.LAST_RESORT);
        backends.forEach(BackendPoolTest::open);

        List<Lease> trials = List.of(pool.acquire(), pool.acquire(), pool.acquire());
        assertThat(trials).extracting(Lease::backend).containsExactlyInAnyOrderElementsOf(backends);
        assertThat(trials).allSatisfy(l -> assertThat(l.isTrial()).isTrue());

        Lease extra = pool.acquire();
        assertThat(extra.isPanic()).as("every trial slot is taken: the call goes through untracked").isTrue();
        extra.onFailure();
        assertThat(backends).as("only trials decide").allSatisfy(
                b -> assertThat(b.breaker().state()).isEqualTo(CircuitState.HALF_OPEN));

        trials.get(0).onSuccess();
        trials.get(1).onFailure();
        trials.get(2).release();
        assertThat(trials.get(0).backend().breaker().state()).isEqualTo(CircuitState.CLOSED);
        assertThat(trials.get(1).backend().breaker().state()).isEqualTo(CircuitState.OPEN);
        assertThat(pool.admitting()).as("the one that came back, and the one whose trial was given back")
                .containsExactly(trials.get(0).backend(), trials.get(2).backend());
    }

    @Test
    void aRetryWithEveryOtherTrialOutStillReachesABackendNotTriedYet() {
        List<Backend> backends = backends(3);
        BackendPool pool = new BackendPool(backends, Balancing.ROUND_ROBIN.create(Jitter.threadLocalRandom()), NoBackendPolicy.LAST_RESORT);
        backends.forEach(BackendPoolTest::open);
        List<Lease> trials = List.of(pool.acquire(), pool.acquire(), pool.acquire());
        Backend failedFirst = trials.get(0).backend();

        Lease retry = pool.acquireExcluding(List.of(failedFirst));

        assertThat(retry).isNotNull();
        assertThat(retry.backend()).isNotSameAs(failedFirst);
        assertThat(retry.isPanic()).isTrue();
        assertThat(pool.acquireExcluding(backends)).as("nothing left that was not tried").isNull();
    }

    @Test
    void backendsFailingTheirHealthChecksGetNoLastResortTrial() {
        List<Backend> backends = backends(3);
        BackendPool pool = new BackendPool(backends, Balancing.ROUND_ROBIN.create(Jitter.threadLocalRandom()), NoBackendPolicy.LAST_RESORT);
        backends.forEach(BackendPoolTest::open);
        backends.forEach(BackendPoolTest::markUnhealthy);

        assertThat(pool.acquire()).isNull();
        assertThat(backends).allSatisfy(b -> assertThat(b.breaker().state()).isEqualTo(CircuitState.OPEN));
    }

    @Test
    void aBackendWhoseChecksPassAgainGetsItsTrialAtOnceWhenSoConfigured() {
        Backend eager = Backend.builder("eager").breaker(breakerConfig).halfOpenOnHealthRecovery(true).ticker(ticker)
                .random(new SplittableRandom(1)).build();
        Backend patient = Backend.create("patient", breakerConfig, HealthCheckConfig.defaults(), ticker,
                new SplittableRandom(2));
        for (Backend b : List.of(eager, patient)) {
            open(b);
            markUnhealthy(b);
            for (int i = 0; i < b.health().config().healthyThreshold(); i++) {
                b.health().record(ProbeResult.passed("200"), 0, 0);
            }
        }

        assertThat(eager.breaker().state()).as("no need to wait out the open duration").isEqualTo(CircuitState.HALF_OPEN);
        assertThat(patient.breaker().state()).as("the seed's breaker waits").isEqualTo(CircuitState.OPEN);
    }

    @Test
    void anEmptyPoolFailsFast() {
        assertThat(BackendPool.of(List.of()).acquire()).isNull();
    }

    @Test
    void panicModeSpreadsCallsOverAllBackendsWithoutTellingTheBreakers() {
        List<Backend> backends = backends(2);
        BackendPool pool = new BackendPool(backends, Balancing.ROUND_ROBIN.create(Jitter.threadLocalRandom()), NoBackendPolicy.PANIC);
        backends.forEach(BackendPoolTest::open);

        Lease first = pool.acquire();
        Lease second = pool.acquire();
        first.onFailure();
        second.onSuccess();

        assertThat(first.isPanic()).isTrue();
        assertThat(Set.of(first.backend(), second.backend())).hasSize(2);
        assertThat(backends).allSatisfy(b -> assertThat(b.breaker().snapshot().timesOpened()).isEqualTo(1));
        assertThat(backends).allSatisfy(b -> assertThat(b.inFlight()).isZero());
    }

    @Test
    void retriesNeverGoBackToABackendAlreadyTried() {
        List<Backend> backends = backends(3);
        BackendPool pool = BackendPool.of(backends);

        for (int i = 0; i < 100; i++) {
            Lease lease = pool.acquireExcluding(List.of(backends.get(0), backends.get(2)));
            assertThat(lease.backend()).isSameAs(backends.get(1));
            lease.release();
        }
        assertThat(pool.acquireExcluding(backends)).isNull();
    }

    @Test
    void aHalfOpenBackendGetsExactlyOneTrialAndTheRestGoElsewhere() {
        List<Backend> backends = backends(2);
        BackendPool pool = BackendPool.of(backends);
        open(backends.get(0));
        ticker.advance(Duration.ofSeconds(10));

        List<Lease> leases = IntStream.range(0, 10).mapToObj(i -> pool.acquire()).toList();

        assertThat(leases).filteredOn(l -> l.backend() == backends.get(0)).singleElement()
                .satisfies(l -> assertThat(l.isTrial()).isTrue());
        assertThat(leases).filteredOn(l -> l.backend() == backends.get(1)).hasSize(9);
    }

    @Test
    void aLeaseReportsOnlyItsFirstOutcome() {
        List<Backend> backends = backends(1);
        BackendPool pool = BackendPool.of(backends);
        Lease lease = pool.acquire();
        assertThat(backends.get(0).inFlight()).isEqualTo(1);

        lease.onSuccess();
        lease.onFailure();
        lease.release();

        assertThat(backends.get(0).inFlight()).isZero();
        assertThat(backends.get(0).succeeded()).isEqualTo(1);
        assertThat(backends.get(0).failed()).isZero();
        assertThat(backends.get(0).breaker().state()).isEqualTo(CircuitState.CLOSED);
    }

    @Test
    void membershipCanChangeWhileServing() {
        List<Backend> backends = backends(3);
        BackendPool pool = BackendPool.of(backends.subList(0, 2));

        pool.add(backends.get(2));
        assertThat(distribution(pool, 30)).containsOnlyKeys("b0", "b1", "b2");

        assertThat(pool.remove(backends.get(0))).isTrue();
        assertThat(distribution(pool, 30)).containsOnlyKeys("b1", "b2");
        assertThat(pool.find("b1")).contains(backends.get(1));
    }

    @Test
    void backendIdsMustBeUnique() {
        List<Backend> backends = backends(2);
        BackendPool pool = BackendPool.of(backends);

        assertThatThrownBy(() -> pool.add(Backend.create("b0", breakerConfig, HealthCheckConfig.defaults(), ticker,
                new SplittableRandom(0)))).hasMessageContaining("expected: unique ids");
    }

    @Test
    void deniedPermitsAreNeverLeased() {
        List<Backend> backends = backends(1);
        open(backends.get(0));

        assertThat(backends.get(0).breaker().tryAcquire()).isEqualTo(CircuitBreaker.DENIED);
        assertThat(BackendPool.of(backends).acquire()).isNull();
    }
}
