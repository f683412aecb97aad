package io.healthyproxy.maelstrom.sim;

import static org.assertj.core.api.Assertions.assertThat;

import io.healthyproxy.core.breaker.CircuitState;
import io.healthyproxy.core.breaker.Transition;
import io.healthyproxy.core.breaker.TransitionEvent;
import io.healthyproxy.maelstrom.node.NodeObserver;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The seed's "Route to healthy", given real meaning: 5 nodes, a client sending to n1 every 10 ms for 60
 * simulated seconds, n3 cut off from n1 at 10 s and healed at 40 s.
 */
class RouteToHealthyTest {

    private static final long SECOND = 1_000_000_000L;

    @ParameterizedTest(name = "seed {0}")
    @ValueSource(longs = {1, 2, 3, 42, 1234})
    void routesAroundAPartitionedBackendAndBackAfterHealing(long seed) {
        PartitionScenario scenario = PartitionScenario.create(PartitionScenario.defaultConfig(), seed,
                id -> NodeObserver.NONE);
        SimCluster cluster = scenario.cluster();
        SimClient client = scenario.client();

        scenario.runToEnd();

        // At least 99% of requests answered ok (in fact: all, thanks to the retry on another backend).
        List<SimClient.Answer> answers = client.answers();
        long ok = answers.stream().filter(SimClient.Answer::ok).count();
        assertThat(scenario.sent()).isEqualTo(6000);
        assertThat(client.unanswered()).isZero();
        assertThat(ok).isGreaterThanOrEqualTo(scenario.sent() * 99 / 100);
        assertThat(client.unsolicited()).isEmpty();

        NodeRecorder n1 = cluster.recorder("n1");
        List<TransitionEvent> n3 = n1.transitionsOf("n3");
        assertThat(n3).as("only n3's circuit moved").hasSameSizeAs(n1.transitions());
        TransitionEvent firstOpen = n3.get(0);
        assertThat(firstOpen.transition()).isEqualTo(Transition.FAILURE_THRESHOLD_REACHED);
        assertThat(cluster.elapsedNanos(firstOpen.atNanos())).isBetween(10 * SECOND, 12 * SECOND);

        TransitionEvent closed = n3.get(n3.size() - 1);
        assertThat(closed.transition()).isEqualTo(Transition.TRIALS_SUCCEEDED);
        assertThat(cluster.elapsedNanos(closed.atNanos())).isGreaterThan(40 * SECOND);
        assertThat(n3.stream().filter(e -> e.transition() == Transition.TRIALS_SUCCEEDED)).hasSize(1);

        // From the moment the circuit opened until it closed, no request went to n3 but the trial. While the
        // partition lasted, each half-open period ended with a failed health check and no request risked; after
        // healing there was exactly one trial, and it closed the circuit.
        long openedAt = firstOpen.atNanos();
        List<NodeRecorder.Forward> toN3WhileNotClosed = n1.forwards().stream()
                .filter(f -> f.backend().equals("n3") && f.at() >= openedAt && f.at() <= closed.atNanos()).toList();
        assertThat(toN3WhileNotClosed).singleElement().satisfies(f -> assertThat(f.trial()).isTrue());
        assertThat(n3.stream().filter(e -> e.transition() == Transition.PROBE_FAILED)).isNotEmpty();
        var breaker = cluster.node("n1").pool().find("n3").orElseThrow().breaker();
        assertThat(breaker.snapshot().trialsAdmitted()).isOne();

        // After healing: the last half-open period is the one that closed, with its single trial; then n3 serves.
        TransitionEvent lastHalfOpen = n3.get(n3.size() - 2);
        assertThat(lastHalfOpen.transition()).isEqualTo(Transition.OPEN_DURATION_ELAPSED);
        assertThat(cluster.elapsedNanos(lastHalfOpen.atNanos())).isGreaterThan(40 * SECOND);
        assertThat(breaker.state()).isEqualTo(CircuitState.CLOSED);
        long servedByN3AfterClose = answers.stream()
                .filter(a -> a.ok() && "n3".equals(a.backend()) && a.sentAt() > closed.atNanos()).count();
        assertThat(servedByN3AfterClose).isGreaterThan(100);
        long servedByN3WhilePartitioned = answers.stream()
                .filter(a -> "n3".equals(a.backend()) && a.answeredAt() > 10 * SECOND && a.sentAt() < 40 * SECOND)
                .count();
        assertThat(servedByN3WhilePartitioned).isZero();
    }
}
