package io.healthyproxy.core.breaker;

import java.util.Objects;

/**
 * How many of a breaker's current consecutive failures were of one kind ({@link CircuitSnapshot#failureKinds()}).
 *
 * @param kind  the kind its callers reported ({@link CircuitBreaker#onFailure(long, String)}), e.g. the HTTP
 *              proxy's {@code backend_unreachable}, or one of the breaker's own:
 *              {@link CircuitBreaker#TRIAL_TIMED_OUT}, {@link CircuitBreaker#UNSPECIFIED_FAILURE};
 *              {@link #OTHER_KINDS} counts the kinds beyond the first 12 ever seen
 * @param count failures of that kind in the streak, at least 1
 */
public record FailureCount(String kind, int count) {

    /** The kind under which failures of kinds the tally has no room left for are counted. */
    public static final String OTHER_KINDS = "other";

    public FailureCount {
        Objects.requireNonNull(kind, "kind");
    }
}
