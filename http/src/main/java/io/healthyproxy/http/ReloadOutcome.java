package io.healthyproxy.http;

import java.util.List;

/**
 * How a request to reload went ({@code POST /reload}, SIGHUP, a watched file): applied, with what changed, or
 * refused, with every problem of the new config (file, line, key — as {@code check-config} prints them), the
 * running config serving on.
 *
 * @param applied  whether the new config is in force
 * @param summary  what changed, when applied; null otherwise
 * @param problems why it was refused, when not applied
 */
public record ReloadOutcome(boolean applied, ReloadSummary summary, List<String> problems) {

    public ReloadOutcome {
        problems = List.copyOf(problems);
    }

    public static ReloadOutcome applied(ReloadSummary summary) {
        return new ReloadOutcome(true, summary, List.of());
    }

    public static ReloadOutcome refused(List<String> problems) {
        return new ReloadOutcome(false, null, problems);
    }
}
