package io.healthyproxy.http;

import static org.assertj.core.api.Assertions.assertThat;

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
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The shared fault stories on the HTTP proxy, over real sockets: b1 healthy, b2 faulty, requests one after
 * another. The same stories run on the Maelstrom node and the client library (docs/LIBRARY.md).
 */
class FaultScenarioTest {

    static Stream<Scenario> scenarios() {
        return FaultScenarios.ALL.stream();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("scenarios")
    void theProxyPlaysEveryFaultStoryAsTheTableSays(Scenario scenario) throws Exception {
        // The proxy's own settings (adaptive hedging), the stories' breaker, policy and time per try, and no
        // active checks: requests alone move the circuits.
        try (ProxyHarness h = ProxyHarness.start(2, b -> ProxyHarness.withoutHealthChecks(b)
                .breaker(FaultScenarios.BREAKER).whenNoneAdmits(FaultScenarios.WHEN_NONE_ADMITS)
                .timeouts(ProxyHarness.timeouts(FaultScenarios.PER_TRY, FaultScenarios.PER_TRY.multipliedBy(3))))) {
            FaultScenarios.play(scenario, Face.PROXY, new ProxyDriver(h));
        }
    }

    private static final class ProxyDriver implements FaceDriver {
        private final ProxyHarness h;
        private final ControllableBackend faulty;
        private final List<TransitionEvent> events = new CopyOnWriteArrayList<>();

        ProxyDriver(ProxyHarness h) {
            this.h = h;
            this.faulty = h.backend(2);
            h.core(2).breaker().addListener(events::add);
        }

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
            HttpResponse<String> r = h.get("/");
            assertThat(r.statusCode()).as("answered: %s", r.body()).isEqualTo(200);
            return r.body().equals("b2");
        }

        @Override
        public void pass(Duration duration) throws InterruptedException {
            Thread.sleep(duration.toMillis());      // the story's pause itself: real time on a real-socket face
        }

        @Override
        public CircuitState circuit() {
            return h.circuit(2);
        }

        @Override
        public List<Transition> transitions() {
            return events.stream().map(TransitionEvent::transition).toList();
        }
    }
}
