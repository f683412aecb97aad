package io.healthyproxy.app.config;

import io.healthyproxy.core.breaker.CircuitBreakerConfig;
import io.healthyproxy.core.breaker.FailureRateTrigger;
import io.healthyproxy.http.config.ProxyConfig;
import java.time.Duration;
import java.util.Optional;

/**
 * {@code breaker}: each backend's circuit breaker. Keys override those of the level above, key by key: a
 * cluster's those of the top level, the top level's {@link ProxyConfig#DEFAULT_BREAKER}, the proxy's defaults
 * (5 s open rather than the breaker's own 30 s); they are named as in {@link CircuitBreakerConfig}.
 * {@code failureRate} turns the failure-rate trigger on; it has no defaults but {@code buckets}, so
 * {@code threshold}, {@code minimumCalls} and {@code window} are required within it unless the level above has
 * a trigger, whose keys then carry over. {@code failureRate: false} turns an inherited trigger off.
 * {@code halfOpenOnHealthRecovery} is read here, where users look for it, though the core keeps it with the
 * backend group rather than the breaker (the breaker does not act on it; the group wires health to breaker).
 *
 * <pre>
 * breaker:
 *   failureThreshold: 5
 *   openDuration: 5s
 *   failureRate: { threshold: 0.5, minimumCalls: 20, window: 10s }
 * </pre>
 */
final class BreakerSection {

    private BreakerSection() {
    }

    /** The section as read: the breaker's config, and whether a recovery the checks see ends an opening early. */
    record Settings(CircuitBreakerConfig config, boolean halfOpenOnHealthRecovery) {
    }

    static Optional<Settings> read(YamlMapping breaker, Settings base) {
        CircuitBreakerConfig.Builder b = base.config().toBuilder();
        boolean[] halfOpenOnHealthRecovery = {base.halfOpenOnHealthRecovery()};
        breaker.readInto("failureThreshold", YamlValue::integer, b::failureThreshold);
        breaker.readInto("openDuration", ConfigValues::duration, b::openDuration);
        breaker.readInto("backoffMultiplier", YamlValue::number, b::backoffMultiplier);
        breaker.readInto("maxOpenDuration", ConfigValues::duration, b::maxOpenDuration);
        breaker.readInto("openJitter", YamlValue::number, b::openJitter);
        breaker.readInto("backoffResetAfter", ConfigValues::duration, b::backoffResetAfter);
        breaker.readInto("halfOpenTrials", YamlValue::integer, b::halfOpenTrials);
        breaker.readInto("successThreshold", YamlValue::integer, b::successThreshold);
        breaker.readInto("trialTimeout", ConfigValues::duration, b::trialTimeout);
        breaker.readInto("halfOpenOnHealthRecovery", YamlValue::bool, on -> halfOpenOnHealthRecovery[0] = on);
        breaker.get("failureRate").ifPresent(value -> {
            if (value.isBoolean()) {
                value.bool().filter(on -> on).ifPresent(on -> value.reject("true (expected: false, to turn an "
                        + "inherited trigger off, or a mapping, e.g. { threshold: 0.5, minimumCalls: 20, window: 10s })"));
                b.failureRate(null);
                return;
            }
            value.mapping(rate -> failureRate(rate, base.config().failureRate())).ifPresent(b::failureRate);
        });
        return breaker.build(() -> new Settings(b.build(), halfOpenOnHealthRecovery[0]));
    }

    private static Optional<FailureRateTrigger> failureRate(YamlMapping rate, Optional<FailureRateTrigger> base) {
        Optional<Double> threshold = key(rate, "threshold", "the share of failed calls that opens, e.g. 0.5",
                base.map(FailureRateTrigger::threshold)).flatMap(YamlValue::number)
                .or(() -> base.map(FailureRateTrigger::threshold));
        Optional<Integer> minimumCalls = key(rate, "minimumCalls", "calls needed before the rate counts, e.g. 20",
                base.map(FailureRateTrigger::minimumCalls)).flatMap(YamlValue::integer)
                .or(() -> base.map(FailureRateTrigger::minimumCalls));
        Optional<Duration> window = key(rate, "window", "a duration, e.g. 10s", base.map(FailureRateTrigger::window))
                .flatMap(ConfigValues::duration).or(() -> base.map(FailureRateTrigger::window));
        Optional<Integer> buckets = rate.get("buckets").flatMap(YamlValue::integer)
                .or(() -> base.map(FailureRateTrigger::buckets));
        if (threshold.isEmpty() || minimumCalls.isEmpty() || window.isEmpty()) {
            return Optional.empty();
        }
        return rate.build(() -> {
            FailureRateTrigger trigger = FailureRateTrigger.of(threshold.get(), minimumCalls.get(), window.get());
            return buckets.map(n -> new FailureRateTrigger(trigger.threshold(), trigger.minimumCalls(),
                    trigger.window(), n)).orElse(trigger);
        });
    }

    /** A key that is required unless the trigger above has it. */
    private static Optional<YamlValue> key(YamlMapping rate, String key, String expected, Optional<?> inherited) {
        return inherited.isPresent() ? rate.get(key) : rate.require(key, expected);
    }
}
