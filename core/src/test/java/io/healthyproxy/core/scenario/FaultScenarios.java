package io.healthyproxy.core.scenario;

import static io.healthyproxy.core.breaker.CircuitState.CLOSED;
import static io.healthyproxy.core.breaker.CircuitState.OPEN;
import static io.healthyproxy.core.breaker.Transition.FAILURE_THRESHOLD_REACHED;
import static io.healthyproxy.core.breaker.Transition.OPEN_DURATION_ELAPSED;
import static io.healthyproxy.core.breaker.Transition.TRIALS_SUCCEEDED;
import static io.healthyproxy.core.breaker.Transition.TRIAL_FAILED;

import io.healthyproxy.core.NoBackendPolicy;
import io.healthyproxy.core.breaker.CircuitBreakerConfig;
import io.healthyproxy.core.breaker.CircuitState;
import io.healthyproxy.core.breaker.Transition;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * The fault stories every face plays (docs/LIBRARY.md, "One semantics, three faces"): two backends, a healthy
 * one and a faulty one, requests sent one after another, and what the faulty backend's circuit must do and
 * whether it serves any request of each batch. The node plays them in the simulator, the HTTP proxy and the
 * client library over sockets against {@code ControllableBackend}s; each face's test implements
 * {@link FaceDriver} and hands it to {@link #play}. Data only: no face's logic is here.
 *
 * <p>Every face runs the same breaker ({@link #BREAKER}: 3 failures, 1 s open, doubling, no jitter) with its
 * active checks out of the way and {@link #WHEN_NONE_ADMITS}, so that the circuits are moved by requests alone:
 * under the proxy's {@code LAST_RESORT}, a hedge that finds the healthy backend tried would make the open one a
 * trial early, and whether a hedge happens depends on how fast a real socket answers. Per try, the HTTP faces
 * wait {@link #PER_TRY}; hedging is theirs as by default. Where a face differs on purpose the scenario says so
 * ({@link Scenario#otherwise}).
 */
public final class FaultScenarios {

    /** The breaker of every face in these stories. */
    public static final CircuitBreakerConfig BREAKER = CircuitBreakerConfig.builder().failureThreshold(3)
            .openDuration(Duration.ofSeconds(1)).openJitter(0).backoffMultiplier(2)
            .trialTimeout(Duration.ofSeconds(10)).build();

    /** When no backend admits traffic, on every face: fail fast (the node's default). */
    public static final NoBackendPolicy WHEN_NONE_ADMITS = NoBackendPolicy.FAIL_FAST;

    /** How long an HTTP face waits for one try: long enough that a loaded machine never times out a healthy one. */
    public static final Duration PER_TRY = Duration.ofSeconds(2);

    /** Long enough for an opening of {@link #BREAKER} to end (1 s), with room for a real-time face. */
    public static final Duration OPENING_PASSES = Duration.ofMillis(1500);

    /** The faces of the one core. */
    public enum Face { NODE, PROXY, CLIENT }

    /** What happens to the faulty backend. */
    public enum Fault {
        /** It stops: HTTP connections are refused; a Maelstrom peer stops answering (messages are lost). */
        CRASH,
        /** It is back, as it was. */
        RESTART,
        /** It answers every request with an error: 503 over HTTP, error 11 from a Maelstrom peer. */
        ERRORS,
        /** It answers normally again. */
        HEAL,
        /** It accepts requests and never answers (a Maelstrom peer: the same as a crash). */
        FREEZE,
        /** It answers again. */
        UNFREEZE
    }

    /** One step of a story. */
    public sealed interface Step permits Inject, Send, Pass {
    }

    /** The fault happens now. */
    public record Inject(Fault fault) implements Step {
    }

    /**
     * {@code count} requests, one after another, every one answered successfully (by the healthy backend if not
     * the faulty one); then the faulty backend's circuit is {@code circuit} and it served some request of the
     * batch or none.
     *
     * @param otherwise the circuit a face shows instead, where it differs on purpose
     */
    public record Send(int count, CircuitState circuit, boolean faultyServes, Map<Face, CircuitState> otherwise)
            implements Step {

        public Send(int count, CircuitState circuit, boolean faultyServes) {
            this(count, circuit, faultyServes, Map.of());
        }

        public CircuitState circuitOn(Face face) {
            return otherwise.getOrDefault(face, circuit);
        }
    }

    /** Time passes: virtual time in the simulator, real time over sockets. */
    public record Pass(Duration duration) implements Step {
    }

    /**
     * A story: its steps, the faulty backend's circuit transitions over the whole of it, and where a face differs
     * on purpose, its transitions and why.
     */
    public record Scenario(String name, List<Step> steps, List<Transition> transitions,
            Map<Face, List<Transition>> otherwise, String why) {

        public List<Transition> transitionsOn(Face face) {
            return otherwise.getOrDefault(face, transitions);
        }

        @Override
        public String toString() {
            return name;
        }
    }

    /** A backend crashes: its circuit opens after 3 failures, each request it failed is retried on the other. */
    public static final Scenario CRASH = new Scenario("crash", List.of(
            new Send(4, CLOSED, true),
            new Inject(Fault.CRASH),
            new Send(8, OPEN, false)),
            List.of(FAILURE_THRESHOLD_REACHED), Map.of(), "");

    /** A backend answers every request with an error: the same as a crash, seen by the answers. */
    public static final Scenario ERROR_STORM = new Scenario("5xx storm", List.of(
            new Send(4, CLOSED, true),
            new Inject(Fault.ERRORS),
            new Send(8, OPEN, false)),
            List.of(FAILURE_THRESHOLD_REACHED), Map.of(), "");

    /** A crashed backend comes back: once the opening ends, one trial closes the circuit and it serves again. */
    public static final Scenario RECOVERY = new Scenario("crash, then recovery", List.of(
            new Inject(Fault.CRASH),
            new Send(8, OPEN, false),
            new Inject(Fault.RESTART),
            new Pass(OPENING_PASSES),
            new Send(4, CLOSED, true)),
            List.of(FAILURE_THRESHOLD_REACHED, OPEN_DURATION_ELAPSED, TRIALS_SUCCEEDED), Map.of(), "");

    /**
     * A backend still down when its opening ends: the trial fails, and the circuit re-opens for twice as long
     * (backoff); it comes back during that second opening and gets traffic only once it is over.
     */
    public static final Scenario FLAPPING = new Scenario("flapping: a failed trial, backoff, recovery", List.of(
            new Inject(Fault.CRASH),
            new Send(8, OPEN, false),
            new Pass(OPENING_PASSES),
            new Send(4, OPEN, false),
            new Inject(Fault.RESTART),
            new Pass(Duration.ofMillis(700)),
            new Send(4, OPEN, false),
            new Pass(OPENING_PASSES),
            new Send(4, CLOSED, true)),
            List.of(FAILURE_THRESHOLD_REACHED, OPEN_DURATION_ELAPSED, TRIAL_FAILED, OPEN_DURATION_ELAPSED,
                    TRIALS_SUCCEEDED), Map.of(), "");

    /**
     * A backend freezes. The proxy and the client hedge around it and count nothing against it (slow is not
     * broken: a lost hedge is neutral, and slowness is judged apart); the node has no hedging, and a request
     * that times out counts as a failure there, as in the seed.
     */
    public static final Scenario FREEZE = new Scenario("freeze", List.of(
            new Send(4, CLOSED, true),
            new Inject(Fault.FREEZE),
            new Send(8, CLOSED, false, Map.of(Face.NODE, OPEN)),
            new Inject(Fault.UNFREEZE)),
            List.of(), Map.of(Face.NODE, List.of(FAILURE_THRESHOLD_REACHED)),
            "the node has no hedging and counts a timed-out request as a failure (the seed's rule); "
                    + "the proxy and the client hedge, and a lost hedge or timeout counts on no breaker");

    /** Every story, in the order of the table in docs/LIBRARY.md. */
    public static final List<Scenario> ALL = List.of(CRASH, ERROR_STORM, RECOVERY, FLAPPING, FREEZE);

    private FaultScenarios() {
    }

    /**
     * Plays {@code scenario} on a face, checking after each batch of requests, and at the end, what every face
     * must show.
     *
     * @param scenario the story
     * @param face     which face plays it (for its differences)
     * @param driver   the face's hands: faults, requests, time, and what its faulty backend's circuit did
     */
    public static void play(Scenario scenario, Face face, FaceDriver driver) throws Exception {
        int step = 0;
        for (Step s : scenario.steps()) {
            step++;
            if (s instanceof Inject inject) {
                driver.inject(inject.fault());
            } else if (s instanceof Pass pass) {
                driver.pass(pass.duration());
            } else {
                Send send = (Send) s;
                int servedByFaulty = 0;
                for (int i = 0; i < send.count(); i++) {
                    servedByFaulty += driver.sendOne() ? 1 : 0;
                }
                String where = scenario + ", step " + step + " on the " + face;
                org.assertj.core.api.Assertions.assertThat(driver.circuit()).as("the circuit after " + where)
                        .isEqualTo(send.circuitOn(face));
                org.assertj.core.api.Assertions.assertThat(servedByFaulty > 0).as("the faulty backend served a "
                        + "request of " + where).isEqualTo(send.faultyServes());
            }
        }
        org.assertj.core.api.Assertions.assertThat(driver.transitions()).as("the transitions of " + scenario
                + " on the " + face).containsExactlyElementsOf(scenario.transitionsOn(face));
    }
}
