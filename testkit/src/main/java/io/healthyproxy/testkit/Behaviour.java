package io.healthyproxy.testkit;

import java.time.Duration;

/**
 * How a {@link ControllableBackend} treats one request: decided when the request's head arrives, then kept for that request
 * whatever the switch says later.
 *
 * @param kind   what to do
 * @param status the status to answer with: 200 except for {@link Kind#STATUS}
 * @param delay  how long to wait before answering: zero except for {@link Kind#SLOW}
 */
record Behaviour(Kind kind, int status, Duration delay) {

    /** What a backend does with a request; {@link BehaviourSwitch} documents each one's bytes on the wire. */
    enum Kind { OK, STATUS, SLOW, FREEZE, RESET_MID_RESPONSE, CLOSE_BEFORE_RESPONSE, MALFORMED_RESPONSE }

    static final Behaviour OK = of(Kind.OK);
    static final Behaviour FREEZE = of(Kind.FREEZE);
    static final Behaviour RESET_MID_RESPONSE = of(Kind.RESET_MID_RESPONSE);
    static final Behaviour CLOSE_BEFORE_RESPONSE = of(Kind.CLOSE_BEFORE_RESPONSE);
    static final Behaviour MALFORMED_RESPONSE = of(Kind.MALFORMED_RESPONSE);

    static Behaviour status(int status) {
        if (status < 200 || status > 599) {
            throw new IllegalArgumentException("status: " + status + " (expected: 200..599)");
        }
        return new Behaviour(Kind.STATUS, status, Duration.ZERO);
    }

    static Behaviour slow(Duration delay) {
        if (delay.isNegative()) {
            throw new IllegalArgumentException("delay: " + delay + " (expected: >= 0)");
        }
        return new Behaviour(Kind.SLOW, 200, delay);
    }

    private static Behaviour of(Kind kind) {
        return new Behaviour(kind, 200, Duration.ZERO);
    }
}
