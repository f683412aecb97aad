package io.healthyproxy.http.config;

import io.healthyproxy.core.internal.Require;
import io.healthyproxy.core.retry.RetryBudget;
import java.util.Objects;

/**
 * When a failed request is tried again, always on a backend not tried yet.
 *
 * <ul>
 *   <li>Idempotent requests (RFC 9110: GET, HEAD, OPTIONS, TRACE, PUT, DELETE) after a connect failure, a
 *       reset, a per-try timeout, or a status in {@code retryOn}.</li>
 *   <li>Other requests only when nothing was sent: the connection to the backend could not be opened.</li>
 * </ul>
 *
 * @param maxAttempts   attempts per request, the first included (default 3)
 * @param retryOn       statuses that make an idempotent request worth retrying (default 502,503,504)
 * @param budgetRatio   retries and hedges in flight may be at most this share of the requests in flight
 *                      (default 0.2) ...
 * @param budgetMinimum ... or this many, whichever is more (default 10). A retry after a connect failure
 *                      needs no budget: the request reached no backend, so repeating it adds no load.
 * @param hedging       hedged requests
 * @param secondOpinionOn statuses (default 500) for which an idempotent request gets a second opinion: it is
 *                      tried on another backend (within the budget), and the first backend is blamed only if
 *                      the other answered without a 5xx. So one backend answering 500 to everything is
 *                      ejected after a handful of requests while its clients get the other's answers, and an
 *                      endpoint broken on every backend ejects none and costs one extra try per request.
 *                      A status that is also in {@code failureStatuses} counts at once instead. Empty: off.
 */
public record RetryPolicy(int maxAttempts, StatusCodes retryOn, double budgetRatio, int budgetMinimum,
        Hedging hedging, StatusCodes secondOpinionOn) {

    public static final StatusCodes DEFAULT_SECOND_OPINION_ON = StatusCodes.parse("500");

    public static final RetryPolicy DEFAULTS = new RetryPolicy(3, StatusCodes.GATEWAY_ERRORS,
            RetryBudget.DEFAULT_RATIO, RetryBudget.DEFAULT_MIN_CONCURRENT, Hedging.DEFAULTS, DEFAULT_SECOND_OPINION_ON);

    public RetryPolicy {
        Require.inRange("retries.maxAttempts", maxAttempts, 1, 10);
        Objects.requireNonNull(retryOn, "retryOn");
        Require.inRange("retries.budgetRatio", budgetRatio, 0.0, 10.0);
        Require.inRange("retries.budgetMinimum", budgetMinimum, 0, 1_000_000);
        Objects.requireNonNull(hedging, "hedging");
        Objects.requireNonNull(secondOpinionOn, "secondOpinionOn");
    }

    /** The policy with the default second opinion on 500. */
    public RetryPolicy(int maxAttempts, StatusCodes retryOn, double budgetRatio, int budgetMinimum, Hedging hedging) {
        this(maxAttempts, retryOn, budgetRatio, budgetMinimum, hedging, DEFAULT_SECOND_OPINION_ON);
    }
}
