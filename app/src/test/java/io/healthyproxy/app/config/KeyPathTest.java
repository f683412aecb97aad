package io.healthyproxy.app.config;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class KeyPathTest {

    @ParameterizedTest(name = "{0} + {1} = {2}")
    @CsvSource({
            "breaker,             successThreshold,       breaker.successThreshold",
            "timeouts,            timeouts.perTry,        timeouts.perTry",
            "breaker.failureRate, failureRate.window,     breaker.failureRate.window",
            "retries.hedging,     retries.hedging.delay,  retries.hedging.delay",
            "healthCheck.timeout, timeout,                healthCheck.timeout",
            "'',                  admin,                  admin",
            "backends[1],         address,                backends[1].address",
    })
    void aFieldNamedByAConfigClassJoinsItsSectionWithoutRepeatingIt(String section, String name, String full) {
        assertThat(new KeyPath(section).join(name)).hasToString(full);
    }

    @ParameterizedTest(name = "[{index}] {1}")
    @CsvSource({"'', top level", "backends, backends"})
    void theRootIsShownAsTopLevel(String path, String shown) {
        assertThat(new KeyPath(path)).hasToString(shown);
    }
}
