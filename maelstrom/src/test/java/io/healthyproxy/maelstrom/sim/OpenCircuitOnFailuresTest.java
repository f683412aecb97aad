package io.healthyproxy.maelstrom.sim;

import static org.assertj.core.api.Assertions.assertThat;

import io.healthyproxy.core.Backend;
import io.healthyproxy.core.breaker.CircuitSnapshot;
import io.healthyproxy.core.breaker.CircuitState;
import io.healthyproxy.core.breaker.Transition;
import io.healthyproxy.core.breaker.TransitionEvent;
import io.healthyproxy.maelstrom.json.JsonObject;
import io.healthyproxy.maelstrom.json.JsonValue;
import io.healthyproxy.maelstrom.node.NodeConfig;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The seed's "Open circuit on failures", given real meaning: the circuit opens after exactly the configured
 * number of consecutive failures, {@code circuit_status} shows it, and a failed trial re-opens it for longer.
 */
class OpenCircuitOnFailuresTest {

    @ParameterizedTest(name = "failure threshold {0}")
    @ValueSource(ints = {1, 3, 5, 8})
    void opensAfterExactlyTheConfiguredFailuresAndReopensLongerWhenTheTrialFails(int threshold) {
        NodeConfig defaults = NodeConfig.defaults();
        NodeConfig config = defaults.withBreaker(defaults.breaker().toBuilder()
                .failureThreshold(threshold).openDuration(Duration.ofSeconds(5)).openJitter(0).build());
        SimCluster cluster = SimCluster.start(3, config, threshold);
        SimClient client = cluster.client("c1", "n1");
        cluster.every(Duration.ofMillis(20), () -> client.send("echo", JsonObject.EMPTY.with("echo", "x")));
        cluster.run(Duration.ofSeconds(2));
        Backend n3 = cluster.node("n1").pool().find("n3").orElseThrow();
        assertThat(n3.breaker().state()).isEqualTo(CircuitState.CLOSED);

        cluster.network().crash("n3");
        List<String> seen = new ArrayList<>();
        for (int step = 0; step < 10_000 && n3.breaker().snapshot().timesOpened() == 0; step++) {
            cluster.run(Duration.ofMillis(1));
            CircuitSnapshot s = n3.breaker().snapshot();
            String entry = s.state().label() + "/" + s.consecutiveFailures();
            if (seen.isEmpty() || !seen.get(seen.size() - 1).equals(entry)) {
                seen.add(entry);
            }
        }

        List<String> expected = new ArrayList<>();
        for (int failures = 1; failures < threshold; failures++) {
            expected.add("closed/" + failures);
        }
        expected.add("open/" + threshold);
        assertThat(seen.subList(seen.size() - expected.size(), seen.size())).containsExactlyElementsOf(expected);

        client.send("circuit_status", JsonObject.EMPTY);
        cluster.run(Duration.ofMillis(50));
        JsonObject status = (JsonObject) ((JsonObject) client.lastAnswerTo("circuit_status").answer().fields()
                .get("backends").orElseThrow()).get("n3").orElseThrow();
        assertThat(text(status, "state")).isEqualTo("\"open\"");
        assertThat(text(status, "consecutive_failures")).isEqualTo(String.valueOf(threshold));
        assertThat(text(status, "times_opened")).isEqualTo("1");

        cluster.run(Duration.ofSeconds(8));     // the 5 s open duration passes; the next check of the crashed n3 fails

        List<TransitionEvent> events = cluster.recorder("n1").transitionsOf("n3");
        assertThat(events).extracting(TransitionEvent::transition).startsWith(Transition.FAILURE_THRESHOLD_REACHED,
                Transition.OPEN_DURATION_ELAPSED);
        assertThat(events.get(2).transition()).isIn(Transition.TRIAL_FAILED, Transition.PROBE_FAILED);
        assertThat(events.get(0).openDuration()).isEqualTo(Duration.ofSeconds(5));
        assertThat(events.get(2).openDuration()).isEqualTo(Duration.ofSeconds(10));
        assertThat(client.answers()).allSatisfy(a -> assertThat(a.ok()).isTrue());
    }

    private static String text(JsonObject object, String name) {
        JsonValue value = object.get(name).orElseThrow();
        return value instanceof io.healthyproxy.maelstrom.json.JsonString s ? "\"" + s.value() + "\""
                : ((io.healthyproxy.maelstrom.json.JsonNumber) value).text();
    }
}
