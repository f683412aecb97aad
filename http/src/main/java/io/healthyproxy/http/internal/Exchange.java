package io.healthyproxy.http.internal;

import io.healthyproxy.core.Backend;
import io.healthyproxy.core.Lease;
import io.healthyproxy.core.time.HumanDuration;
import io.netty.handler.codec.http.HttpContent;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.LastHttpContent;
import java.util.ArrayList;
import java.util.List;

/**
 * One client request, from the first attempt to the last byte of the answer: chooses backends, retries,
 * hedges, enforces the request timeout, and relays the winning response.
 *
 * <h2>Rules</h2>
 * <ul>
 *   <li>Every attempt goes to a backend not tried yet for this request, and only to one that admits traffic.</li>
 *   <li>A failed attempt is repeated while attempts remain, the retry budget allows, and the request may be
 *       repeated: idempotent and replayable, or nothing was sent ({@link AttemptFailure#nothingSent()}).</li>
 *   <li>An idempotent, replayable request with no answer after the hedge delay gets one hedged copy on
 *       another backend; the first answer wins and the other attempt is cancelled and counted against its
 *       backend as {@link AttemptFailure#LOST_HEDGE}.</li>
 *   <li>A response with a {@code retryOn} status is retried like a failure if another attempt can be made,
 *       and relayed as it is otherwise: the client then sees the backend's own answer.</li>
 *   <li>The first response head that is relayed wins; from then on nothing is retried, and a failure
 *       mid-response closes the client's connection.</li>
 * </ul>
 *
 * <p>Confined to the client connection's event loop, as are its attempts and their upstream connections.
 */
final class Exchange {

    /** Why an attempt is made. */
    private enum Kind { FIRST, RETRY, HEDGE }

    private final ProxyContext proxy;
    private final ClientSide client;
    private final ProxiedRequest request;
    private final long startedAt;
    private final List<Attempt> inFlight = new ArrayList<>(2);
    private final List<Backend> tried = new ArrayList<>(3);
    private final List<String> failures = new ArrayList<>(2);
    private int attempts;
    private Attempt winner;
    private boolean finished;
    private boolean requestBodyDone;
    private boolean closeAfter;
    /** When the request times out (ticker reading), or 0 before its body has fully arrived. */
    private long requestDeadline;
    /** A retry reserved when a response was rejected for its status: lease and budget already taken. */
    private Lease reservedRetry;
    /** Whether the last lease from {@link #retryLease} took a retry-budget place. */
    private boolean retryHoldsBudget;
    private int status;
    private long responseBytes;

    Exchange(ProxyContext proxy, ClientSide client, ProxiedRequest request) {
        this.proxy = proxy;
        this.client = client;
        this.request = request;
        this.startedAt = proxy.ticker.read();
        this.requestBodyDone = !request.isStreamed();
    }

    ProxiedRequest request() {
        return request;
    }

    ProxyContext proxy() {
        return proxy;
    }

    ClientSide client() {
        return client;
    }

    void start() {
        proxy.activeExchanges.incrementAndGet();
        proxy.budget.requestStarted();
        Lease lease = proxy.pool.acquire();
        if (lease == null) {
            respond(HttpResponseStatus.SERVICE_UNAVAILABLE, "no_backend",
                    "no backend admits traffic: every backend is unhealthy or its circuit is open");
            return;
        }
        if (requestBodyDone) {
            startRequestClock();
        }
        launch(lease, Kind.FIRST, false);
    }

    private void launch(Lease lease, Kind kind, boolean holdsBudget) {
        attempts++;
        tried.add(lease.backend());
        long hedgeAfter = kind == Kind.FIRST && hedgeable() ? proxy.hedgeDelay.delayNanos() : 0;
        Attempt attempt = new Attempt(this, lease, holdsBudget, hedgeAfter,
                proxy.upstreams.pool(lease.backend(), client.loop()));
        inFlight.add(attempt);
        attempt.start();
    }

    private boolean hedgeable() {
        return proxy.config.retries().hedging().enabled() && request.isIdempotent() && request.isReplayable()
                && proxy.config.retries().maxAttempts() > 1;
    }

    /**
     * Starts the request timeout. There is no timer of its own: the attempts watch this deadline along with
     * their own, through the connection's one timer.
     */
    private void startRequestClock() {
        requestDeadline = proxy.ticker.read() + proxy.requestNanos;
    }

    /** When the request times out, as a ticker reading, or 0 if its clock has not started. */
    long requestDeadline() {
        return requestDeadline;
    }

    // ---- the streamed request body ---------------------------------------------------------------------

    /** A streamed request's attempt has its connection and has sent the head: the body may flow. */
    void onUpstreamReady(Attempt attempt) {
        client.readBody();
    }

    void onBodyChunk(HttpContent chunk) {
        request.countStreamed(chunk);
        boolean last = chunk instanceof LastHttpContent;
        if (last) {
            requestBodyDone = true;
            startRequestClock();                // before the last write, so the attempt's timer sees it
        }
        Attempt target = inFlight.isEmpty() ? null : inFlight.get(0);
        if (finished || target == null) {
            chunk.release();
        } else {
            target.writeBodyChunk(chunk, last);
        }
    }

    /** A chunk reached the backend's socket: ask the client for the next. */
    void onBodyChunkWritten(boolean last) {
        if (!last && !finished) {
            client.readBody();
        }
    }

    // ---- attempts report here ----------------------------------------------------------------------------

    /**
     * An attempt got a response head with {@code code}: returns true if the attempt should fail so that the
     * request is tried again (a {@code retryOn} status, and another attempt is running or a retry could be
     * reserved); false if the response is to be relayed (a {@code retryOn} status with no retry left is
     * relayed as the backend's own answer).
     */
    boolean rejectsStatus(int code) {
        if (finished || winner != null || !proxy.config.retries().retryOn().contains(code)) {
            return false;
        }
        if (inFlight.size() > 1) {
            return true;                // another attempt is still running: let it answer
        }
        reservedRetry = retryLease(AttemptFailure.FAILURE_STATUS);
        return reservedRetry != null;
    }

    /**
     * Whether attempts hold a response back until it is complete (see {@link Attempt}): only worth it when the
     * request could be tried again if the response broke off.
     */
    boolean holdsResponses() {
        return proxy.config.limits().maxBufferedResponseBytes() > 0 && request.isIdempotent()
                && request.isReplayable() && attempts < proxy.config.retries().maxAttempts();
    }

    /**
     * An attempt has a response to relay: it wins if no other has, the others are called off, and its head
     * goes to the client. Returns false if the exchange is over or another attempt won.
     */
    boolean claim(Attempt attempt, HttpResponse head) {
        if (finished || winner != null) {
            return false;
        }
        winner = attempt;
        for (Attempt other : List.copyOf(inFlight)) {
            if (other != attempt) {
                other.cancel(AttemptFailure.LOST_HEDGE);
                proxy.events.attemptFailed(other.backendId(), AttemptFailure.LOST_HEDGE);
            }
        }
        inFlight.clear();
        inFlight.add(attempt);
        status = head.status().code();
        boolean keepAlive = request.clientWantsKeepAlive() && !proxy.isDraining();
        ResponseHeads.ForClient forClient = ResponseHeads.forClient(head, request, keepAlive);
        closeAfter = forClient.closeAfter();
        client.sendHead(forClient.head());
        return true;
    }

    void relayContent(HttpContent content) {
        responseBytes += content.content().readableBytes();
        client.sendContent(content);
    }

    /** After a batch of response reads: flushes, and says whether the client can take more now. */
    boolean flushRelayed() {
        client.flush();
        return client.isWritable();
    }

    /** The client's connection drained: the winner may read more of the response. */
    void onClientWritable() {
        if (winner != null && !finished) {
            winner.resumeReading();
        }
    }

    void onRelayComplete(Attempt attempt) {
        end(status, null, attempt.backendId(), !closeAfter && requestBodyDone);
    }

    /** The winning backend failed mid-response: the client's response cannot be completed. */
    void onRelayBroken(Attempt attempt) {
        if (finished) {
            return;
        }
        finished = true;
        client.abort();
        finishBookkeeping(0, "backend_broke_mid_response", attempt.backendId());
    }

    void onAttemptFailed(Attempt attempt, AttemptFailure failure) {
        inFlight.remove(attempt);
        failures.add(attempt.backendId() + " " + describe(failure));
        proxy.events.attemptFailed(attempt.backendId(), failure);
        if (finished || winner != null || !inFlight.isEmpty()) {
            return;
        }
        Lease next = reservedRetry != null ? reservedRetry : retryLease(failure);
        reservedRetry = null;
        if (next != null) {
            proxy.events.retried(failure);
            launch(next, Kind.RETRY, retryHoldsBudget);
            return;
        }
        respond(failure.clientStatus(), failure.code(), "no backend answered: " + String.join("; ", failures));
    }

    /**
     * A lease for one more attempt after {@code failure}, or null when the request may not or cannot be
     * repeated. The retry takes a retry-budget place ({@link #retryHoldsBudget}) unless nothing was sent: a
     * request no backend received adds no load by being repeated, so it cannot feed a retry storm.
     */
    private Lease retryLease(AttemptFailure failure) {
        if (attempts >= proxy.config.retries().maxAttempts()) {
            return null;
        }
        boolean repeatable = failure.nothingSent()
                || (request.isIdempotent() && request.isReplayable());
        retryHoldsBudget = !failure.nothingSent();
        if (!repeatable || (retryHoldsBudget && !proxy.budget.tryStartRetry())) {
            return null;
        }
        Lease next = proxy.pool.acquireExcluding(tried);
        if (next == null && retryHoldsBudget) {
            proxy.budget.retryFinished();
        }
        return next;
    }

    /** The connection's timer woke: each attempt checks its own deadlines (and may end the exchange). */
    void onTimer(long now) {
        if (finished) {
            return;
        }
        if (inFlight.size() == 1) {
            inFlight.get(0).onTimer(now);
        } else {
            for (Attempt attempt : List.copyOf(inFlight)) {
                attempt.onTimer(now);
            }
        }
    }

    /** The first attempt has had no answer for the hedge delay (its timer says so). */
    void onHedgeDelay() {
        if (finished || winner != null || inFlight.size() != 1
                || attempts >= proxy.config.retries().maxAttempts() || !proxy.budget.tryStartRetry()) {
            return;
        }
        Lease next = proxy.pool.acquireExcluding(tried);
        if (next == null) {
            proxy.budget.retryFinished();
            return;
        }
        proxy.events.hedged();
        launch(next, Kind.HEDGE, true);
    }

    /** The request deadline passed (an attempt's timer says so). */
    void onRequestTimeout() {
        if (finished || winner != null) {
            return;
        }
        for (Attempt a : List.copyOf(inFlight)) {
            a.cancel(AttemptFailure.TIMEOUT);
            failures.add(a.backendId() + " " + describe(AttemptFailure.TIMEOUT));
            proxy.events.attemptFailed(a.backendId(), AttemptFailure.TIMEOUT);
        }
        inFlight.clear();
        respond(HttpResponseStatus.GATEWAY_TIMEOUT, "request_timeout", "no answer within "
                + HumanDuration.format(proxy.config.timeouts().request()) + ": " + String.join("; ", failures));
    }

    /**
     * The client broke a rule in mid-upload (a streamed body over the limit). If no answer has begun, ends the
     * exchange with {@code status} (its attempts called off: not their backends' fault) and returns true, so
     * that the connection can send the refusal; returns false if an answer is being relayed already.
     */
    boolean abandon(int status, String error) {
        if (finished || winner != null) {
            return false;
        }
        finished = true;
        for (Attempt a : List.copyOf(inFlight)) {
            a.cancel(null);
        }
        inFlight.clear();
        finishBookkeeping(status, error, null);
        return true;
    }

    /** The client went away: nothing more can be delivered, and that is nobody's fault. */
    void onClientGone() {
        if (finished) {
            return;
        }
        finished = true;
        for (Attempt a : List.copyOf(inFlight)) {
            a.cancel(null);
        }
        inFlight.clear();
        finishBookkeeping(0, "client_gone", winner == null ? null : winner.backendId());
    }

    // ---- ending -------------------------------------------------------------------------------------------

    private void respond(HttpResponseStatus code, String error, String message) {
        if (finished) {
            return;
        }
        status = code.code();
        client.sendFull(ProxyResponses.error(client.alloc(), code, error, message));
        end(status, error, null, requestBodyDone);
    }

    private void end(int finalStatus, String proxyError, String backend, boolean keepAlive) {
        if (finished) {
            return;
        }
        finished = true;
        finishBookkeeping(finalStatus, proxyError, backend);
        client.exchangeDone(keepAlive && request.clientWantsKeepAlive() && !proxy.isDraining());
    }

    private void finishBookkeeping(int finalStatus, String proxyError, String backend) {
        if (reservedRetry != null) {
            reservedRetry.release();
            if (retryHoldsBudget) {
                proxy.budget.retryFinished();
            }
            reservedRetry = null;
        }
        proxy.budget.requestFinished();
        proxy.activeExchanges.decrementAndGet();
        request.release();
        proxy.events.requestCompleted(request, finalStatus, proxyError, backend, attempts,
                proxy.ticker.read() - startedAt, responseBytes);
    }

    private static String describe(AttemptFailure failure) {
        return switch (failure) {
            case CONNECT -> "could not be reached";
            case RESET -> "closed the connection without an answer";
            case TIMEOUT -> "did not answer in time";
            case BAD_RESPONSE -> "sent an invalid response";
            case FAILURE_STATUS -> "answered with an error status";
            case LOST_HEDGE -> "was slower than a hedge";
            case LOCAL -> "was skipped by a local limit";
        };
    }
}
