package io.healthyproxy.app.config;

import io.healthyproxy.http.config.Hedging;
import io.healthyproxy.http.config.RetryPolicy;
import io.healthyproxy.http.config.StatusCodes;
import java.time.Duration;
import java.util.Optional;

/**
 * {@code retries}, with {@code hedging} nested in it; keys named as in {@link RetryPolicy} and {@link Hedging},
 * missing ones keep those of the level above (the top level's keep {@link RetryPolicy#DEFAULTS}), key by key,
 * in {@code hedging} too. {@code hedging.delay} is {@code auto} (adaptive, the default) or a fixed duration. The
 * retry budget ({@code budgetRatio}, {@code budgetMinimum}) is a cluster's, shared by its routes.
 */
final class RetriesSection {

    private RetriesSection() {
    }

    static Optional<RetryPolicy> read(YamlMapping retries, RetryPolicy base, Level level) {
        if (level == Level.ROUTE) {
            String why = "the retry budget is shared by all routes to the cluster";
            level.refuse(retries, "budgetRatio", "the top level or a cluster", why);
            level.refuse(retries, "budgetMinimum", "the top level or a cluster", why);
        }
        int maxAttempts = retries.readOr("maxAttempts", YamlValue::integer, base.maxAttempts());
        StatusCodes retryOn = retries.readOr("retryOn", ConfigValues::statusCodes, base.retryOn());
        double budgetRatio = retries.readOr("budgetRatio", YamlValue::number, base.budgetRatio());
        int budgetMinimum = retries.readOr("budgetMinimum", YamlValue::integer, base.budgetMinimum());
        Hedging hedging = retries.readOr("hedging", value -> value.mapping(h -> hedging(h, base.hedging())),
                base.hedging());
        StatusCodes secondOpinionOn = retries.readOr("secondOpinionOn", ConfigValues::statusCodes,
                base.secondOpinionOn());
        return retries.build(() -> new RetryPolicy(maxAttempts, retryOn, budgetRatio, budgetMinimum, hedging,
                secondOpinionOn));
    }

    private static Optional<Hedging> hedging(YamlMapping hedging, Hedging base) {
        boolean enabled = hedging.readOr("enabled", YamlValue::bool, base.enabled());
        Optional<Duration> delay = hedging.readOr("delay", ConfigValues::durationOrAuto, base.delay());
        Duration minDelay = hedging.readOr("minDelay", ConfigValues::duration, base.minDelay());
        return hedging.build(() -> new Hedging(enabled, delay, minDelay));
    }
}
