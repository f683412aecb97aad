package io.healthyproxy.http.internal;

import io.healthyproxy.http.config.GrpcPolicy;
import io.healthyproxy.http.config.Limits;
import io.healthyproxy.http.config.RetryPolicy;
import io.healthyproxy.http.config.StatusCodes;
import io.healthyproxy.http.config.Timeouts;

/**
 * The rules one exchange follows, read from the config once (converting durations on every request showed
 * in profiles) rather than on every request.
 *
 * @param requestNanos    the whole request, every attempt included, until a response head is relayed
 * @param clientIdleNanos a client that takes nothing of a response for this long is dropped
 * @param attemptLimits   what each attempt enforces by itself
 * @param maxAttempts     attempts per request, the first included
 * @param retryOn         response statuses that are retried like a failure when another try can be made
 * @param failureStatuses response statuses that count against the backend that sent them
 * @param hedging         whether slow idempotent requests get a hedged copy
 * @param holdBytes       responses of a known length up to this are held until complete when the request
 *                        could be retried ...
 * @param holdNanos       ... but for no longer than this; then they are relayed as they come
 * @param secondOpinionOn statuses an idempotent request is tried again for, elsewhere, to learn whose fault
 *                        they were (none of them in {@code failureStatuses})
 * @param tunnelIdleNanos an upgraded connection with no traffic is closed after this
 * @param grpc            how gRPC calls are judged (their grpc-status) and which may be sent twice
 */
record ExchangePolicy(long requestNanos, long clientIdleNanos, AttemptLimits attemptLimits, int maxAttempts,
        StatusCodes retryOn, StatusCodes failureStatuses, boolean hedging, int holdBytes, long holdNanos,
        StatusCodes secondOpinionOn, long tunnelIdleNanos, GrpcPolicy grpc) {

    static ExchangePolicy of(Timeouts timeouts, RetryPolicy retries, StatusCodes failureStatuses, Limits limits) {
        return of(timeouts, retries, failureStatuses, limits, GrpcPolicy.DEFAULTS);
    }

    static ExchangePolicy of(Timeouts timeouts, RetryPolicy retries, StatusCodes failureStatuses, Limits limits,
            GrpcPolicy grpc) {
        return new ExchangePolicy(timeouts.request().toNanos(), timeouts.clientIdle().toNanos(),
                new AttemptLimits(timeouts.perTry().toNanos(), timeouts.responseIdle().toNanos()),
                retries.maxAttempts(), retries.retryOn(), failureStatuses,
                retries.hedging().enabled() && retries.maxAttempts() > 1, limits.maxBufferedResponseBytes(),
                timeouts.responseHold().toNanos(), retries.secondOpinionOn().without(failureStatuses),
                timeouts.tunnelIdle().toNanos(), grpc);
    }
}
