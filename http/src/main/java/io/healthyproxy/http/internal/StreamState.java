package io.healthyproxy.http.internal;

import java.util.EnumSet;
import java.util.Set;

/**
 * The life of one HTTP/2 stream of a client ({@link ClientStream}), and the legal moves between its states,
 * in one place. A stream carries exactly one request; what {@link ClientState} does for keep-alive, idling,
 * pipelining and lingering is the connection's business in HTTP/2 ({@link Http2ClientConnection}).
 *
 * <pre>
 *   OPEN ──head──► BODY ──end of stream──► EXCHANGE ──answered──► DONE ──stream closed──► CLOSED
 *     │              └──outgrew the buffer──► UPLOADING ──end of stream──┘
 *     └──large body──► UPLOADING ──answered first──► DONE  (the rest of the body refused: RST_STREAM)
 *   (any state) refused ──► DONE;   reset by the client / the connection gone ──► CLOSED
 * </pre>
 */
enum StreamState implements Lifecycle<StreamState> {
    /** The stream opened; its request head is being handed over. */
    OPEN,
    /** A head was accepted; its (small) body is being buffered before any backend is tried. Deadline: body idle. */
    BODY,
    /** An exchange runs while the request body is still arriving, streamed to the backend. Deadline: body idle. */
    UPLOADING,
    /** An exchange runs; the whole request has arrived. */
    EXCHANGE,
    /** Answered or refused: whatever the client still sends on the stream is discarded. */
    DONE,
    /** The stream is closed: nothing more happens. */
    CLOSED;

    private Set<StreamState> next;

    static {
        OPEN.next = EnumSet.of(BODY, UPLOADING, DONE, CLOSED);
        BODY.next = EnumSet.of(EXCHANGE, UPLOADING, DONE, CLOSED);
        UPLOADING.next = EnumSet.of(EXCHANGE, DONE, CLOSED);
        EXCHANGE.next = EnumSet.of(DONE, CLOSED);
        DONE.next = EnumSet.of(CLOSED);
        CLOSED.next = EnumSet.noneOf(StreamState.class);
    }

    @Override
    public boolean canMoveTo(StreamState target) {
        return next.contains(target);
    }
}
