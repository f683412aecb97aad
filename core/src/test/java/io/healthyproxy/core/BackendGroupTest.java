package io.healthyproxy.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

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
}
