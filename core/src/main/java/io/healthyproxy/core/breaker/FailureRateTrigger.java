package io.healthyproxy.core.breaker;

import io.healthyproxy.core.internal.Require;
import io.healthyproxy.core.time.HumanDuration;
import java.time.Duration;

/**
 * The optional second way to open a closed circuit: the share of failed calls over a sliding time window,
 * once the window holds at least {@code minimumCalls} calls. Consecutive-failure counting catches a backend
 * that is down; this catches one that fails every third call and so never fails five times in a row.
 *
 * @param threshold    share of failures that opens the circuit, in {@code (0, 1]}
 * @param minimumCalls calls the window must hold before the rate means anything
 * @param window       length of the sliding window
 * @param buckets      the window is kept as this many buckets, rotated as time passes (1..600)
 */
public record FailureRateTrigger(double threshold, int minimumCalls, Duration window, int buckets) {

    public FailureRateTrigger {
        // Spelled out rather than inRange(..., Double.MIN_VALUE, 1.0): same rule, but the message said
        // "expected: 4.9E-324..1.0".
        if (!(threshold > 0.0 && threshold <= 1.0)) {
            throw Require.invalid("failureRate.threshold", threshold, "> 0 and <= 1");
        }
        Require.positive("failureRate.minimumCalls", minimumCalls);
        Require.positive("failureRate.window", window);
        Require.inRange("failureRate.buckets", buckets, 1, 600);
        if (window.toNanos() / buckets == 0) {
            throw Require.invalid("failureRate.window", HumanDuration.format(window), "at least 1ns per bucket");
        }
    }

    /** Opens at {@code threshold} failures over {@code window} (kept in 10 buckets) once it holds {@code minimumCalls}. */
    public static FailureRateTrigger of(double threshold, int minimumCalls, Duration window) {
        return new FailureRateTrigger(threshold, minimumCalls, window, 10);
    }
}
