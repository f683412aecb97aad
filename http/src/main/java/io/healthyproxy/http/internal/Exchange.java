package io.healthyproxy.http.internal;

import io.healthyproxy.core.Failover;
import io.healthyproxy.core.Lease;
import io.healthyproxy.core.time.HumanDuration;
import io.netty.buffer.Unpooled;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.DefaultLastHttpContent;
import io.netty.handler.codec.http.EmptyHttpHeaders;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpContent;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.LastHttpContent;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * One client request, from its head to the end of its answer, and the owner of every decision about it: which
 * backend each try goes to, when to retry and when to hedge, whether a response is held or relayed, the
 * request deadline, the retry-budget places, and what each try's outcome says about its backend. The
 * {@link Attempt}s it launches only move bytes and report through {@link AttemptListener}.
 *
 * <h2>Rules</h2>
 * <ul>
 *   <li>Every try goes to a backend not tried yet for this request, and only to one that admits traffic; but a
 *       request a backend refused unprocessed ({@link AttemptFailure#REFUSED}: an HTTP/2 stream above its GOAWAY,
 *       or REFUSED_STREAM) may go back to it when no other admits, on another connection, as Envoy and gRPC's
 *       transparent retry do: a backend closing a connection after so many requests (NGINX's
 *       {@code keepalive_requests}) refuses the streams in flight above the last it took.</li>
 *   <li>A failed try is repeated while tries remain, the retry budget allows, and the request may be repeated:
 *       idempotent and replayable, or nothing was sent ({@link AttemptFailure#nothingSent()}, which also needs
 *       no budget: a request no backend received adds no load by being repeated).</li>
 *   <li>An idempotent, replayable request with no answer after the hedge delay gets one hedged copy on another
 *       backend; the first response to be relayed wins, and the other try is called off
 *       ({@link AttemptFailure#LOST_HEDGE}). Losing a hedge, like a timeout, is slowness: it never counts on
 *       the breaker, only in the comparison of each backend's answer times with its peers'.</li>
 *   <li>A response with a {@code retryOn} status is retried like a failure when another try can be made, and
 *       relayed as it is otherwise: the client then sees the backend's own answer.</li>
 *   <li>A small response (a known length up to {@code holdBytes}) to a request that could be tried again is
 *       held until complete, for at most {@code holdNanos}, so a backend breaking off halfway through costs a
 *       retry; then it is relayed. Anything else is relayed as it comes.</li>
 *   <li>Once a response head is relayed nothing is retried, and a failure mid-response closes the client's
 *       connection: the answer cannot be completed honestly.</li>
 * </ul>
 *
 * <p>Confined to the client connection's event loop, as are its attempts and their connections.
 */
final class Exchange implements AttemptListener {

    /** TRYING → RELAYING → DONE, TRYING → TUNNEL → DONE, or TRYING → DONE (a proxy-made answer, the client gone). */
    enum State {
        /** Tries are under way; nothing has been sent to the client yet. */
        TRYING,
        /** One try won and its response is being relayed. */
        RELAYING,
        /**
         * The backend switched protocols for an upgrade (WebSocket): client and backend are joined by a
         * {@link Tunnel}, which counts as this request in flight until it closes.
         */
        TUNNEL,
        /** Answered, failed or abandoned: the exchange's bookkeeping is done. */
        DONE
    }

    /** Why a try is made. */
    private enum Kind { FIRST, RETRY, HEDGE }

    /** What a try's outcome says about its backend, reported once to the try's lease. */
    private enum Verdict { SUCCESS, FAILURE, NEUTRAL }

    /** The exchange's record of one try: the attempt doing the I/O, the lease on its backend, and its budget place. */
    private static final class Try {
        final Lease lease;
        final Kind kind;
        final boolean holdsBudget;
        final long launchedAt;
        Attempt attempt;
        /** The response held back until complete, while this try has not won. */
        ResponseHold hold;
        int status;
        /** The answer's grpc-status once known (the head of a trailers-only answer, else its trailers). */
        int grpcStatus = GrpcStatus.NONE;

        Try(Lease lease, Kind kind, boolean holdsBudget, long launchedAt) {
            this.lease = lease;
            this.kind = kind;
            this.holdsBudget = holdsBudget;
            this.launchedAt = launchedAt;
        }

        String backendId() {
            return lease.backend().id();
        }
    }

    /** A retry's lease, and whether it took a retry-budget place. */
    private record NextTry(Lease lease, boolean holdsBudget) {
    }

    private final ProxyContext proxy;
    private final Route route;
    /** Null when no route took the request. */
    private final Cluster cluster;
    private final ExchangePolicy policy;
    private final Downstream client;
    private final ProxiedRequest request;
    private final long startedAt;
    private final List<Try> inFlight = new ArrayList<>(2);
    /** The backends tried and the rule for the next (core's, shared with the node and the client); null for 404. */
    private Failover failover;
    /** What each failed try met, for the client's error; null until one fails (most exchanges never do). */
    private List<String> failures;
    private State state = State.TRYING;
    private boolean bodyComplete;
    private int attempts;
    private Try winner;
    private boolean closeAfter;
    /** When the request times out (ticker reading), or 0 before its body has fully arrived. */
    private long requestDeadline;
    /** When to hedge (ticker reading), or 0 for no hedge. */
    private long hedgeAt;
    /** When relaying was paused for a client not keeping up, or 0 while it is not paused. */
    private long pausedAt;
    private int status;
    private long responseBytes;
    /** Why the last failed try was not followed by another, for the error message. */
    private String noRetry;
    /**
     * A try whose answer (a 500) awaits a second opinion from another backend: its lease is told only then —
     * a failure if the other answered without a 5xx, nothing if it erred too. At most one per request.
     */
    private Try disputed;
    private boolean secondOpinionAsked;
    /** The status fields of a gRPC trailers-only answer, taken from its head, for its end; or null. */
    private HttpHeaders grpcTrailers;

    /** An exchange for {@code request} on {@code route}'s cluster, by its rules. */
    Exchange(ProxyContext proxy, Route route, Downstream client, ProxiedRequest request) {
        this.proxy = proxy;
        this.route = route;
        this.cluster = route.cluster();
        this.policy = route.policy();
        this.client = client;
        this.request = request;
        this.startedAt = proxy.ticker.read();
        this.bodyComplete = !request.isStreamed();
    }

    ProxiedRequest request() {
        return request;
    }

    State state() {
        return state;
    }

    Route route() {
        return route;
    }

    void start() {
        proxy.exchangeStarted();
        if (cluster == null) {
            respond(HttpResponseStatus.NOT_FOUND, "no_route", "no route takes " + request.method() + " "
                    + request.uri() + (request.host() == null ? "" : " for host " + request.host()));
            return;
        }
        cluster.budget().requestStarted();
        failover = Failover.over(cluster.pool(), policy.maxAttempts(), cluster.budget());
        Lease lease = failover.first();
        if (lease == null) {
            respond(HttpResponseStatus.SERVICE_UNAVAILABLE, "no_backend",
                    "no backend admits traffic: every backend is unhealthy or its circuit is open");
            return;
        }
        long now = proxy.ticker.read();
        if (bodyComplete) {
            startRequestClock(now);
        }
        if (policy.hedging() && request.isIdempotent() && request.isReplayable() && !request.isUpgrade()) {
            hedgeAt = now + cluster.hedgeDelay().delayNanos();
            client.wakeBy(hedgeAt);
        }
        launch(lease, Kind.FIRST, false);
    }

    private void startRequestClock(long now) {
        requestDeadline = now + policy.requestNanos();
        client.wakeBy(requestDeadline);
    }

    private void launch(Lease lease, Kind kind, boolean holdsBudget) {
        attempts++;
        Try t = new Try(lease, kind, holdsBudget, proxy.ticker.read());
        t.attempt = new Attempt(request, policy.attemptLimits(), cluster.upstreams().of(lease.backend(), client.loop()),
                proxy.ticker, client, this);
        inFlight.add(t);
        t.attempt.start();
    }

    // ---- the streamed request body ----------------------------------------------------------------------

    /** A piece of a streamed request body, from the client. Takes it over. */
    void onBodyChunk(HttpContent chunk) {
        request.countStreamed(chunk);
        boolean last = chunk instanceof LastHttpContent;
        if (last) {
            bodyComplete = true;
            startRequestClock(proxy.ticker.read());
        }
        if (state == State.DONE || inFlight.isEmpty()) {
            chunk.release();
        } else {
            inFlight.get(0).attempt.writeBody(chunk, last);     // a streamed request has one try at a time
        }
    }

    @Override
    public void onBodyWanted(Attempt attempt) {
        if (state != State.DONE) {
            client.readBody();
        }
    }

    // ---- what attempts report --------------------------------------------------------------------------

    /**
     * Passes an interim answer on (102 Processing, 103 Early Hints) while it can only be the first try's: once
     * a hedge or a retry is out, hints from one backend could contradict the answer of another. Not to an
     * HTTP/1.0 client, which cannot take one (RFC 9110 §15.2), and never a 100, which this proxy sent already
     * when the client asked for it.
     */
    @Override
    public void onInterim(Attempt attempt, HttpResponse interim) {
        int code = interim.status().code();
        if (state != State.TRYING || attempts != 1 || code == 100 || code == 101
                || !request.clientVersion().equals(HttpVersion.HTTP_1_1)) {
            return;
        }
        FullHttpResponse relayed = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, interim.status(),
                Unpooled.EMPTY_BUFFER, interim.headers(), EmptyHttpHeaders.INSTANCE);
        Headers.removeHopByHop(relayed.headers());
        client.sendInterim(relayed);
        client.flush();                             // hints are worth something only before the answer
    }

    @Override
    public void onHead(Attempt attempt, HttpResponse head) {
        Try t = find(attempt);
        int code = head.status().code();
        t.status = code;
        long now = proxy.ticker.read();
        if (attempt.sentAt() != 0) {
            cluster.hedgeDelay().record(now - attempt.sentAt());
        }
        t.lease.backend().recordLatency(now - t.launchedAt);
        if (t.kind == Kind.FIRST) {
            hedgeAt = 0;                            // it answered: no hedge
        }
        if (code == 101) {
            tunnel(t, head);
            return;
        }
        if (request.isGrpc()) {
            t.grpcStatus = GrpcStatus.of(head.headers());       // a trailers-only answer has it here
        }
        if (disputed != null) {
            judgeDisputed(code < 500 ? Verdict.FAILURE : Verdict.NEUTRAL);
        }
        if (wantsSecondOpinion(code) && askSecondOpinion(t)) {
            return;
        }
        if (policy.retryOn().contains(code) || grpcFailed(t)) {
            if (inFlight.size() > 1) {
                tryFailed(t, AttemptFailure.FAILURE_STATUS);    // another try is still out: let it answer
                return;
            }
            NextTry next = nextTry(AttemptFailure.FAILURE_STATUS);
            if (next != null) {
                tryFailed(t, AttemptFailure.FAILURE_STATUS);
                retry(next, AttemptFailure.FAILURE_STATUS);
                return;
            }
            // No other try can be made: the client gets the backend's own answer.
        }
        if (holds(head)) {
            t.hold = new ResponseHold(head, now + policy.holdNanos());
            client.wakeBy(t.hold.deadline());
        } else {
            relayHead(t, head);
        }
    }

    @Override
    public void onBody(Attempt attempt, HttpContent content, boolean last) {
        Try t = find(attempt);
        if (t == null) {
            content.release();
        } else if (t == winner) {
            relay(content, last);
        } else {
            t.hold.add(content);
            if (last || t.hold.bytes() > policy.holdBytes()) {
                stopHolding(t);
            }
        }
    }

    /** {@code t}'s held response is complete, or has been held long enough: it wins, and is relayed. */
    private void stopHolding(Try t) {
        ResponseHold hold = t.hold;
        t.hold = null;
        relayHead(t, hold.head());
        hold.drainTo(this::relayHeld);              // the last piece, if held, completes the exchange
    }

    private void relayHeld(HttpContent content) {
        relay(content, content instanceof LastHttpContent);
    }

    @Override
    public void onReadBatchEnd(Attempt attempt) {
        if (winner == null || winner.attempt != attempt || state != State.RELAYING) {
            return;
        }
        client.flush();
        if (!client.isWritable() && pausedAt == 0) {
            attempt.pauseReading();
            pausedAt = proxy.ticker.read();
            client.wakeBy(pausedAt + policy.clientIdleNanos());
        }
    }

    /** The client's connection drained: the winner may read more of the response. */
    void onClientWritable() {
        if (pausedAt != 0 && state == State.RELAYING) {
            pausedAt = 0;
            winner.attempt.resumeReading();
        }
    }

    @Override
    public void onFailed(Attempt attempt, AttemptFailure failure) {
        Try t = find(attempt);
        if (t == null) {
            return;
        }
        if (t == winner) {
            relayBroken(t, failure);
            return;
        }
        tryFailed(t, failure);
        if (state != State.TRYING || !inFlight.isEmpty()) {
            return;
        }
        if (disputed != null) {
            judgeDisputed(Verdict.NEUTRAL);         // no second opinion came: no evidence either way
        }
        NextTry next = nextTry(failure);
        if (next != null) {
            retry(next, failure);
        } else {
            respond(failure.clientStatus(), failure.code(), "no backend answered: " + failureSummary()
                    + " (not retried: " + noRetry + ")");
        }
    }

    // ---- deadlines -------------------------------------------------------------------------------------

    /** The connection's timer woke: this exchange's deadlines first, then each attempt's own limits. */
    void onTimer(long now) {
        if (state == State.DONE) {
            return;
        }
        if (state == State.TRYING && requestDeadline != 0 && now - requestDeadline >= 0) {
            requestTimedOut();
            return;
        }
        if (pausedAt != 0 && now - (pausedAt + policy.clientIdleNanos()) >= 0) {
            dropSlowClient();
            return;
        }
        if (hedgeAt != 0 && now - hedgeAt >= 0) {
            hedgeAt = 0;
            hedge();
        }
        if (state == State.TRYING) {
            checkHolds(now);
        }
        if (inFlight.size() == 1) {
            inFlight.get(0).attempt.onTimer(now);
        } else {
            for (Try t : List.copyOf(inFlight)) {
                t.attempt.onTimer(now);
            }
        }
        if (state == State.DONE) {
            return;
        }
        if (hedgeAt != 0) {
            client.wakeBy(hedgeAt);
        }
        if (state == State.TRYING && requestDeadline != 0) {
            client.wakeBy(requestDeadline);
        }
        if (pausedAt != 0) {
            client.wakeBy(pausedAt + policy.clientIdleNanos());
        }
    }

    /**
     * Whether a {@code code} answer is to be checked on another backend before anyone is blamed for it: only
     * once per request, and only for a request that may be repeated.
     */
    private boolean wantsSecondOpinion(int code) {
        return !secondOpinionAsked && policy.secondOpinionOn().contains(code) && request.isIdempotent()
                && request.isReplayable() && state == State.TRYING;
    }

    /**
     * Sets {@code t}'s answer aside and asks another backend (or lets one already asked answer). Returns false,
     * changing nothing, when no other backend can be asked: the client then gets {@code t}'s own answer.
     */
    private boolean askSecondOpinion(Try t) {
        NextTry next = null;
        if (inFlight.size() == 1) {
            next = nextTry(AttemptFailure.FAILURE_STATUS);
            if (next == null) {
                return false;
            }
        }
        secondOpinionAsked = true;
        disputed = t;
        t.attempt.cancel();
        inFlight.remove(t);
        if (t.kind == Kind.FIRST) {
            hedgeAt = 0;
        }
        noteFailure(t.backendId() + " " + describe(AttemptFailure.FAILURE_STATUS) + " " + t.status);
        proxy.events.attemptFailed(cluster.name(), t.backendId(), AttemptFailure.FAILURE_STATUS);
        if (next != null) {
            retry(next, AttemptFailure.FAILURE_STATUS);
        }
        return true;
    }

    /** The second opinion is in: the disputed try's lease hears what it says. */
    private void judgeDisputed(Verdict verdict) {
        Try t = disputed;
        disputed = null;
        settle(t, verdict, AttemptFailure.FAILURE_STATUS);
    }

    /** A response held for its whole hold time wins and is relayed as it comes: slow is not broken. */
    private void checkHolds(long now) {
        for (int i = 0; i < inFlight.size(); i++) {
            Try t = inFlight.get(i);
            if (t.hold != null) {
                if (now - t.hold.deadline() >= 0) {
                    stopHolding(t);
                    client.flush();                 // no read batch ends here to flush it
                    return;
                }
                client.wakeBy(t.hold.deadline());
            }
        }
    }

    private void hedge() {
        Lease lease = state == State.TRYING && inFlight.size() == 1 ? failover.next(true) : null;
        if (lease == null) {
            return;
        }
        proxy.events.hedged();
        launch(lease, Kind.HEDGE, true);
    }

    private void requestTimedOut() {
        for (Try t : List.copyOf(inFlight)) {
            tryFailed(t, AttemptFailure.TIMEOUT);
        }
        respond(HttpResponseStatus.GATEWAY_TIMEOUT, "request_timeout", "no answer within "
                + HumanDuration.format(Duration.ofNanos(policy.requestNanos())) + ": " + failureSummary());
    }

    /**
     * The client took nothing of the response for {@code clientIdle} while the backend had more: a client too
     * slow to serve, or one holding a backend connection on purpose. It is dropped; not the backend's fault.
     */
    private void dropSlowClient() {
        Try t = winner;
        t.attempt.cancel();
        settle(t, Verdict.NEUTRAL, null);
        inFlight.clear();
        state = State.DONE;
        client.abort();
        finish(0, "client_too_slow", t.backendId());
    }

    // ---- decisions -------------------------------------------------------------------------------------

    /**
     * Whether a response is held until complete: only worth it when the request could be tried again if the
     * response broke off, and only for a response of known, small length. A response without a length
     * (server-sent events, a chunked stream) is relayed as it comes, each piece flushed.
     */
    private boolean holds(HttpResponse head) {
        if (policy.holdBytes() == 0 || policy.holdNanos() == 0 || !request.isIdempotent() || !request.isReplayable()
                || attempts >= policy.maxAttempts()) {
            return false;
        }
        long length = Headers.contentLength(head.headers(), -1L);
        return length >= 0 && length <= policy.holdBytes();
    }

    /**
     * The lease for one more try after {@code failure}, or null when the request may not or cannot be
     * repeated. A retry takes a retry-budget place unless nothing was sent.
     */
    private NextTry nextTry(AttemptFailure failure) {
        if (attempts >= policy.maxAttempts()) {
            noRetry = "no tries left";
            return null;
        }
        boolean needsBudget = !failure.nothingSent();
        if (needsBudget && !(request.isIdempotent() && request.isReplayable())) {
            noRetry = request.isIdempotent() ? "its body was streamed" : request.method() + " may have been received";
            return null;
        }
        // A backend that refused the request unprocessed may take it again on another connection.
        Lease lease = failure == AttemptFailure.REFUSED ? failover.nextAfterRefusal() : failover.next(needsBudget);
        if (lease == null) {
            noRetry = failover.refusal().reason();
            return null;
        }
        return new NextTry(lease, needsBudget);
    }

    private void retry(NextTry next, AttemptFailure after) {
        proxy.events.retried(after);
        launch(next.lease(), Kind.RETRY, next.holdsBudget());
    }

    /**
     * What {@code failure} of a try says about its backend. A retryable status counts if it is one of the
     * {@code failureStatuses}; everything else the class of failure says: slowness (a timeout, a lost hedge)
     * says nothing to the breaker.
     */
    private Verdict verdict(Try t, AttemptFailure failure) {
        if (failure == AttemptFailure.FAILURE_STATUS) {
            return answerVerdict(t);
        }
        return failure.backendsFault() ? Verdict.FAILURE : Verdict.NEUTRAL;
    }

    /**
     * What a complete answer says about its backend: a status in {@code failureStatuses} counts against it, and
     * for a gRPC call so does a grpc-status in {@code grpc.failureCodes} (UNAVAILABLE by default); any other
     * grpc-status (NOT_FOUND, INVALID_ARGUMENT, ...) is the application's answer, and a success for the breaker.
     */
    private Verdict answerVerdict(Try t) {
        return policy.failureStatuses().contains(t.status) || grpcFailed(t) ? Verdict.FAILURE : Verdict.SUCCESS;
    }

    private boolean grpcFailed(Try t) {
        return t.grpcStatus != GrpcStatus.NONE && policy.grpc().isFailure(t.grpcStatus);
    }

    // ---- ending tries ----------------------------------------------------------------------------------

    /** Ends a try that failed or is called off before winning, and tells its lease what it says. */
    private void tryFailed(Try t, AttemptFailure failure) {
        t.attempt.cancel();                         // a no-op when the attempt ended by itself
        inFlight.remove(t);
        if (t.kind == Kind.FIRST) {
            hedgeAt = 0;                            // a hedge is for a first try that is slow, not one that failed
        }
        if (t.hold != null) {
            t.hold.release();
            t.hold = null;
        }
        noteFailure(t.backendId() + " " + describe(failure));
        proxy.events.attemptFailed(cluster.name(), t.backendId(), failure);
        if (failure == AttemptFailure.TIMEOUT || failure == AttemptFailure.LOST_HEDGE) {
            // Slowness: what it had waited is a lower bound of its answer time, for the comparison with its peers.
            t.lease.backend().recordLatency(proxy.ticker.read() - t.launchedAt);
        }
        settle(t, verdict(t, failure), failure);
    }

    /**
     * Reports a try's outcome to its lease and gives back its budget place: the one place that does both. A
     * failure is reported with its kind ({@code cause}'s code), which status pages show as the reason a circuit
     * opened.
     */
    private void settle(Try t, Verdict verdict, AttemptFailure cause) {
        switch (verdict) {
            case SUCCESS -> t.lease.onSuccess();
            case FAILURE -> t.lease.onFailure(cause.code());
            case NEUTRAL -> t.lease.release();
        }
        if (t.holdsBudget) {
            cluster.budget().retryFinished();
        }
    }

    private Try find(Attempt attempt) {
        for (int i = 0; i < inFlight.size(); i++) {
            Try t = inFlight.get(i);
            if (t.attempt == attempt) {
                return t;
            }
        }
        return null;
    }

    // ---- relaying ------------------------------------------------------------------------------------

    /** {@code t} won: the other tries are called off, and its head goes to the client. */
    private void relayHead(Try t, HttpResponse head) {
        state = State.RELAYING;
        winner = t;
        hedgeAt = 0;
        callOffAllBut(t);
        status = head.status().code();
        if (t.grpcStatus != GrpcStatus.NONE) {
            grpcTrailers = GrpcStatus.takeStatusFields(head.headers());     // trailers-only: see GrpcStatus
        }
        boolean keepAlive = request.clientWantsKeepAlive() && client.canKeepAlive();
        ResponseHeads.ForClient forClient = ResponseHeads.forClient(head, request, keepAlive);
        closeAfter = forClient.closeAfter();
        client.sendHead(forClient.head());
    }

    private void noteFailure(String what) {
        if (failures == null) {
            failures = new ArrayList<>(2);
        }
        failures.add(what);
    }

    private String failureSummary() {
        return failures == null ? "" : String.join("; ", failures);
    }

    /** {@code t} won: every other try in flight lost the race and is called off. */
    private void callOffAllBut(Try t) {
        if (inFlight.size() == 1 && inFlight.get(0) == t) {
            return;                                 // the usual case: no hedge, no copy of the list
        }
        for (Try other : List.copyOf(inFlight)) {
            if (other != t) {
                tryFailed(other, AttemptFailure.LOST_HEDGE);
            }
        }
    }

    private void relay(HttpContent content, boolean last) {
        responseBytes += content.content().readableBytes();
        if (last && request.isGrpc() && winner.grpcStatus == GrpcStatus.NONE) {
            winner.grpcStatus = GrpcStatus.of(((LastHttpContent) content).trailingHeaders());  // before it is sent
        }
        if (last && grpcTrailers != null) {
            LastHttpContent end = (LastHttpContent) content;
            content = new DefaultLastHttpContent(end.content(), grpcTrailers.add(end.trailingHeaders()));
            grpcTrailers = null;
        }
        client.sendContent(content);
        if (last) {
            Try t = winner;
            inFlight.clear();
            settle(t, answerVerdict(t), AttemptFailure.FAILURE_STATUS);
            end(status, null, t.backendId(), !closeAfter && bodyComplete);
        }
    }

    /** The winning backend failed mid-response: the client's response cannot be completed. */
    private void relayBroken(Try t, AttemptFailure failure) {
        inFlight.clear();
        settle(t, Verdict.FAILURE, failure);
        state = State.DONE;
        client.abort();
        finish(0, "backend_broke_mid_response", t.backendId());
    }

    /**
     * The backend accepted the upgrade: its connection is handed over to a tunnel with the client's. The try's
     * lease stays out — the tunnel is a call in flight for balancing and for draining — until the tunnel closes.
     */
    private void tunnel(Try t, HttpResponse switching) {
        state = State.TUNNEL;
        winner = t;
        hedgeAt = 0;
        callOffAllBut(t);
        status = 101;
        String upgrade = switching.headers().get(HttpHeaderNames.UPGRADE);
        Headers.removeHopByHop(switching.headers());
        switching.headers().set(RequestId.HEADER, request.requestId());
        switching.headers().set(HttpHeaderNames.CONNECTION, HttpHeaderValues.UPGRADE);
        if (upgrade != null) {
            switching.headers().set(HttpHeaderNames.UPGRADE, upgrade);
        }
        UpstreamConnection connection = t.attempt.handOver();
        client.startTunnel(switching, connection.channel(), policy.tunnelIdleNanos(), () -> tunnelClosed(t));
    }

    private void tunnelClosed(Try t) {
        if (state != State.TUNNEL) {
            return;
        }
        inFlight.clear();
        settle(t, Verdict.SUCCESS, null);
        state = State.DONE;
        finish(101, null, t.backendId());
    }

    // ---- the client's side ------------------------------------------------------------------------------

    /**
     * The client broke a rule in mid-upload (a streamed body over the limit). If no answer has begun, ends the
     * exchange with {@code status} (its tries called off: not their backends' fault) and returns true, so that
     * the connection can send the refusal; returns false if an answer is being relayed already.
     */
    boolean abandon(int status, String error) {
        if (state != State.TRYING) {
            return false;
        }
        callOffAll();
        state = State.DONE;
        finish(status, error, null);
        return true;
    }

    /** The client went away: nothing more can be delivered, and that is nobody's fault. */
    void onClientGone() {
        if (state == State.DONE || state == State.TUNNEL) {
            return;                                 // a tunnel reports its own end
        }
        String backend = winner == null ? null : winner.backendId();
        callOffAll();
        state = State.DONE;
        finish(0, "client_gone", backend);
    }

    private void callOffAll() {
        for (Try t : inFlight) {
            t.attempt.cancel();
            if (t.hold != null) {
                t.hold.release();
                t.hold = null;
            }
            settle(t, Verdict.NEUTRAL, null);
        }
        inFlight.clear();
    }

    // ---- ending ----------------------------------------------------------------------------------------

    private void respond(HttpResponseStatus code, String error, String message) {
        if (state == State.DONE) {
            return;
        }
        status = code.code();
        client.sendFull(ProxyResponses.error(client.alloc(), code, error, message, request.requestId()));
        end(status, error, null, bodyComplete);
    }

    private void end(int finalStatus, String proxyError, String backend, boolean keepAlive) {
        state = State.DONE;
        finish(finalStatus, proxyError, backend);
        client.exchangeDone(keepAlive && request.clientWantsKeepAlive() && client.canKeepAlive());
    }

    private void finish(int finalStatus, String proxyError, String backend) {
        if (disputed != null) {
            judgeDisputed(Verdict.NEUTRAL);
        }
        if (cluster != null) {
            cluster.budget().requestFinished();
        }
        proxy.exchangeFinished();
        request.release();
        proxy.events.requestCompleted(request, finalStatus, proxyError, backend, attempts,
                proxy.ticker.read() - startedAt, responseBytes);
    }

    private static String describe(AttemptFailure failure) {
        return switch (failure) {
            case CONNECT -> "could not be reached";
            case REFUSED -> "refused the request unprocessed";
            case RESET -> "closed the connection without an answer";
            case TIMEOUT -> "did not answer in time";
            case BAD_RESPONSE -> "sent an invalid response";
            case FAILURE_STATUS -> "answered with an error status";
            case LOST_HEDGE -> "was slower than a hedge";
            case STALLED -> "went silent mid-response";
        };
    }
}
