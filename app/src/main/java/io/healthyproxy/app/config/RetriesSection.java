package io.healthyproxy.app.config;

import io.healthyproxy.http.config.Hedging;
import io.healthyproxy.http.config.RetryPolicy;
import io.healthyproxy.http.config.StatusCodes;
import java.time.Duration;
import java.util.Optional;

/**
 * {@code retries}, with {@code hedging} nested in it; keys named as in {@link RetryPolicy} and {@link Hedging},
 * missing ones take {@link RetryPolicy#DEFAULTS}. {@code hedging.delay} is {@code auto} (adaptive, the default)
 * or a fixed duration.
 */
final class RetriesSection {

    private RetriesSection() {
    }

    static Optional<RetryPolicy> read(YamlMapping retries) {
        RetryPolicy d = RetryPolicy.DEFAULTS;
        int maxAttempts = retries.readOr("maxAttempts", YamlValue::integer, d.maxAttempts());
        StatusCodes retryOn = retries.readOr("retryOn", ConfigValues::statusCodes, d.retryOn());
        double budgetRatio = retries.readOr("budgetRatio", YamlValue::number, d.budgetRatio());
        int budgetMinimum = retries.readOr("budgetMinimum", YamlValue::integer, d.budgetMinimum());
        Hedging hedging = retries.readOr("hedging", value -> value.mapping(RetriesSection::hedging), d.hedging());
        StatusCodes secondOpinionOn = retries.readOr("secondOpinionOn", ConfigValues::statusCodes,
                d.secondOpinionOn());
        return retries.build(() -> new RetryPolicy(maxAttempts, retryOn, budgetRatio, budgetMinimum, hedging,
                secondOpinionOn));
    }

    private static Optional<Hedging> hedging(YamlMapping hedging) {
        Hedging d = RetryPolicy.DEFAULTS.hedging();
        boolean enabled = hedging.readOr("enabled", YamlValue::bool, d.enabled());
        Optional<Duration> delay = hedging.readOr("delay", ConfigValues::durationOrAuto, d.delay());
        Duration minDelay = hedging.readOr("minDelay", ConfigValues::duration, d.minDelay());
        return hedging.build(() -> new Hedging(enabled, delay, minDelay));
    }
}
