package io.healthyproxy.app.config;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class DidYouMeanTest {

    private static final List<String> KEYS = List.of("failureThreshold", "successThreshold", "openDuration",
            "maxOpenDuration", "path", "port");

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource({
            "failureTreshold,   failureThreshold",
            "failure_threshold, failureThreshold",
            "FailureThreshold,  failureThreshold",
            "open-duration,     openDuration",
            "maxOpenDurations,  maxOpenDuration",
            "pth,               path",
    })
    void suggestsTheKnownNameWithinTwoEdits(String typed, String meant) {
        assertThat(DidYouMean.among(KEYS, typed)).contains(meant);
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource({"weight", "threshold", "retries"})
    void suggestsNothingWhenNoNameIsClose(String typed) {
        assertThat(DidYouMean.among(KEYS, typed)).isEmpty();
    }

    @ParameterizedTest(name = "{0} vs {1}")
    @CsvSource({"kitten, sitting, 3", "'', abc, 3", "abc, abc, 0", "flaw, lawn, 2"})
    void editDistanceIsLevenshtein(String a, String b, int distance) {
        assertThat(DidYouMean.editDistance(a, b)).isEqualTo(distance);
    }
}
