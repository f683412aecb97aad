package io.healthyproxy.http.internal;

import java.util.EnumSet;
import java.util.Set;

/**
 * The life of one client connection ({@link ClientConnection}), and the legal moves between its states, in
 * one place. Each state has at most one deadline of the connection's own (an exchange's deadlines are the
 * exchange's).
 *
 * <pre>
 *   IDLE ──bytes──► HEAD ──head──► BODY ──last piece──► EXCHANGE ──answered, keep-alive──► IDLE
 *     │               │              └──outgrew the buffer──► UPLOADING ──last piece──┘
 *     │               └──large body──────────────────────────► UPLOADING
 *     │                                                      EXCHANGE ──101 to an upgrade──► TUNNEL ──► CLOSED
 *     └──(any state) refused / answered with close ──► LINGER ──► CLOSED;   gone / aborted ──► CLOSED
 * </pre>
 */
enum ClientState implements Lifecycle<ClientState> {
    /** Waiting for a request; nothing of it has arrived. Deadline: the idle timeout. */
    IDLE,
    /** The first bytes of a request head arrived. Deadline: the request-header timeout (then 408). */
    HEAD,
    /** A head was accepted; its (small) body is being buffered before any backend is tried. */
    BODY,
    /** An exchange runs while the request body is still arriving, streamed to the backend. */
    UPLOADING,
    /** An exchange runs; the whole request has arrived. */
    EXCHANGE,
    /** Upgraded (WebSocket): bytes relayed to and from a backend through a {@link Tunnel}. Deadline: the tunnel's. */
    TUNNEL,
    /**
     * A last answer is written or being written: input is discarded until the client closes. Deadline: the
     * linger time, once the answer is out.
     */
    LINGER,
    /** Closed, or closing: nothing more happens. */
    CLOSED;

    private Set<ClientState> next;

    static {
        IDLE.next = EnumSet.of(HEAD, BODY, UPLOADING, LINGER, CLOSED);
        HEAD.next = EnumSet.of(BODY, UPLOADING, LINGER, CLOSED);
        BODY.next = EnumSet.of(EXCHANGE, UPLOADING, LINGER, CLOSED);
        UPLOADING.next = EnumSet.of(EXCHANGE, LINGER, CLOSED);
        EXCHANGE.next = EnumSet.of(IDLE, TUNNEL, LINGER, CLOSED);
        TUNNEL.next = EnumSet.of(CLOSED);
        LINGER.next = EnumSet.of(CLOSED);
        CLOSED.next = EnumSet.noneOf(ClientState.class);
    }

    @Override
    public boolean canMoveTo(ClientState target) {
        return next.contains(target);
    }

    /** Whether an exchange runs in this state. */
    boolean hasExchange() {
        return this == UPLOADING || this == EXCHANGE;
    }
}
