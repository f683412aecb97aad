package io.healthyproxy.client.http;

import static org.assertj.core.api.Assertions.assertThat;

import io.healthyproxy.core.Backend;
import io.healthyproxy.core.breaker.CircuitState;
import io.healthyproxy.core.breaker.Transition;
import io.healthyproxy.core.breaker.TransitionEvent;
import io.healthyproxy.core.scenario.FaceDriver;
import io.healthyproxy.core.scenario.FaultScenarios;
import io.healthyproxy.core.scenario.FaultScenarios.Face;
import io.healthyproxy.core.scenario.FaultScenarios.Fault;
import io.healthyproxy.core.scenario.FaultScenarios.Scenario;
import io.healthyproxy.testkit.ControllableBackend;
import java.net.http.HttpResponse;
import java.net.http.HttpResponse.BodyHandlers;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The shared fault stories on the client library, over real sockets against the same {@link ControllableBackend}s
 * the proxy's tests use: b1 healthy, b2 faulty. The same stories run on the node and the proxy (docs/LIBRARY.md).
 */
class FaultScenarioTest {

    static Stream<Scenario> scenarios() {
        return FaultScenarios.ALL.stream();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("scenarios")
    void theClientPlaysEveryFaultStoryAsTheTableSays(Scenario scenario) throws Exception {
        try (ControllableBackend healthy = ControllableBackend.start("b1");
                ControllableBackend faulty = ControllableBackend.start("b2")) {
            List<TransitionEvent> events = new CopyOnWriteArrayList<>();
            // The client's defaults (adaptive hedging), the stories' breaker, policy and time per try, and no
            // active checks: requests alone move the circuits.
            try (HealthyHttpClient client = HealthyHttpClient.builder().noHealthCheck()
                    .breaker(FaultScenarios.BREAKER).whenNoneAdmits(FaultScenarios.WHEN_NONE_ADMITS)
                    .perTryTimeout(FaultScenarios.PER_TRY)
                    .backend(healthy.uri("/")).backend(faulty.uri("/"))
                    .circuitListener(e -> {
                        if (e.breaker().equals(faulty.uri("/").toString())) {
                            events.add(e);
                        }
                    }).build()) {
                FaultScenarios.play(scenario, Face.CLIENT, new ClientDriver(client, faulty, events));
            } catch (java.io.IOException e) {
                throw new AssertionError("healthy " + healthy.uri("/") + ", faulty " + faulty.uri("/") + ": " + e, e);
            }
        }
    }

    private record ClientDriver(HealthyHttpClient client, ControllableBackend faulty, List<TransitionEvent> events)
            implements FaceDriver {

        @Override
        public void inject(Fault fault) {
            switch (fault) {
                case CRASH -> faulty.crash();
                case RESTART -> faulty.restart();
                case ERRORS -> faulty.traffic().status(503);
                case HEAL -> faulty.traffic().ok();
                case FREEZE -> faulty.freeze();
                case UNFREEZE -> faulty.unfreeze();
            }
        }

        @Override
        public boolean sendOne() throws Exception {
            HttpResponse<String> r = client.send(ServiceRequest.get("/"), BodyHandlers.ofString());
            assertThat(r.statusCode()).as("answered: %s", r.body()).isEqualTo(200);
            return r.body().equals("b2");
        }

        @Override
        public void pass(Duration duration) throws InterruptedException {
            Thread.sleep(duration.toMillis());      // the story's pause itself: real time on a real-socket face
        }

        @Override
        public CircuitState circuit() {
            return faultyBackend().breaker().state();
        }

        @Override
        public List<Transition> transitions() {
            return events.stream().map(TransitionEvent::transition).toList();
        }

        private Backend faultyBackend() {
            return client.group().find(faulty.uri("/").toString()).orElseThrow();
        }
    }
}
