package io.healthyproxy.testkit;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

class ChaosScheduleTest {

    @Test
    void theSameSeedGivesTheSameScheduleAndAnotherSeedAnother() {
        assertThat(ChaosSchedule.generate(42, Duration.ofMinutes(1)))
                .isEqualTo(ChaosSchedule.generate(42, Duration.ofMinutes(1)))
                .isNotEqualTo(ChaosSchedule.generate(43, Duration.ofMinutes(1)));
    }

    @Test
    void neverMoreThanTwoBackendsAreFaultyAndEveryFaultIsHealedBeforeTheEnd() {
        for (long seed = 0; seed < 500; seed++) {
            Duration length = Duration.ofSeconds(10 + seed % 120);
            List<ChaosSchedule.Event> events = ChaosSchedule.generate(seed, length);
            boolean[] faulty = new boolean[ChaosSchedule.BACKENDS];
            int count = 0;
            for (ChaosSchedule.Event e : events) {
                assertThat(faulty[e.backend()]).as("seed %d: %s", seed, e).isEqualTo(e.heal());
                faulty[e.backend()] = !e.heal();
                count += e.heal() ? -1 : 1;
                assertThat(count).as("seed %d: faulty backends after %s", seed, e).isBetween(0, ChaosSchedule.MAX_FAULTY);
                assertThat(e.at()).isLessThanOrEqualTo(length.minusSeconds(2));
            }
            assertThat(count).as("seed %d: all healed", seed).isZero();
        }
    }

    @Test
    void atEveryFaultOneBackendHasBeenFineForTheRecoveryTimeAtLeast() {
        for (long seed = 0; seed < 500; seed++) {
            List<ChaosSchedule.Event> events = ChaosSchedule.generate(seed, Duration.ofSeconds(10 + seed % 120));
            long[] healedAt = new long[ChaosSchedule.BACKENDS];
            java.util.Arrays.fill(healedAt, Long.MIN_VALUE / 2);
            boolean[] faulty = new boolean[ChaosSchedule.BACKENDS];
            for (ChaosSchedule.Event e : events) {
                faulty[e.backend()] = !e.heal();
                long now = e.at().toMillis();
                if (e.heal()) {
                    healedAt[e.backend()] = now;
                    continue;
                }
                boolean oneLongFine = false;
                for (int b = 0; b < ChaosSchedule.BACKENDS; b++) {
                    oneLongFine |= !faulty[b] && now - healedAt[b] >= ChaosSchedule.RECOVERY.toMillis();
                }
                assertThat(oneLongFine).as("seed %d: at %s a backend fine for %s", seed, e, ChaosSchedule.RECOVERY)
                        .isTrue();
            }
        }
    }

    @Test
    void aMinuteHoldsEveryKindOfFaultForSomeSeeds() {
        java.util.Set<ChaosSchedule.Fault> seen = java.util.EnumSet.noneOf(ChaosSchedule.Fault.class);
        for (long seed = 0; seed < 20; seed++) {
            ChaosSchedule.generate(seed, Duration.ofMinutes(1)).forEach(e -> seen.add(e.fault()));
        }
        assertThat(seen).containsExactlyInAnyOrder(ChaosSchedule.Fault.values());
        assertThat(ChaosSchedule.generate(7, Duration.ofMinutes(1)).stream().filter(ChaosSchedule.Event::isFault)
                .count()).as("faults in a minute").isGreaterThan(15);
    }
}
