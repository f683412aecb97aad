package io.healthyproxy.http.internal;

import io.healthyproxy.core.Lease;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.handler.codec.http.DefaultHttpResponse;
import io.netty.handler.codec.http.DefaultLastHttpContent;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpContent;
import io.netty.handler.codec.http.HttpObject;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.LastHttpContent;
import io.netty.util.ReferenceCountUtil;
import io.netty.util.concurrent.Future;
import java.util.ArrayList;
import java.util.List;

/**
 * One try of a request on one backend: get a connection, send the request, wait for the response head
 * (at most the per-try timeout), then either relay the response (if it won) or fail.
 *
 * <p>When the request could be tried again, a response is <em>held</em> until it is complete, up to
 * {@code limits.maxBufferedResponseBytes}, and only then relayed: a backend that fails halfway through a
 * small response (a reset, a stall, garbage) then costs the client a retry rather than a broken response.
 * The per-try timeout covers the whole of a held response. A response that outgrows the limit is relayed
 * from then on, as every response is when the request cannot be repeated.
 *
 * <p>It reports exactly one outcome to its {@link Lease} (and so to the backend's circuit breaker), and gives
 * back its retry-budget place if it held one. A connection that ends cleanly goes back to the pool; any
 * other is closed, since what is left on it is unknown. Confined to the exchange's event loop.
 */
final class Attempt {

    private enum State { CONNECTING, SENDING, AWAITING_HEAD, HOLDING, RELAYING, DONE }

    private final Exchange exchange;
    private final Lease lease;
    private final boolean holdsBudget;
    private final UpstreamPool pool;
    private final ChannelFutureListener closeOnWriteFailure = f -> {
        if (!f.isSuccess()) {
            f.channel().close();
        }
    };
    private State state = State.CONNECTING;
    private UpstreamConnection connection;
    /** When to ask the exchange for a hedge (ticker reading), or 0 for no hedge. */
    private long hedgeAt;
    /** When the per-try timeout strikes, or 0 until the request has been sent. */
    private long timeoutAt;
    private long sentAt;
    private long lastActivity;
    private int status;
    private boolean upstreamKeepAlive;
    private boolean skippingInformational;
    private boolean readingPaused;
    /** When reading was paused for a client that did not keep up. */
    private long pausedAt;
    private boolean requestComplete;
    /** While {@link State#HOLDING}: the response head and what has come of its body. */
    private HttpResponse heldHead;
    private List<HttpContent> heldBody;
    private long heldBytes;

    /**
     * @param holdsBudget whether this attempt took a retry-budget place, given back when it ends
     * @param hedgeAfter  after this many nanoseconds without an answer, ask the exchange for a hedge (0: never)
     */
    Attempt(Exchange exchange, Lease lease, boolean holdsBudget, long hedgeAfter, UpstreamPool pool) {
        this.exchange = exchange;
        this.lease = lease;
        this.holdsBudget = holdsBudget;
        this.pool = pool;
        this.hedgeAt = hedgeAfter > 0 ? exchange.proxy().ticker.read() + hedgeAfter : 0;
    }

    String backendId() {
        return lease.backend().id();
    }

    void start() {
        armTimer();
        Future<UpstreamConnection> connecting = pool.acquire();
        if (connecting.isDone()) {
            connected(connecting);
        } else {
            connecting.addListener(f -> connected(connecting));
        }
    }

    private void connected(Future<UpstreamConnection> connecting) {
        if (state == State.DONE) {
            if (connecting.isSuccess()) {
                pool.release(connecting.getNow());      // cancelled while connecting: keep the fresh connection
            }
            return;
        }
        if (!connecting.isSuccess()) {
            fail(AttemptFailure.CONNECT);
            return;
        }
        connection = connecting.getNow();
        connection.bind(this);
        Channel channel = connection.channel();
        ProxiedRequest request = exchange.request();
        if (request.isStreamed()) {
            state = State.SENDING;
            channel.write(request.streamedHeadForUpstream()).addListener(closeOnWriteFailure);
            HttpContent buffered = request.takeBufferedBody();     // a chunked body that outgrew the buffer
            if (buffered != null) {
                channel.write(buffered).addListener(closeOnWriteFailure);
            }
            channel.flush();
            exchange.onUpstreamReady(this);
        } else {
            channel.writeAndFlush(request.bufferedForUpstream()).addListener(closeOnWriteFailure);
            requestSent();
        }
        channel.read();
    }

    /** Sends a piece of a streamed body; {@code last} ends the request. */
    void writeBodyChunk(HttpContent chunk, boolean last) {
        if (connection == null) {
            // The body is pulled only once the connection is up (onUpstreamReady), so this is a bug, not a race.
            chunk.release();
            throw new IllegalStateException("body chunk before the backend connection was up");
        }
        if (state == State.DONE) {
            chunk.release();                        // the attempt ended (its answer came early): nobody wants it
            return;
        }
        connection.channel().writeAndFlush(chunk).addListener((ChannelFutureListener) f -> {
            if (!f.isSuccess()) {
                f.channel().close();
            } else {
                exchange.onBodyChunkWritten(last);
            }
        });
        if (last && state == State.SENDING) {
            requestSent();
        }
    }

    private void requestSent() {
        requestComplete = true;
        state = State.AWAITING_HEAD;
        sentAt = exchange.proxy().ticker.read();
        timeoutAt = sentAt + exchange.proxy().perTryNanos;
        armTimer();
    }

    /**
     * Asks the connection's timer to wake this attempt by its earliest deadline: hedge point, per-try
     * timeout, request deadline. Deadlines that stop mattering (the answer came) are just left to lapse.
     */
    private void armTimer() {
        long next = earliest(earliest(hedgeAt, timeoutAt), exchange.requestDeadline());
        if (next != 0) {
            exchange.client().wakeBy(next);
        }
    }

    /** The connection's timer woke: act on whichever of this attempt's deadlines has passed. */
    void onTimer(long now) {
        if (state == State.RELAYING) {
            checkStall(now);
            return;
        }
        if (state == State.DONE) {
            return;
        }
        long requestDeadline = exchange.requestDeadline();
        if (requestDeadline != 0 && now - requestDeadline >= 0) {
            exchange.onRequestTimeout();                // cancels this attempt, among others
            return;
        }
        if (timeoutAt != 0 && now - timeoutAt >= 0) {
            fail(AttemptFailure.TIMEOUT);
            return;
        }
        if (hedgeAt != 0 && now - hedgeAt >= 0) {
            hedgeAt = 0;
            exchange.onHedgeDelay();
        }
        if (state != State.DONE) {
            armTimer();
        }
    }

    private static long earliest(long a, long b) {
        if (a == 0) {
            return b;
        }
        if (b == 0) {
            return a;
        }
        return a - b <= 0 ? a : b;
    }

    // ---- events from the upstream connection --------------------------------------------------------------

    void onResponseObject(HttpObject msg) {
        boolean handedOn = false;
        try {
            if (msg.decoderResult().isFailure()) {
                if (state == State.RELAYING) {
                    broken();
                } else if (state != State.DONE) {
                    fail(AttemptFailure.BAD_RESPONSE);
                }
                return;
            }
            switch (state) {
                case SENDING, AWAITING_HEAD -> awaitingHead(msg);
                case HOLDING -> {
                    handedOn = true;            // held, then relayed or released
                    hold((HttpContent) msg);
                }
                case RELAYING -> {
                    handedOn = true;            // the client's channel owns it now
                    relay((HttpContent) msg);
                }
                default -> { }
            }
        } finally {
            if (!handedOn) {
                ReferenceCountUtil.release(msg);
            }
        }
    }

    private void awaitingHead(HttpObject msg) {
        if (msg instanceof HttpResponse response) {
            HttpResponse head = response;
            HttpContent bodyWithHead = null;
            if (response instanceof FullHttpResponse full) {    // head and body in one: handle them apart
                head = new DefaultHttpResponse(full.protocolVersion(), full.status(), full.headers());
                bodyWithHead = new DefaultLastHttpContent(full.content().retain(), full.trailingHeaders());
            }
            int code = head.status().code();
            if (code >= 100 && code < 200) {
                skippingInformational = true;       // 1xx: an interim answer, the real one follows
                return;
            }
            hedgeAt = 0;
            long now = exchange.proxy().ticker.read();
            if (sentAt != 0) {
                exchange.proxy().hedgeDelay.record(now - sentAt);
            }
            status = code;
            upstreamKeepAlive = HttpUtil.isKeepAlive(head);
            lastActivity = now;
            if (exchange.rejectsStatus(code)) {
                fail(AttemptFailure.FAILURE_STATUS);
                if (bodyWithHead != null) {
                    bodyWithHead.release();
                }
                return;
            }
            heldHead = head;
            if (exchange.holdsResponses()) {
                state = State.HOLDING;              // the per-try timeout still runs: see the class comment
            } else {
                relayHeld(null);
            }
            if (bodyWithHead != null) {
                if (state == State.DONE) {
                    bodyWithHead.release();
                } else {
                    onResponseObject(bodyWithHead);
                }
            }
        } else if (skippingInformational && msg instanceof LastHttpContent) {
            skippingInformational = false;
        }
    }

    private void hold(HttpContent content) {
        lastActivity = exchange.proxy().ticker.read();
        boolean last = content instanceof LastHttpContent;
        if (last && heldBody == null) {
            relayHeld(content);                     // the common case, a response in one piece: no list
            return;
        }
        if (heldBody == null) {
            heldBody = new ArrayList<>(4);
        }
        heldBody.add(content);
        heldBytes += content.content().readableBytes();
        if (last || heldBytes > exchange.proxy().config.limits().maxBufferedResponseBytes()) {
            relayHeld(null);
        }
    }

    /**
     * The response is complete, or too large to hold, or not to be held: it goes to the client if it won,
     * what was held first, then {@code lastPiece} if given.
     */
    private void relayHeld(HttpContent lastPiece) {
        timeoutAt = 0;
        HttpResponse head = heldHead;
        heldHead = null;
        if (!exchange.claim(this, head)) {
            releaseHeld();
            if (lastPiece != null) {
                lastPiece.release();
            }
            fail(AttemptFailure.LOST_HEDGE);        // another attempt answered first
            return;
        }
        state = State.RELAYING;
        List<HttpContent> body = heldBody;
        heldBody = null;
        if (body != null) {
            for (HttpContent content : body) {
                relay(content);                     // the last one completes the attempt
            }
        }
        if (lastPiece != null) {
            relay(lastPiece);
        }
    }

    private void releaseHeld() {
        heldHead = null;
        if (heldBody != null) {
            heldBody.forEach(ReferenceCountUtil::release);
            heldBody = null;
        }
    }

    private void relay(HttpContent content) {
        lastActivity = exchange.proxy().ticker.read();
        boolean last = content instanceof LastHttpContent;
        exchange.relayContent(content);
        if (last) {
            complete();
        }
    }

    void onReadComplete() {
        if (state == State.RELAYING) {
            exchange.client().wakeBy(lastActivity + perTryNanos());    // a response spanning reads may stall
            if (exchange.flushRelayed()) {
                connection.channel().read();
            } else {
                readingPaused = true;
                pausedAt = exchange.proxy().ticker.read();
                exchange.client().wakeBy(pausedAt + exchange.proxy().clientIdleNanos);
            }
        } else if (state != State.DONE && connection != null) {
            connection.channel().read();
        }
    }

    /** The client can take more: read the next piece of the response. */
    void resumeReading() {
        if (state == State.RELAYING && readingPaused) {
            readingPaused = false;
            connection.channel().read();
        }
    }

    void onConnectionLost(Throwable cause) {
        switch (state) {
            case SENDING, AWAITING_HEAD, HOLDING -> fail(AttemptFailure.RESET);
            case RELAYING -> broken();
            default -> { }
        }
    }

    /**
     * While relaying, a backend silent for a whole per-try timeout is stalled: give up on it. A client that
     * takes nothing for {@code clientIdle} while the response waits for it is not a stalled backend but a
     * client too slow to serve (or one that stopped reading on purpose, holding a backend connection): it is
     * dropped, which calls this attempt off without blaming the backend.
     */
    private void checkStall(long now) {
        if (readingPaused) {
            long tooSlowAt = pausedAt + exchange.proxy().clientIdleNanos;
            if (now - tooSlowAt >= 0) {
                exchange.client().abort();
            } else {
                exchange.client().wakeBy(tooSlowAt);
            }
        } else if (now - lastActivity >= perTryNanos()) {
            broken();
        } else {
            exchange.client().wakeBy(lastActivity + perTryNanos());
        }
    }

    private long perTryNanos() {
        return exchange.proxy().perTryNanos;
    }

    // ---- outcomes ---------------------------------------------------------------------------------------

    /** The whole response was relayed. */
    private void complete() {
        state = State.DONE;
        if (upstreamKeepAlive && requestComplete) {
            pool.release(connection);
        } else {
            connection.close();
        }
        report(exchange.proxy().config.failureStatuses().contains(status));
        exchange.onRelayComplete(this);
    }

    /** The backend failed mid-response. */
    private void broken() {
        state = State.DONE;
        connection.close();
        report(true);
        exchange.onRelayBroken(this);
    }

    /** This attempt failed before a response was relayed. */
    private void fail(AttemptFailure failure) {
        state = State.DONE;
        releaseHeld();
        if (connection != null) {
            connection.close();
        }
        boolean backendsFault = failure == AttemptFailure.FAILURE_STATUS
                ? exchange.proxy().config.failureStatuses().contains(status) : failure.backendsFault();
        report(backendsFault);
        exchange.onAttemptFailed(this, failure);
    }

    /**
     * Called off by the exchange: a hedge won ({@link AttemptFailure#LOST_HEDGE}), the request timed out, or
     * (null) the client went away, which is not the backend's fault.
     */
    void cancel(AttemptFailure reason) {
        if (state == State.DONE) {
            return;
        }
        state = State.DONE;
        releaseHeld();
        if (connection != null) {
            connection.close();
        }
        if (reason == null) {
            lease.release();
            releaseBudget();
        } else {
            report(reason.backendsFault());
        }
    }

    private void report(boolean failed) {
        if (failed) {
            lease.onFailure();
        } else {
            lease.onSuccess();
        }
        releaseBudget();
    }

    private void releaseBudget() {
        if (holdsBudget) {
            exchange.proxy().budget.retryFinished();
        }
    }
}
