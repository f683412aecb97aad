package io.healthyproxy.maelstrom.sim;

import static org.assertj.core.api.Assertions.assertThat;

import io.healthyproxy.core.Backend;
import io.healthyproxy.core.breaker.CircuitState;
import io.healthyproxy.core.breaker.Transition;
import io.healthyproxy.core.breaker.TransitionEvent;
import io.healthyproxy.core.health.HealthCheckConfig;
import io.healthyproxy.core.scenario.FaceDriver;
import io.healthyproxy.core.scenario.FaultScenarios;
import io.healthyproxy.core.scenario.FaultScenarios.Face;
import io.healthyproxy.core.scenario.FaultScenarios.Fault;
import io.healthyproxy.core.scenario.FaultScenarios.Scenario;
import io.healthyproxy.maelstrom.json.JsonObject;
import io.healthyproxy.maelstrom.node.NodeConfig;
import java.time.Duration;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The shared fault stories on the Maelstrom node, in the simulator: n1 routes to n2 (healthy) and n3 (faulty),
 * in virtual time. The same stories run on the HTTP proxy and the client library (docs/LIBRARY.md).
 */
class FaultScenarioTest {

    static Stream<Scenario> scenarios() {
        return FaultScenarios.ALL.stream();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("scenarios")
    void theNodePlaysEveryFaultStoryAsTheTableSays(Scenario scenario) throws Exception {
        // The node's own settings, with the stories' breaker, checks out of the way, and 100 ms per attempt.
        NodeConfig config = NodeConfig.defaults().withBreaker(FaultScenarios.BREAKER)
                .withHealth(HealthCheckConfig.builder().interval(Duration.ofHours(1)).build())
                .withRequestTimeout(Duration.ofMillis(100)).withNoBackendPolicy(FaultScenarios.WHEN_NONE_ADMITS);
        SimCluster cluster = SimCluster.start(3, config, 11);
        FaultScenarios.play(scenario, Face.NODE, new NodeDriver(cluster));
    }

    /** n3 is the faulty backend; a client sends echoes to n1. */
    private static final class NodeDriver implements FaceDriver {
        private final SimCluster cluster;
        private final SimClient client;
        private final Backend faulty;

        NodeDriver(SimCluster cluster) {
            this.cluster = cluster;
            this.client = cluster.client("c1", "n1");
            this.faulty = cluster.node("n1").pool().find("n3").orElseThrow();
        }

        @Override
        public void inject(Fault fault) {
            switch (fault) {
                case CRASH, FREEZE -> cluster.network().crash("n3");         // a peer that stops answering
                case RESTART, UNFREEZE -> cluster.network().restore("n3");
                case ERRORS -> cluster.network().answerErrors("n3");
                case HEAL -> cluster.network().answerNormally("n3");
            }
        }

        @Override
        public boolean sendOne() {
            int before = client.answers().size();
            client.send("echo", JsonObject.EMPTY.with("echo", "x"));
            for (int step = 0; step < 10_000 && client.answers().size() == before; step++) {
                cluster.run(Duration.ofMillis(1));
            }
            assertThat(client.answers()).hasSize(before + 1);
            SimClient.Answer answer = client.answers().get(before);
            assertThat(answer.ok()).as("answered: %s", answer.answer()).isTrue();
            return "n3".equals(answer.backend());
        }

        @Override
        public void pass(Duration duration) {
            cluster.run(duration);
        }

        @Override
        public CircuitState circuit() {
            return faulty.breaker().state();
        }

        @Override
        public List<Transition> transitions() {
            return cluster.recorder("n1").transitionsOf("n3").stream().map(TransitionEvent::transition).toList();
        }
    }
}
