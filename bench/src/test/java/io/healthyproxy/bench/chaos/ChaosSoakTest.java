package io.healthyproxy.bench.chaos;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * One minute of chaos against three real backends under 200 requests a second: see {@link ChaosSoak} for the
 * faults and the verdict. The seed is fixed so that a red build can be replayed; {@code bench/run-chaos}
 * runs longer soaks with fresh seeds.
 */
@Timeout(180)
class ChaosSoakTest {

    @Test
    void aMinuteOfChaosLosesNoRequestAndLeavesNothingBehind() throws Exception {
        ChaosSoak.Report report = ChaosSoak.run(new ChaosSoak.Options(Duration.ofMinutes(1), 20261121L, 200),
                line -> { });

        System.out.print(report.summary());
        assertThat(report.sent()).as("requests sent").isGreaterThan(11_000);
        assertThat(report.failures()).as("failed or lost requests").isEmpty();
        assertThat(report.ok()).isEqualTo(report.sent());
        assertThat(report.after()).as("resources after, against %s before", report.before())
                .matches(after -> report.resourcesReturned());
        assertThat(report.servedBy()).as("every backend served").containsKeys("b1", "b2", "b3");
    }
}
