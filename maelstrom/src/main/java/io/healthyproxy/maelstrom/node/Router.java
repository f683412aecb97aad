package io.healthyproxy.maelstrom.node;

import io.healthyproxy.core.Backend;
import io.healthyproxy.core.BackendPool;
import io.healthyproxy.core.Failover;
import io.healthyproxy.core.Lease;
import io.healthyproxy.maelstrom.protocol.Body;
import io.healthyproxy.maelstrom.protocol.ErrorCode;
import io.healthyproxy.maelstrom.protocol.Message;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalLong;
import java.util.concurrent.CompletionException;
import java.util.stream.Collectors;

/**
 * Routes client requests to backends: a backend whose breaker admits traffic, one retry on a different
 * backend if the first attempt fails, the backend's answer relayed to the client with a {@code backend} field.
 *
 * <p>The client's error, when every attempt fails, follows Maelstrom's definite/indefinite rule: error 0
 * (timeout) if some attempt might have been served (it timed out, or the backend said "crashed"), error 11
 * (temporarily unavailable) when none was. Confined to the node's thread.
 */
final class Router {

    private final BackendPool pool;
    private final Rpc rpc;
    private final Sender sender;
    private final NodeConfig config;
    private final NodeObserver observer;
    private boolean stopped;

    Router(BackendPool pool, Rpc rpc, Sender sender, NodeConfig config, NodeObserver observer) {
        this.pool = pool;
        this.rpc = rpc;
        this.sender = sender;
        this.config = config;
        this.observer = observer;
    }

    void route(Message request) {
        Failover failover = Failover.over(pool, NodeConfig.MAX_ATTEMPTS);
        Lease lease = failover.first();
        if (lease == null) {
            answer(request, Body.error(ErrorCode.TEMPORARILY_UNAVAILABLE, "no backend available: " + whyNone()), null);
            return;
        }
        new Attempt(request, lease, failover, new ArrayList<>(), false).send();
    }

    /** After this, attempts still waiting are answered with error 0 instead of being retried. */
    void stop() {
        stopped = true;
    }

    private String whyNone() {
        List<Backend> backends = pool.backends();
        if (backends.isEmpty()) {
            return "this node has no backends";
        }
        return backends.stream().map(b -> b.id() + " " + (b.health().isHealthy()
                        ? "circuit " + b.breaker().state().label() : "unhealthy"))
                .collect(Collectors.joining(", "));
    }

    private void answer(Message request, Body body, String backend) {
        sender.reply(request, body);
        observer.answered(request, body, backend);
    }

    /** One try of one request on one backend. */
    private final class Attempt {
        private final Message request;
        private final Lease lease;
        private final Failover failover;
        private final List<String> failures;
        private final boolean maybeServed;

        Attempt(Message request, Lease lease, Failover failover, List<String> failures, boolean maybeServed) {
            this.request = request;
            this.lease = lease;
            this.failover = failover;
            this.failures = failures;
            this.maybeServed = maybeServed;
        }

        void send() {
            String backend = lease.backend().id();
            observer.forwarded(request, backend, failover.attempts(), lease.isTrial());
            Body forward = Body.of(request.body().type(), request.body().fields());
            rpc.call(backend, forward, config.requestTimeout()).whenComplete(this::settle);
        }

        private void settle(Message reply, Throwable error) {
            String backend = lease.backend().id();
            Throwable cause = error instanceof CompletionException && error.getCause() != null ? error.getCause() : error;
            if (stopped || cause instanceof NodeStoppedException) {
                lease.release();
                answer(request, Body.error(ErrorCode.TIMEOUT,
                        "node stopped before " + backend + " answered: its input ended"), null);
                return;
            }
            if (cause == null && !isBackendFailure(reply.body())) {
                lease.onSuccess();
                answer(request, Body.of(reply.body().type(), reply.body().fields()).with("backend", backend), backend);
                return;
            }
            lease.onFailure();
            boolean mightHaveBeenServed = maybeServed || cause != null || !isDefiniteError(reply.body());
            failures.add(backend + ": " + (cause != null ? cause.getMessage() : describe(reply.body())));
            Lease next = failover.next(false);
            if (next != null) {
                new Attempt(request, next, failover, failures, mightHaveBeenServed).send();
                return;
            }
            if (failover.refusal() == Failover.Refusal.NO_OTHER_BACKEND) {
                failures.add(failover.refusal().reason());
            }
            answer(request, Body.error(mightHaveBeenServed ? ErrorCode.TIMEOUT : ErrorCode.TEMPORARILY_UNAVAILABLE,
                    String.join("; ", failures)), null);
        }
    }

    /** An error answer counts against the backend unless it is the request's own fault. */
    private static boolean isBackendFailure(Body answer) {
        if (!answer.type().equals("error")) {
            return false;
        }
        OptionalLong code = answer.integer("code");
        return code.isEmpty() || !ErrorCode.isRequestFault(code.getAsLong());
    }

    private static boolean isDefiniteError(Body answer) {
        OptionalLong code = answer.integer("code");
        return code.isPresent() && code.getAsLong() != ErrorCode.TIMEOUT.code()
                && code.getAsLong() != ErrorCode.CRASH.code();
    }

    private static String describe(Body error) {
        return "error " + error.integer("code").stream().boxed().findFirst().map(String::valueOf).orElse("without code")
                + error.string("text").map(t -> " (" + t + ")").orElse("");
    }
}
