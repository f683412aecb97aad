package io.healthyproxy.http.internal;

import io.netty.handler.codec.http.HttpContent;
import io.netty.handler.codec.http.HttpResponse;

/**
 * What an {@link Attempt} reports to the exchange that launched it: the whole of its upward interface. The
 * attempt only moves bytes and enforces its own {@link AttemptLimits}; every decision — whether a response
 * is relayed, held or retried, whom the outcome is held against — is the listener's. All calls on the
 * attempt's event loop; an attempt that was {@linkplain Attempt#cancel() cancelled} reports nothing more.
 */
interface AttemptListener {

    /**
     * The attempt can take the next piece of a streamed request body ({@link Attempt#writeBody}): its
     * connection is up and the head went out, or the previous piece reached the backend's socket.
     */
    void onBodyWanted(Attempt attempt);

    /** An interim (1xx) response, other than 101, ahead of the final one. */
    void onInterim(Attempt attempt, HttpResponse interim);

    /**
     * The final response head. A body follows as {@link #onBody} (a last piece even when it is empty) — except
     * after a {@code 101} to an upgrade, when the listener either takes the connection over
     * ({@link Attempt#handOver()}) or calls the attempt off.
     */
    void onHead(Attempt attempt, HttpResponse head);

    /**
     * A piece of the response body, owned by the listener from here on; {@code last} completes the response,
     * and the attempt with it (its connection is back in its pool or closed).
     */
    void onBody(Attempt attempt, HttpContent content, boolean last);

    /** A batch of reads from the backend ended: a good time to flush what was relayed. */
    void onReadBatchEnd(Attempt attempt);

    /** The attempt failed, before or during the response; its connection is closed. Nothing follows. */
    void onFailed(Attempt attempt, AttemptFailure failure);
}
