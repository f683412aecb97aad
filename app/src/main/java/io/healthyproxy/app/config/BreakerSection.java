package io.healthyproxy.app.config;

import io.healthyproxy.core.breaker.CircuitBreakerConfig;
import io.healthyproxy.core.breaker.FailureRateTrigger;
import io.healthyproxy.http.config.ProxyConfig;
import java.time.Duration;
import java.util.Optional;

/**
 * {@code breaker}: each backend's circuit breaker. Keys override {@link ProxyConfig#DEFAULT_BREAKER}, the proxy's
 * defaults (5 s open rather than the breaker's own 30 s), and are named as in {@link CircuitBreakerConfig}.
 * {@code failureRate} turns the failure-rate trigger on; it has no defaults but {@code buckets}, so
 * {@code threshold}, {@code minimumCalls} and {@code window} are required within it.
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

    static Optional<CircuitBreakerConfig> read(YamlMapping breaker) {
        CircuitBreakerConfig.Builder b = ProxyConfig.DEFAULT_BREAKER.toBuilder();
        breaker.readInto("failureThreshold", YamlValue::integer, b::failureThreshold);
        breaker.readInto("openDuration", ConfigValues::duration, b::openDuration);
        breaker.readInto("backoffMultiplier", YamlValue::number, b::backoffMultiplier);
        breaker.readInto("maxOpenDuration", ConfigValues::duration, b::maxOpenDuration);
        breaker.readInto("openJitter", YamlValue::number, b::openJitter);
        breaker.readInto("backoffResetAfter", ConfigValues::duration, b::backoffResetAfter);
        breaker.readInto("halfOpenTrials", YamlValue::integer, b::halfOpenTrials);
        breaker.readInto("successThreshold", YamlValue::integer, b::successThreshold);
        breaker.readInto("trialTimeout", ConfigValues::duration, b::trialTimeout);
        breaker.readInto("halfOpenOnHealthRecovery", YamlValue::bool, b::halfOpenOnHealthRecovery);
        breaker.readInto("failureRate", value -> value.mapping(BreakerSection::failureRate), b::failureRate);
        return breaker.build(b::build);
    }

    private static Optional<FailureRateTrigger> failureRate(YamlMapping rate) {
        Optional<Double> threshold = rate.require("threshold", "the share of failed calls that opens, e.g. 0.5")
                .flatMap(YamlValue::number);
        Optional<Integer> minimumCalls = rate.require("minimumCalls", "calls needed before the rate counts, e.g. 20")
                .flatMap(YamlValue::integer);
        Optional<Duration> window = rate.require("window", "a duration, e.g. 10s").flatMap(ConfigValues::duration);
        Optional<Integer> buckets = rate.get("buckets").flatMap(YamlValue::integer);
        if (threshold.isEmpty() || minimumCalls.isEmpty() || window.isEmpty()) {
            return Optional.empty();
        }
        return rate.build(() -> {
            FailureRateTrigger trigger = FailureRateTrigger.of(threshold.get(), minimumCalls.get(), window.get());
            return buckets.map(n -> new FailureRateTrigger(trigger.threshold(), trigger.minimumCalls(),
                    trigger.window(), n)).orElse(trigger);
        });
    }
}
