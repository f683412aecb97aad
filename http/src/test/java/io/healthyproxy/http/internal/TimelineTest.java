package io.healthyproxy.http.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.healthyproxy.core.time.ManualTicker;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CyclicBarrier;
import org.junit.jupiter.api.Test;

class TimelineTest {

    private final ManualTicker ticker = new ManualTicker();

    @Test
    void keepsEventsOldestFirstWithRisingSequenceNumbers() {
        Timeline timeline = new Timeline(ticker, 8, Duration.ofMinutes(1));
        add(timeline, "a", "open");
        ticker.advance(Duration.ofSeconds(1));
        add(timeline, "b", "half_open");

        assertThat(timeline.recent()).extracting(Timeline.Event::sequence, Timeline.Event::backend)
                .containsExactly(org.assertj.core.groups.Tuple.tuple(1L, "a"), org.assertj.core.groups.Tuple.tuple(2L, "b"));
    }

    @Test
    void aFullRingDropsItsOldestEvents() {
        Timeline timeline = new Timeline(ticker, 3, Duration.ofMinutes(1));
        for (int i = 1; i <= 7; i++) {
            add(timeline, "b" + i, "open");
        }

        assertThat(timeline.recent()).extracting(Timeline.Event::backend).containsExactly("b5", "b6", "b7");
        assertThat(timeline.recent()).extracting(Timeline.Event::sequence).containsExactly(5L, 6L, 7L);
    }

    @Test
    void eventsOlderThanTheMaximumAgeAreNoLongerReturned() {
        Timeline timeline = new Timeline(ticker, 8, Duration.ofMinutes(1));
        add(timeline, "old", "open");
        ticker.advance(Duration.ofSeconds(30));
        add(timeline, "new", "closed");
        ticker.advance(Duration.ofSeconds(31));

        assertThat(timeline.recent()).extracting(Timeline.Event::backend).containsExactly("new");
    }

    @Test
    void countsUptimeFromItsCreation() {
        ticker.advance(Duration.ofSeconds(5));
        Timeline timeline = new Timeline(ticker);
        ticker.advance(Duration.ofSeconds(2));

        assertThat(ticker.read() - timeline.originNanos()).isEqualTo(Duration.ofSeconds(2).toNanos());
        assertThat(timeline.capacity()).isEqualTo(Timeline.DEFAULT_CAPACITY);
        assertThat(timeline.maxAge()).isEqualTo(Timeline.DEFAULT_MAX_AGE);
    }

    @Test
    void refusesAnEmptyRingOrNoAge() {
        assertThatThrownBy(() -> new Timeline(ticker, 0, Duration.ofMinutes(1))).hasMessageContaining("capacity: 0");
        assertThatThrownBy(() -> new Timeline(ticker, 1, Duration.ZERO)).hasMessageContaining("maxAge");
    }

    /** Listeners run on every event loop at once: no event is lost or numbered twice, and readers see whole events. */
    @Test
    void concurrentWritersNeitherLoseNorRepeatASequenceNumber() throws Exception {
        int threads = 4;
        int each = 2_000;
        Timeline timeline = new Timeline(ticker, threads * each, Duration.ofMinutes(1));
        CyclicBarrier start = new CyclicBarrier(threads + 1);
        List<Thread> writers = new ArrayList<>();
        for (int t = 0; t < threads; t++) {
            String name = "w" + t;
            Thread writer = new Thread(() -> {
                await(start);
                for (int i = 0; i < each; i++) {
                    add(timeline, name, "open");
                }
            });
            writer.start();
            writers.add(writer);
        }
        await(start);
        while (writers.stream().anyMatch(Thread::isAlive)) {
            assertThat(timeline.recent()).allSatisfy(e -> assertThat(e.to()).isEqualTo("open"));
        }
        for (Thread writer : writers) {
            writer.join();
        }

        List<Timeline.Event> events = timeline.recent();
        assertThat(events).hasSize(threads * each);
        assertThat(events).extracting(Timeline.Event::sequence).doesNotHaveDuplicates().isSorted();
    }

    private void add(Timeline timeline, String backend, String to) {
        timeline.add(ticker.read(), "default", backend, Timeline.Kind.CIRCUIT, "closed", to, "failure_threshold_reached",
                "circuit closed → " + to, 0);
    }

    private static void await(CyclicBarrier barrier) {
        try {
            barrier.await();
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }
}
