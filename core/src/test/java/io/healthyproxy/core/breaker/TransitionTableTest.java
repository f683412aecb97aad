package io.healthyproxy.core.breaker;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

/** The transition table, and proof that the breaker moves only along it. */
class TransitionTableTest {

    private static final Set<String> LEGAL = Set.of("CLOSED->OPEN", "OPEN->HALF_OPEN", "HALF_OPEN->CLOSED",
            "HALF_OPEN->OPEN");

    static Stream<Arguments> everyPairOfStates() {
        return EnumSet.allOf(CircuitState.class).stream()
                .flatMap(from -> EnumSet.allOf(CircuitState.class).stream().map(to -> Arguments.of(from, to)));
    }

    @ParameterizedTest(name = "{0} -> {1}")
    @MethodSource("everyPairOfStates")
    void tableListsExactlyTheLegalTransitions(CircuitState from, CircuitState to) {
        assertThat(Transition.isLegal(from, to)).isEqualTo(LEGAL.contains(from + "->" + to));
    }

    /** Everything that can happen to a breaker. */
    enum Event {
        ACQUIRE_ONLY, SUCCESS, FAILURE, RELEASE, STALE_SUCCESS, STALE_FAILURE, TRIAL_HUNG, WAIT_SHORT, WAIT_LONG,
        PROBE_SUCCESS, PROBE_FAILURE, HEALTH_RECOVERED, LAST_RESORT_ONLY
    }

    /**
     * Each event in each state, with the single state it must lead to. With a failure threshold of 1 every
     * event is at most one step, so the table is exhaustive: any pair of states not reached here is illegal,
     * and is shown not to happen.
     */
    @ParameterizedTest(name = "{0} + {1} -> {2}")
    @CsvSource({
            "CLOSED, ACQUIRE_ONLY, CLOSED", "CLOSED, SUCCESS, CLOSED", "CLOSED, FAILURE, OPEN",
            "CLOSED, RELEASE, CLOSED", "CLOSED, STALE_SUCCESS, CLOSED", "CLOSED, STALE_FAILURE, CLOSED",
            "CLOSED, TRIAL_HUNG, CLOSED", "CLOSED, WAIT_SHORT, CLOSED", "CLOSED, WAIT_LONG, CLOSED",
            "OPEN, ACQUIRE_ONLY, OPEN", "OPEN, SUCCESS, OPEN", "OPEN, FAILURE, OPEN",
            "OPEN, RELEASE, OPEN", "OPEN, STALE_SUCCESS, OPEN", "OPEN, STALE_FAILURE, OPEN",
            "OPEN, TRIAL_HUNG, OPEN", "OPEN, WAIT_SHORT, OPEN", "OPEN, WAIT_LONG, HALF_OPEN",
            "HALF_OPEN, ACQUIRE_ONLY, HALF_OPEN", "HALF_OPEN, SUCCESS, CLOSED", "HALF_OPEN, FAILURE, OPEN",
            "HALF_OPEN, RELEASE, HALF_OPEN", "HALF_OPEN, STALE_SUCCESS, HALF_OPEN",
            "HALF_OPEN, STALE_FAILURE, HALF_OPEN", "HALF_OPEN, TRIAL_HUNG, OPEN",
            "HALF_OPEN, WAIT_SHORT, HALF_OPEN", "HALF_OPEN, WAIT_LONG, HALF_OPEN",
            "CLOSED, PROBE_SUCCESS, CLOSED", "CLOSED, PROBE_FAILURE, OPEN",
            "OPEN, PROBE_SUCCESS, OPEN", "OPEN, PROBE_FAILURE, OPEN",
            "HALF_OPEN, PROBE_SUCCESS, HALF_OPEN", "HALF_OPEN, PROBE_FAILURE, OPEN",
            "CLOSED, HEALTH_RECOVERED, CLOSED", "OPEN, HEALTH_RECOVERED, HALF_OPEN",
            "HALF_OPEN, HEALTH_RECOVERED, HALF_OPEN",
            "CLOSED, LAST_RESORT_ONLY, CLOSED", "OPEN, LAST_RESORT_ONLY, HALF_OPEN",
            "HALF_OPEN, LAST_RESORT_ONLY, HALF_OPEN",
    })
    void eachEventInEachStateLeadsToExactlyOneExpectedState(CircuitState from, Event event, CircuitState expected) {
        Breakers b = new Breakers(Breakers.exact().failureThreshold(1).build());
        long stalePermit = b.breaker.tryAcquire();
        if (from == CircuitState.CLOSED) {
            b.reclosed();           // so that the permit taken above belongs to an earlier closed period
        } else {
            b.in(from);
        }
        int before = b.events.size();

        apply(b, event, stalePermit);

        assertThat(b.breaker.state()).isEqualTo(expected);
        b.events.subList(before, b.events.size()).forEach(e ->
                assertThat(Transition.isLegal(e.from(), e.to())).isTrue());
        assertThat(b.events.size() - before).isEqualTo(from == expected ? 0 : 1);
    }

    /**
     * A long random walk through every event: each transition starts where the previous one ended, and the
     * breaker never changes state without telling its listeners.
     */
    @ParameterizedTest
    @ValueSource(longs = {1, 2, 3, 4, 5})
    void randomWalkOnlyEverFollowsTheTable(long seed) {
        List<TransitionEvent> events = walk(seed);

        CircuitState previous = CircuitState.CLOSED;
        for (TransitionEvent e : events) {
            assertThat(e.from()).isEqualTo(previous);
            previous = e.to();
        }
    }

    @org.junit.jupiter.api.Test
    void theRandomWalksTogetherTakeEveryTransition() {
        Set<Transition> seen = EnumSet.noneOf(Transition.class);
        for (long seed = 1; seed <= 5; seed++) {
            walk(seed).forEach(e -> seen.add(e.transition()));
        }

        assertThat(seen).containsExactlyInAnyOrder(Transition.values());
    }

    /** 5,000 random events on a breaker; checks at each step that its state is the last event's. */
    private static List<TransitionEvent> walk(long seed) {
        SplittableRandom random = new SplittableRandom(seed);
        Breakers b = new Breakers(Breakers.exact().failureThreshold(3).halfOpenTrials(2).successThreshold(2)
                .trialTimeout(Duration.ofSeconds(5))
                .failureRate(FailureRateTrigger.of(0.4, 6, Duration.ofSeconds(30))).build(), seed);
        Event[] events = Event.values();
        long stalePermit = b.breaker.tryAcquire();
        for (int step = 0; step < 5_000; step++) {
            apply(b, events[random.nextInt(events.length)], stalePermit);
            if (random.nextInt(50) == 0) {
                long fresh = b.breaker.tryAcquire();
                stalePermit = fresh == CircuitBreaker.DENIED ? stalePermit : fresh;
            }
            CircuitState now = b.breaker.state();
            CircuitState last = b.events.isEmpty() ? CircuitState.CLOSED : b.events.get(b.events.size() - 1).to();
            assertThat(now).isEqualTo(last);
        }
        return b.events;
    }

    private static void apply(Breakers b, Event event, long stalePermit) {
        CircuitBreaker breaker = b.breaker;
        switch (event) {
            case ACQUIRE_ONLY -> breaker.tryAcquire();
            case SUCCESS -> report(breaker, true);
            case FAILURE -> report(breaker, false);
            case RELEASE -> {
                long permit = breaker.tryAcquire();
                if (permit != CircuitBreaker.DENIED) {
                    breaker.release(permit);
                }
            }
            case STALE_SUCCESS -> breaker.onSuccess(stalePermit);
            case STALE_FAILURE -> breaker.onFailure(stalePermit);
            case TRIAL_HUNG -> {
                breaker.tryAcquire();
                b.advance(breaker.config().trialTimeout());
            }
            case WAIT_SHORT -> b.advance(Duration.ofMillis(1));
            case WAIT_LONG -> b.advance(Duration.ofHours(1));
            case HEALTH_RECOVERED -> breaker.onHealthRecovered();
            case LAST_RESORT_ONLY -> breaker.tryAcquireAsLastResort();
            case PROBE_SUCCESS, PROBE_FAILURE -> {
                long permit = breaker.tryAcquireProbe();
                if (permit != CircuitBreaker.DENIED) {
                    if (event == Event.PROBE_SUCCESS) {
                        breaker.onSuccess(permit);
                    } else {
                        breaker.onFailure(permit);
                    }
                }
            }
        }
    }

    private static void report(CircuitBreaker breaker, boolean success) {
        long permit = breaker.tryAcquire();
        if (permit == CircuitBreaker.DENIED) {
            return;
        }
        if (success) {
            breaker.onSuccess(permit);
        } else {
            breaker.onFailure(permit);
        }
    }
}
