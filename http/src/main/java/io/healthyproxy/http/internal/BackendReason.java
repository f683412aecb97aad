package io.healthyproxy.http.internal;

import io.healthyproxy.core.ActiveHealthChecker;
import io.healthyproxy.core.BackendStatus;
import io.healthyproxy.core.Ejection;
import io.healthyproxy.core.breaker.CircuitBreaker;
import io.healthyproxy.core.breaker.CircuitSnapshot;
import io.healthyproxy.core.breaker.CircuitState;
import io.healthyproxy.core.breaker.FailureCount;
import io.healthyproxy.core.health.HealthStatus;
import io.healthyproxy.core.time.HumanDuration;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.StringJoiner;

/**
 * Why a backend is in the state it is in, in words, for {@code /status} and the dashboard: what its circuit
 * did and the failures that made it, what its health checks say and when the next one comes, and why it is
 * ejected, e.g.
 * <pre>
 * circuit opened 12s ago: 5 consecutive failures: 3 unreachable, 2 reset; next trial in 3s
 * unhealthy: 3 failed checks (last: timed out after 1s); next check in 0.4s
 * ejected for 4.2s more: slower than its peers: median 85.0ms against their p90 of 4.0ms
 * </pre>
 * Each gate that has something to say adds a clause; a closed, healthy, unejected backend with no failures
 * has nothing to say (an empty string). The failure kinds are the request path's {@link AttemptFailure}
 * codes and core's own kinds, put into words here.
 */
final class BackendReason {

    private BackendReason() {
    }

    /**
     * @param failureThreshold the consecutive failures that open its circuit, to tell how near a closed one is
     * @param now              the ticker reading the status was taken at
     */
    static String of(BackendStatus s, int failureThreshold, long now) {
        List<String> clauses = new ArrayList<>(3);
        String circuit = circuit(s.circuit(), failureThreshold);
        if (!circuit.isEmpty()) {
            clauses.add(circuit);
        }
        String health = health(s.health(), now);
        if (!health.isEmpty()) {
            clauses.add(health);
        }
        Ejection e = s.ejection();
        if (e != null) {
            clauses.add("ejected for " + roughly(e.untilNanos() - now) + " more: " + e.reason());
        }
        return String.join("; ", clauses);
    }

    private static String circuit(CircuitSnapshot c, int failureThreshold) {
        String ago = roughly(c.sinceLastTransition().toNanos());
        String failures = c.consecutiveFailures() == 0 ? "" : failures(c.consecutiveFailures(), c.failureKinds());
        if (c.state() == CircuitState.OPEN) {
            String how = c.lastTransition() == null ? "" : switch (c.lastTransition()) {
                case TRIAL_FAILED -> " (its trial failed)";
                case TRIAL_TIMED_OUT -> " (its trial did not answer in time)";
                case PROBE_FAILED -> " (a health check failed while half-open)";
                case FAILURE_RATE_EXCEEDED -> " (failure rate over its threshold)";
                default -> "";
            };
            return "circuit opened " + ago + " ago" + how + (failures.isEmpty() ? "" : ": " + failures)
                    + "; next trial in " + roughly(c.openRemaining().toNanos());
        }
        if (c.state() == CircuitState.HALF_OPEN) {
            String why = c.lastTransition() == null ? "" : switch (c.lastTransition()) {
                case HEALTH_RECOVERED -> " (its health checks recovered)";
                case NO_OTHER_BACKEND -> " (no other backend admits traffic)";
                default -> " (open duration over)";
            };
            return "circuit half-open for " + ago + why + ": "
                    + (c.trialsInFlight() > 0 ? "a trial is under way" : "the next request is its trial");
        }
        if (!failures.isEmpty()) {
            return failures + " (the circuit opens at " + failureThreshold + ")";
        }
        return c.lastTransition() == null ? "" : "circuit closed " + ago + " ago (its trials succeeded)";
    }

    private static String health(HealthStatus h, long now) {
        String next = h.checkInFlight() ? "checking now"
                : h.nextCheckAtNanos().isPresent()
                        ? "next check in " + roughly(h.nextCheckAtNanos().getAsLong() - now) : "";
        String last = h.lastResult() == null || h.lastResult().healthy() ? "" : " (last: " + h.lastResult().detail() + ")";
        if (!h.healthy()) {
            String checks = h.consecutiveFailures() > 0 ? failedChecks(h) + last
                    : h.consecutivePasses() > 0 ? h.consecutivePasses() + " passed since the last failed check"
                    : "no check yet";
            return "unhealthy: " + checks + (next.isEmpty() ? "" : "; " + next);
        }
        if (h.consecutiveFailures() > 0) {
            return failedChecks(h) + last + (next.isEmpty() ? "" : "; " + next);
        }
        return "";
    }

    private static String failedChecks(HealthStatus h) {
        return h.consecutiveFailures() + " failed check" + (h.consecutiveFailures() == 1 ? "" : "s");
    }

    /** {@code 5 consecutive failures: 3 unreachable, 2 reset}, the kinds most frequent first. */
    static String failures(int consecutive, List<FailureCount> kinds) {
        String head = consecutive + " consecutive failure" + (consecutive == 1 ? "" : "s");
        return kinds.isEmpty() ? head : head + ": " + kinds(kinds);
    }

    /** {@code 3 unreachable, 2 reset}: failures counted by kind, in words. */
    static String kinds(List<FailureCount> kinds) {
        StringJoiner counts = new StringJoiner(", ");
        for (FailureCount k : kinds) {
            counts.add(k.count() + " " + words(k.kind(), k.count()));
        }
        return counts.toString();
    }

    /** The words for {@code count} failures of {@code kind}. */
    private static String words(String kind, int count) {
        boolean one = count == 1;
        for (AttemptFailure f : AttemptFailure.values()) {
            if (f.code().equals(kind)) {
                return switch (f) {
                    case CONNECT -> "unreachable";
                    case RESET -> "reset";
                    case BAD_RESPONSE -> one ? "invalid response" : "invalid responses";
                    case FAILURE_STATUS -> one ? "error status" : "error statuses";
                    case STALLED -> "stalled mid-response";
                    case TIMEOUT -> "timed out";                // slowness: never on a breaker, named all the same
                    case LOST_HEDGE -> "slower than a hedge";
                };
            }
        }
        return switch (kind) {
            case ActiveHealthChecker.CHECK_FAILED -> one ? "failed health check" : "failed health checks";
            case CircuitBreaker.TRIAL_TIMED_OUT -> one ? "trial timed out" : "trials timed out";
            case FailureCount.OTHER_KINDS -> "of other kinds";
            default -> kind.replace('_', ' ');
        };
    }

    /**
     * A duration as precise as a person reading a status page wants it: whole seconds from 10 s, tenths of
     * a second from 1 s, milliseconds below.
     */
    static String roughly(long nanos) {
        long n = Math.max(0, nanos);
        long unit = n >= 10_000_000_000L ? 1_000_000_000L : n >= 1_000_000_000L ? 100_000_000L : 1_000_000L;
        return HumanDuration.format(Duration.ofNanos(Math.round((double) n / unit) * unit));
    }
}
