package io.healthyproxy.core.scenario;

import io.healthyproxy.core.breaker.CircuitState;
import io.healthyproxy.core.breaker.Transition;
import java.time.Duration;
import java.util.List;

/** A face's hands for {@link FaultScenarios#play}: one healthy backend, one faulty one. */
public interface FaceDriver {

    /** Makes the faulty backend misbehave, or stop misbehaving. */
    void inject(FaultScenarios.Fault fault) throws Exception;

    /**
     * Sends one request through the face and waits for its answer, failing the test if it was not a success.
     *
     * @return whether the faulty backend was the one that answered
     */
    boolean sendOne() throws Exception;

    /** Lets {@code duration} pass. */
    void pass(Duration duration) throws Exception;

    /** The faulty backend's circuit now. */
    CircuitState circuit();

    /** The faulty backend's circuit transitions since the story began, in order. */
    List<Transition> transitions();
}
