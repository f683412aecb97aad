package io.healthyproxy.testkit;

import java.time.Duration;
import java.util.Objects;

/**
 * Says how a {@link ControllableBackend} answers one kind of request: {@link ControllableBackend#traffic() traffic} (every path but
 * the health path) or {@link ControllableBackend#health() health checks} ({@value ControllableBackend#HEALTH_PATH}). The two
 * switches are independent, so a test can make {@code /} answer 500 while {@code /health} stays 200, or the reverse.
 *
 * <p>A request's behaviour is read from the switch when its head arrives and kept for that request: switching
 * changes how <em>later</em> requests are treated. In particular, requests received while {@linkplain #freeze()
 * frozen} stay unanswered whatever the switch says afterwards, and so do later requests on the same connection,
 * since HTTP/1.1 answers a connection's requests in order.
 *
 * <p>Thread-safe: the test thread may switch at any time while the backend's event loop reads the switch.
 *
 * <pre>{@code
 * backend.traffic().status(500);   // a 500 storm...
 * backend.health().ok();           // ...behind healthy health checks
 * }</pre>
 */
public final class BehaviourSwitch {

    private volatile Behaviour current = Behaviour.OK;

    BehaviourSwitch() {
    }

    /**
     * Normal answers: {@code 200}, {@code Content-Type: text/plain}, the backend's name as body, and the
     * {@code X-Backend} and {@code X-Seen-*} headers (see {@link ControllableBackend}). The default.
     */
    public void ok() {
        current = Behaviour.OK;
    }

    /**
     * Answers {@code status} instead of 200, with the same headers as {@link #ok()} and a short text body
     * ({@code "<name> answers <status>"}); 204 and 304 carry no body.
     *
     * @throws IllegalArgumentException unless {@code 200 <= status <= 599}
     */
    public void status(int status) {
        current = Behaviour.status(status);
    }

    /**
     * Answers as {@link #ok()}, {@code delay} after the whole request has been read. The wait is scheduled on the
     * event loop, so a slow request holds up nothing but later requests on its own connection.
     */
    public void slow(Duration delay) {
        current = Behaviour.slow(Objects.requireNonNull(delay, "delay"));
    }

    /**
     * A hung backend: connections are still accepted and requests read (bodies included) and counted in
     * {@link ControllableBackend#requestsWhileFrozen()}, but nothing is ever written back; the connection stays open until
     * the client gives up or the backend is {@linkplain ControllableBackend#crash() crashed} or
     * {@linkplain ControllableBackend#close() closed}.
     */
    public void freeze() {
        current = Behaviour.FREEZE;
    }

    /**
     * Same as {@link #ok()}: new requests are answered again; the ones received while frozen stay hung.
     */
    public void unfreeze() {
        ok();
    }

    /**
     * A backend that dies mid-answer: once the request has been read, sends {@code HTTP/1.1 200 OK} with
     * {@code Content-Length: }{@value ResponseWriter#PROMISED_LENGTH} and the usual headers, then only the first
     * part of that body ({@code "partial answer from <name>"}), then resets the connection (SO_LINGER 0 and close,
     * so the client reads a TCP RST after the partial body).
     */
    public void resetMidResponse() {
        current = Behaviour.RESET_MID_RESPONSE;
    }

    /**
     * Closes the connection (an ordinary FIN) as soon as a request's head arrives, sending nothing: what a client
     * sees when it reuses a keep-alive connection the server has just dropped. The request is still counted.
     */
    public void closeBeforeResponse() {
        current = Behaviour.CLOSE_BEFORE_RESPONSE;
    }

    /**
     * Once the request has been read, writes {@code garbage\r\n\r\n} (no status line, not HTTP at all) and closes
     * the connection.
     */
    public void malformedResponse() {
        current = Behaviour.MALFORMED_RESPONSE;
    }

    Behaviour current() {
        return current;
    }
}
