package io.healthyproxy.http.internal;

import io.healthyproxy.core.time.Ticker;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
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

/**
 * One try of a request on one backend: take a connection from its {@link Upstream}, send the request, and
 * report what comes back to its {@link AttemptListener}. That is all it decides: it knows neither the backend's
 * breaker nor the client nor the other attempts of its exchange. It enforces the two {@link AttemptLimits} it
 * was given — no response head within {@code headNanos} of sending the request is a
 * {@link AttemptFailure#TIMEOUT}, a body silent for {@code idleNanos} is {@link AttemptFailure#STALLED} — and
 * reads the response only as fast as the listener lets it ({@link #pauseReading()}).
 *
 * <p>A connection that ends cleanly goes back to its pool; any other is closed, since what is left on it is
 * unknown. Confined to the exchange's event loop.
 */
final class Attempt {

    /** The legal moves: forward only, and DONE from anywhere. */
    enum State {
        /** Waiting for a connection. */
        CONNECTING,
        /** The head of a streamed request is out; its body is still being sent. */
        SENDING,
        /** The whole request is out; waiting for the response head. */
        AWAITING_HEAD,
        /** The final response head came; its body is arriving. */
        RECEIVING,
        /** Completed, failed or cancelled: nothing more is reported. */
        DONE
    }

    private final ProxiedRequest request;
    private final AttemptLimits limits;
    private final Upstream upstream;
    private final Ticker ticker;
    private final Alarm alarm;
    private final AttemptListener listener;
    private final ChannelFutureListener closeOnWriteFailure = f -> {
        if (!f.isSuccess()) {
            f.channel().close();
        }
    };
    private State state = State.CONNECTING;
    private UpstreamConnection connection;
    /** When the whole request was sent (ticker reading), 0 before. */
    private long sentAt;
    /** When the backend last sent something, while {@link State#RECEIVING}. */
    private long lastHeard;
    private boolean keepAlive;
    private boolean paused;
    /** Whether a piece of a streamed body went out: the request can no longer be repeated whole. */
    private boolean bodyStarted;
    /** A piece of a streamed body reached the backend's socket: the next may come. */
    private final ChannelFutureListener bodyWritten = this::bodyWritten;

    Attempt(ProxiedRequest request, AttemptLimits limits, Upstream upstream, Ticker ticker, Alarm alarm,
            AttemptListener listener) {
        this.request = request;
        this.limits = limits;
        this.upstream = upstream;
        this.ticker = ticker;
        this.alarm = alarm;
        this.listener = listener;
    }

    State state() {
        return state;
    }

    /** When the whole request was sent (ticker reading), or 0 if it has not been. */
    long sentAt() {
        return sentAt;
    }

    void start() {
        Future<UpstreamConnection> connecting = upstream.acquire();
        if (connecting.isDone()) {
            connected(connecting);
        } else {
            connecting.addListener(f -> connected(connecting));
        }
    }

    private void connected(Future<UpstreamConnection> connecting) {
        if (state == State.DONE) {
            if (connecting.isSuccess()) {
                upstream.release(connecting.getNow());      // cancelled while connecting: keep the fresh connection
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
        if (request.isStreamed()) {
            state = State.SENDING;
            channel.write(request.streamedHeadForUpstream(upstream.authority(), upstream.speaksHttp2()))
                    .addListener(closeOnWriteFailure);
            HttpContent buffered = request.takeBufferedBody();     // a chunked body that outgrew the buffer
            if (buffered != null) {
                bodyStarted = true;
                channel.write(buffered).addListener(closeOnWriteFailure);
            }
            channel.flush();
            channel.read();
            listener.onBodyWanted(this);
        } else {
            request.writeBufferedTo(channel, upstream.authority(), upstream.speaksHttp2(), closeOnWriteFailure);
            sent();
            channel.read();
        }
    }

    /**
     * Sends the next piece of a streamed body; {@code last} ends the request. Takes over {@code chunk}. A
     * backend may answer before the body is complete; it still gets the rest, as it would without a proxy.
     */
    void writeBody(HttpContent chunk, boolean last) {
        if (state == State.DONE || sentAt != 0) {
            chunk.release();                        // the attempt is over: nobody wants it
            return;
        }
        bodyStarted = true;
        if (last) {
            connection.channel().writeAndFlush(chunk).addListener(closeOnWriteFailure);
            sent();
        } else {
            connection.channel().writeAndFlush(chunk).addListener(bodyWritten);
        }
    }

    private void bodyWritten(ChannelFuture written) {
        if (!written.isSuccess()) {
            written.channel().close();
        } else if (state != State.DONE && sentAt == 0) {
            listener.onBodyWanted(this);
        }
    }

    private void sent() {
        sentAt = ticker.read();
        if (state != State.RECEIVING) {             // the answer may have come before the end of the request
            state = State.AWAITING_HEAD;
            alarm.wakeBy(sentAt + limits.headNanos());
        }
    }

    /** Stops reading the response until {@link #resumeReading()}: the client is not keeping up. */
    void pauseReading() {
        paused = true;
    }

    void resumeReading() {
        if (paused) {
            paused = false;
            if (state == State.RECEIVING) {
                lastHeard = ticker.read();          // the pause was the client's, not the backend's silence
                alarm.wakeBy(lastHeard + limits.idleNanos());
                connection.channel().read();
            }
        }
    }

    /**
     * After a {@code 101 Switching Protocols} answer to an upgrade: the attempt ends, and its connection is
     * handed over, neither pooled nor closed (it carries another protocol from here on).
     */
    UpstreamConnection handOver() {
        state = State.DONE;
        UpstreamConnection upgraded = connection;
        upgraded.unbind();
        connection = null;
        return upgraded;
    }

    /**
     * Calls the attempt off (the exchange no longer wants it): its connection is closed, since a response
     * may be on its way, and nothing more is reported.
     */
    void cancel() {
        if (state == State.DONE) {
            return;
        }
        state = State.DONE;
        if (connection != null) {
            connection.close();
        }
    }

    /** The connection's timer woke: checks this attempt's own limits. */
    void onTimer(long now) {
        switch (state) {
            case AWAITING_HEAD -> {
                long due = sentAt + limits.headNanos();
                if (now - due >= 0) {
                    fail(AttemptFailure.TIMEOUT);
                } else {
                    alarm.wakeBy(due);
                }
            }
            case RECEIVING -> {
                if (paused) {
                    return;
                }
                long due = lastHeard + limits.idleNanos();
                if (now - due >= 0) {
                    fail(AttemptFailure.STALLED);
                } else {
                    alarm.wakeBy(due);
                }
            }
            default -> { }
        }
    }

    // ---- events from the upstream connection --------------------------------------------------------------

    void onResponseObject(HttpObject msg) {
        if (state == State.DONE || state == State.CONNECTING) {
            ReferenceCountUtil.release(msg);
            return;
        }
        if (msg.decoderResult().isFailure()) {
            ReferenceCountUtil.release(msg);
            fail(AttemptFailure.BAD_RESPONSE);
            return;
        }
        if (state == State.RECEIVING) {
            receive((HttpContent) msg);
        } else if (msg instanceof HttpResponse response) {
            onResponseHead(response);
        } else {
            ReferenceCountUtil.release(msg);        // the (empty) end of a 1xx
        }
    }

    private void onResponseHead(HttpResponse response) {
        HttpResponse head = response;
        HttpContent bodyWithHead = null;
        if (response instanceof FullHttpResponse full) {    // head and body in one: report them apart
            head = new DefaultHttpResponse(full.protocolVersion(), full.status(), full.headers());
            bodyWithHead = new DefaultLastHttpContent(full.content(), full.trailingHeaders());
        }
        int code = head.status().code();
        if (code == 101) {
            if (bodyWithHead != null) {
                bodyWithHead.release();
            }
            if (!request.isUpgrade()) {
                fail(AttemptFailure.BAD_RESPONSE);  // switching protocols nobody asked for (RFC 9110 §15.2.2)
                return;
            }
            state = State.RECEIVING;
            listener.onHead(this, head);            // the listener takes the connection over, or calls it off
            return;
        }
        if (code >= 100 && code < 200) {            // an interim answer; the final one follows
            if (bodyWithHead != null) {
                bodyWithHead.release();
            }
            listener.onInterim(this, head);
            return;
        }
        state = State.RECEIVING;
        keepAlive = HttpUtil.isKeepAlive(head);
        lastHeard = ticker.read();
        alarm.wakeBy(lastHeard + limits.idleNanos());
        listener.onHead(this, head);
        if (bodyWithHead != null) {
            if (state == State.RECEIVING) {
                receive(bodyWithHead);
            } else {
                bodyWithHead.release();
            }
        }
    }

    private void receive(HttpContent content) {
        lastHeard = ticker.read();
        boolean last = content instanceof LastHttpContent;
        if (last) {
            state = State.DONE;
            if (keepAlive && sentAt != 0) {
                upstream.release(connection);
            } else {
                connection.close();
            }
        }
        listener.onBody(this, content, last);
    }

    void onReadComplete() {
        if (state == State.DONE) {
            return;
        }
        if (state == State.RECEIVING) {
            listener.onReadBatchEnd(this);
        }
        if (state != State.DONE && !paused) {
            connection.channel().read();
        }
    }

    /**
     * The backend said it did not process the request (an HTTP/2 GOAWAY below this stream, or REFUSED_STREAM):
     * nothing was received, so even a non-idempotent request may be repeated — unless pieces of its streamed
     * body are gone with the stream: they cannot be sent again, so it fails as a reset.
     */
    void onRefused() {
        if (state == State.SENDING || state == State.AWAITING_HEAD) {
            fail(bodyStarted ? AttemptFailure.RESET : AttemptFailure.REFUSED);
        }
    }

    void onConnectionLost() {
        if (state != State.DONE && state != State.CONNECTING) {
            fail(AttemptFailure.RESET);
        }
    }

    private void fail(AttemptFailure failure) {
        state = State.DONE;
        if (connection != null) {
            connection.close();
        }
        listener.onFailed(this, failure);
    }
}
