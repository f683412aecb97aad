package io.healthyproxy.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.healthyproxy.core.breaker.CircuitBreakerConfig;
import io.healthyproxy.core.breaker.CircuitState;
import io.healthyproxy.core.breaker.Transition;
import io.healthyproxy.core.breaker.TransitionEvent;
import io.healthyproxy.core.health.HealthCheckConfig;
import io.healthyproxy.core.time.ManualTicker;
import io.healthyproxy.core.time.VirtualTimeScheduler;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** One group wired once, in virtual time: its defaults, its checks, its slowness comparisons, its life. */
class BackendGroupTest {

    private final ManualTicker ticker = new ManualTicker();
    private final VirtualTimeScheduler scheduler = new VirtualTimeScheduler(ticker);
    private final ScriptedProber prober = new ScriptedProber(ticker);

    private BackendGroup.Builder group() {
        return BackendGroup.builder().backend("a").backend("b", 3).scheduler(scheduler).ticker(ticker)
                .random(new SplittableRandom(3));
    }

    @Test
    void itsDefaultsAreTheHttpProxys() {
        BackendGroup g = group().build();

        assertThat(g.backends()).extracting(Backend::id).containsExactly("a", "b");
        assertThat(g.find("b").orElseThrow().weight()).isEqualTo(3);
        assertThat(g.find("a").orElseThrow().breaker().config()).isEqualTo(BackendGroup.DEFAULT_BREAKER);
        assertThat(BackendGroup.DEFAULT_BREAKER.openDuration()).isEqualTo(Duration.ofSeconds(5));
        assertThat(BackendGroup.DEFAULT_WHEN_NONE_ADMITS).isEqualTo(NoBackendPolicy.LAST_RESORT);
        assertThat(g.isHealthChecked()).isFalse();
    }

    @Test
    void nothingIsCheckedBeforeStartAndNothingAfterClose() {
        BackendGroup g = group().healthCheck(HealthCheckConfig.defaults(), prober).build();

        scheduler.runFor(Duration.ofSeconds(10));
        assertThat(prober.sentAt).isEmpty();
        g.start();
        g.start();                                  // idempotent: one loop per backend
        scheduler.runFor(Duration.ofSeconds(10));
        int sent = prober.sentAt.size();
        assertThat(sent).isBetween(8, 12);          // each backend every 2 s (± jitter)
        g.close();
        scheduler.runFor(Duration.ofSeconds(10));

        assertThat(prober.sentAt).hasSize(sent);
    }

    @Test
    void aRecoveryTheChecksSeeHalfOpensTheCircuitByDefaultAndNotWhenTurnedOff() {
        List<TransitionEvent> events = new ArrayList<>();
        BackendGroup eager = group().circuitListener(events::add).healthCheck(HealthCheckConfig.defaults(), prober)
                .build();
        BackendGroup seeds = group().halfOpenOnHealthRecovery(false).healthCheck(HealthCheckConfig.defaults(), prober)
                .build();
        prober.behaviour = ScriptedProber.Behaviour.FAIL;
        eager.start();
        seeds.start();
        scheduler.runFor(Duration.ofSeconds(12));
        Backend a = eager.find("a").orElseThrow();
        assertThat(a.breaker().state()).isEqualTo(CircuitState.OPEN);

        prober.behaviour = ScriptedProber.Behaviour.PASS;
        scheduler.runFor(Duration.ofSeconds(3));

        assertThat(a.breaker().state()).isEqualTo(CircuitState.HALF_OPEN);
        assertThat(events).extracting(TransitionEvent::transition).contains(Transition.HEALTH_RECOVERED);
        assertThat(seeds.find("a").orElseThrow().breaker().state()).as("the seed's breaker waits its opening out")
                .isEqualTo(CircuitState.OPEN);
    }

    @Test
    void slownessIsComparedEveryIntervalOnceStarted() {
        List<String> ejected = new ArrayList<>();
        BackendGroup g = BackendGroup.builder().backend("a").backend("b").backend("c").scheduler(scheduler)
                .ticker(ticker).ejectionListener((backend, ejection) -> ejected.add(backend.id())).build();
        g.start();
        for (int i = 0; i < 50; i++) {
            g.find("a").orElseThrow().recordLatency(Duration.ofMillis(1).toNanos());
            g.find("b").orElseThrow().recordLatency(Duration.ofMillis(1).toNanos());
            g.find("c").orElseThrow().recordLatency(Duration.ofMillis(200).toNanos());
        }

        scheduler.runFor(SlownessConfig.DEFAULTS.interval());

        assertThat(ejected).containsExactly("c");
        assertThat(g.find("c").orElseThrow().admitsTraffic()).isFalse();
    }

    @Test
    void checksOrSlownessWithoutASchedulerAreRefusedSayingWhy() {
        assertThatThrownBy(() -> BackendGroup.builder().backend("a").build())
                .hasMessageStartingWith("scheduler: none (expected: a Scheduler, since slowness is judged");
        assertThatThrownBy(() -> BackendGroup.builder().backend("a").slowness(SlownessConfig.OFF)
                .healthCheck(HealthCheckConfig.defaults(), prober).build())
                .hasMessage("scheduler: none (expected: a Scheduler, since health checks are on)");
        assertThat(BackendGroup.builder().backend("a").slowness(SlownessConfig.OFF).build().backends()).hasSize(1);
    }

    @Test
    void aBackendIdGivenTwiceIsRefused() {
        assertThatThrownBy(() -> BackendGroup.builder().backend("a").backend("a", 2))
                .hasMessage("backend: a (expected: unique ids; 'a' was added twice)");
        assertThatThrownBy(() -> BackendGroup.builder().backend("a", 0))
                .hasMessage("weight: 0 (expected: 1..1000)");
    }

    @Test
    void aSuccessorCarriesOverUnchangedBackendsWholeAndBuildsTheRestAnew() {
        BackendGroup first = group().backend("c").build();
        Backend a = first.find("a").orElseThrow();
        for (int i = 0; i < 5; i++) {
            a.breaker().onFailure(a.breaker().tryAcquire());
        }
        assertThat(a.breaker().state()).isEqualTo(CircuitState.OPEN);

        BackendGroup next = BackendGroup.builder().backend("a").backend("b", 2).backend("d").scheduler(scheduler)
                .ticker(ticker).succeeding(first, id -> !id.equals("c")).build();

        assertThat(next.find("a").orElseThrow()).as("same id, weight, settings: kept, circuit and all").isSameAs(a);
        assertThat(next.find("b").orElseThrow()).as("re-weighted: new").isNotSameAs(first.find("b").orElseThrow());
        assertThat(next.find("d")).isPresent();
        assertThat(next.find("c")).isEmpty();
        assertThat(next.backends()).extracting(Backend::id).containsExactly("a", "b", "d");
    }

    @Test
    void aBackendTheCallerRefusesOrWhoseSettingsChangedIsNotCarriedOver() {
        BackendGroup first = group().build();

        BackendGroup refused = group().succeeding(first, id -> !id.equals("a")).build();
        BackendGroup otherBreaker = group().breaker(CircuitBreakerConfig.builder().failureThreshold(3).build())
                .succeeding(first, id -> true).build();

        assertThat(refused.find("a").orElseThrow()).isNotSameAs(first.find("a").orElseThrow());
        assertThat(refused.find("b").orElseThrow()).isSameAs(first.find("b").orElseThrow());
        assertThat(otherBreaker.find("b").orElseThrow()).isNotSameAs(first.find("b").orElseThrow());
    }

    @Test
    void theChecksCarryOverToASuccessorWithTheSameProberAndStopForBackendsThatLeft() {
        BackendGroup first = group().healthCheck(HealthCheckConfig.defaults(), prober).build();
        first.start();
        scheduler.runFor(Duration.ofSeconds(10));
        BackendGroup next = BackendGroup.builder().backend("a").scheduler(scheduler).ticker(ticker)
                .random(new SplittableRandom(3)).healthCheck(HealthCheckConfig.defaults(), prober)
                .succeeding(first, id -> true).build();

        scheduler.runFor(Duration.ofSeconds(10));
        assertThat(prober.sentTo).as("nothing changes before the successor starts").contains("b");
        next.start();
        int before = prober.sentTo.size();
        scheduler.runFor(Duration.ofSeconds(10));
        List<String> after = List.copyOf(prober.sentTo.subList(before, prober.sentTo.size()));
        first.close();                              // the replaced group closed late: the checks it handed on go on
        scheduler.runFor(Duration.ofSeconds(10));

        assertThat(after).hasSizeBetween(4, 6).containsOnly("a");
        assertThat(prober.sentTo.size() - before).as("one loop for a, before and after the old group's close")
                .isBetween(8, 12);
    }

    @Test
    void aSuccessorWithAnotherProberRunsChecksOfItsOwnAndStopsTheOldOnesWhenItStarts() {
        BackendGroup first = group().healthCheck(HealthCheckConfig.defaults(), prober).build();
        first.start();
        ScriptedProber other = new ScriptedProber(ticker);
        BackendGroup next = group().healthCheck(HealthCheckConfig.defaults(), other).succeeding(first, id -> true)
                .build();

        next.start();
        int oldSent = prober.sentAt.size();
        scheduler.runFor(Duration.ofSeconds(10));

        assertThat(prober.sentAt).hasSize(oldSent);
        assertThat(other.sentTo).contains("a", "b");
    }

    @Test
    void aSuccessorsNewBackendJoinsWithSlowStartWhileTheFirstGroupsStartAtFullWeight() {
        BackendGroup first = group().slowStart(Duration.ofSeconds(30)).build();
        BackendGroup next = group().backend("c").slowStart(Duration.ofSeconds(30)).succeeding(first, id -> true)
                .build();

        assertThat(first.find("a").orElseThrow().slowStartFactor()).isEqualTo(1.0);
        assertThat(next.find("c").orElseThrow().slowStartFactor()).as("ramping up").isLessThan(1.0);
    }
}
