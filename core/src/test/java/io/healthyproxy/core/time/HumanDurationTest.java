package io.healthyproxy.core.time;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class HumanDurationTest {

    @ParameterizedTest
    @CsvSource({"250ms, 250", "5s, 5000", "1.5s, 1500", "2m, 120000", "1h, 3600000", "PT30S, 30000",
            "' 10 ms ', 10", "1500us, 1"})
    void parsesWhatPeopleWrite(String text, long millis) {
        assertThat(HumanDuration.parse(text).toMillis()).isEqualTo(millis);
    }

    @ParameterizedTest
    @ValueSource(strings = {"30", "", "fast", "5 seconds", "-1s", "1.s"})
    void rejectsAnythingElseSayingWhatItExpects(String text) {
        assertThatThrownBy(() -> HumanDuration.parse(text))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("expected: a number and a unit");
    }

    @ParameterizedTest
    @CsvSource({"30000, 30s", "250, 250ms", "1500, 1.5s", "120000, 2m", "0, 0ms", "3600000, 1h"})
    void formatsShort(long millis, String text) {
        assertThat(HumanDuration.format(Duration.ofMillis(millis))).isEqualTo(text);
    }
}
