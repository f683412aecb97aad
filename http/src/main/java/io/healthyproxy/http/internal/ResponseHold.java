package io.healthyproxy.http.internal;

import io.netty.handler.codec.http.HttpContent;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.util.ReferenceCountUtil;
import java.util.ArrayList;
import java.util.List;

/**
 * A response held back until it is complete, so that a backend failing halfway through it costs the client a
 * retry instead of a broken answer; held briefly, so that a slow response is only delayed, never failed.
 * Owns what it holds until {@link #release()} or until the exchange takes the pieces to relay them.
 */
final class ResponseHold {

    private final HttpResponse head;
    private final long deadline;
    /** Null until a second piece arrives: most held responses are a head and one last piece. */
    private List<HttpContent> pieces;
    private HttpContent first;
    private long bytes;

    /** @param deadline when to stop holding and relay what came (a ticker reading) */
    ResponseHold(HttpResponse head, long deadline) {
        this.head = head;
        this.deadline = deadline;
    }

    HttpResponse head() {
        return head;
    }

    long deadline() {
        return deadline;
    }

    void add(HttpContent content) {
        bytes += content.content().readableBytes();
        if (first == null && pieces == null) {
            first = content;
            return;
        }
        if (pieces == null) {
            pieces = new ArrayList<>(4);
            pieces.add(first);
            first = null;
        }
        pieces.add(content);
    }

    long bytes() {
        return bytes;
    }

    /** Hands every held piece, in order, to {@code relay}; the hold is empty afterwards. */
    void drainTo(java.util.function.Consumer<HttpContent> relay) {
        if (first != null) {
            HttpContent only = first;
            first = null;
            relay.accept(only);
        } else if (pieces != null) {
            List<HttpContent> all = pieces;
            pieces = null;
            all.forEach(relay);
        }
    }

    /** Frees what is held (the response will not be relayed). */
    void release() {
        ReferenceCountUtil.release(first);
        first = null;
        if (pieces != null) {
            pieces.forEach(ReferenceCountUtil::release);
            pieces = null;
        }
    }
}
