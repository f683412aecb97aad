package io.healthyproxy.core.breaker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class CircuitBreakerConfigTest {

    @Test
    void defaultsAreTheSeeds() {
        CircuitBreakerConfig c = CircuitBreakerConfig.defaults();

        assertThat(c.failureThreshold()).isEqualTo(5);
        assertThat(c.openDuration()).isEqualTo(Duration.ofSeconds(30));
        assertThat(c.halfOpenTrials()).isEqualTo(1);
        assertThat(c.successThreshold()).isEqualTo(1);
        assertThat(c.failureRate()).isEmpty();
    }

    @Test
    void eachSetterRejectsABadValueNamingTheFieldAndWhatWasExpected() {
        CircuitBreakerConfig.Builder b = CircuitBreakerConfig.builder();

        assertThatThrownBy(() -> b.failureThreshold(0)).hasMessage("failureThreshold: 0 (expected: > 0)");
        assertThatThrownBy(() -> b.openDuration(Duration.ofSeconds(-1)))
                .hasMessage("openDuration: -1s (expected: > 0)");
        assertThatThrownBy(() -> b.backoffMultiplier(0.5)).hasMessage("backoffMultiplier: 0.5 (expected: >= 1.0)");
        assertThatThrownBy(() -> b.openJitter(1.0)).hasMessage("openJitter: 1.0 (expected: 0.0..0.9)");
        assertThatThrownBy(() -> b.halfOpenTrials(65)).hasMessage("halfOpenTrials: 65 (expected: 1..64)");
        assertThatThrownBy(() -> b.trialTimeout(Duration.ZERO)).hasMessage("trialTimeout: 0ms (expected: > 0)");
    }

    @Test
    void buildChecksValuesAgainstEachOther() {
        assertThatThrownBy(() -> CircuitBreakerConfig.builder().halfOpenTrials(1).successThreshold(2).build())
                .hasMessageStartingWith("successThreshold: 2 (expected: <= halfOpenTrials 1");
        assertThatThrownBy(() -> CircuitBreakerConfig.builder().openDuration(Duration.ofMinutes(10)).build())
                .hasMessage("maxOpenDuration: 5m (expected: >= openDuration 10m)");
    }

    @Test
    void theBuilderIsTheOnlyWayToMakeOneSoAnInvalidConfigCannotExist() {
        assertThat(CircuitBreakerConfig.class.getConstructors()).isEmpty();
        assertThat(CircuitBreakerConfig.Builder.class.getConstructors()).isEmpty();
    }

    @Test
    void failureRateTriggerChecksItsValues() {
        assertThatThrownBy(() -> FailureRateTrigger.of(0, 10, Duration.ofSeconds(10)))
                .hasMessageStartingWith("failureRate.threshold: 0.0");
        assertThatThrownBy(() -> FailureRateTrigger.of(0.5, 0, Duration.ofSeconds(10)))
                .hasMessage("failureRate.minimumCalls: 0 (expected: > 0)");
    }

    @Test
    void failureRateThresholdSaysWhatItExpectsInWords() {
        assertThatThrownBy(() -> FailureRateTrigger.of(1.5, 10, Duration.ofSeconds(10)))
                .hasMessage("failureRate.threshold: 1.5 (expected: > 0 and <= 1)");
        assertThatThrownBy(() -> FailureRateTrigger.of(Double.NaN, 10, Duration.ofSeconds(10)))
                .hasMessage("failureRate.threshold: NaN (expected: > 0 and <= 1)");
        assertThat(FailureRateTrigger.of(Double.MIN_VALUE, 10, Duration.ofSeconds(10)).threshold()).isPositive();
    }

    @Test
    void toBuilderKeepsEveryValue() {
        CircuitBreakerConfig c = CircuitBreakerConfig.builder().failureThreshold(3).openJitter(0.3)
                .failureRate(FailureRateTrigger.of(0.5, 10, Duration.ofSeconds(5))).build();

        assertThat(c.toBuilder().build()).isEqualTo(c);
    }
}
