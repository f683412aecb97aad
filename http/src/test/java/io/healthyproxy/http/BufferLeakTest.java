package io.healthyproxy.http;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import io.healthyproxy.testkit.RawConnection;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.PooledByteBufAllocator;
import io.netty.util.ResourceLeakDetector;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.slf4j.LoggerFactory;

/**
 * No request path leaks a buffer: traffic of every kind the proxy handles — answered, retried after a 500, a
 * reset, a close or a malformed answer, hedged, posted whole and streamed, cut off by the client — runs with
 * Netty's leak detection at PARANOID (every buffer tracked), and Netty must then report no leak but the one this
 * test makes on purpose, which proves that a leak would have been seen. This test is why {@code serve} may run
 * without leak detection (it cost about 2.5% of the CPU samples under load: docs/PERFORMANCE.md).
 */
@Timeout(120)
class BufferLeakTest {

    private final Logger detectorLog = (Logger) LoggerFactory.getLogger(ResourceLeakDetector.class);
    private final ListAppender<ILoggingEvent> reports = new ListAppender<>();
    private ResourceLeakDetector.Level before;

    @BeforeEach
    void trackEveryBuffer() {
        before = ResourceLeakDetector.getLevel();
        ResourceLeakDetector.setLevel(ResourceLeakDetector.Level.PARANOID);
        for (int i = 0; i < 3; i++) {               // what earlier tests left to collect is reported before we listen
            System.gc();
            PooledByteBufAllocator.DEFAULT.buffer(8).release();
        }
        reports.start();
        detectorLog.addAppender(reports);
    }

    @AfterEach
    void restore() {
        detectorLog.detachAppender(reports);
        ResourceLeakDetector.setLevel(before);
    }

    @Test
    void trafficOfEveryKindLeavesNoBufferUnreleased() throws Exception {
        String big = "x".repeat(200_000);
        try (ProxyHarness h = ProxyHarness.start(3, b -> b.timeouts(ProxyHarness.timeouts(Duration.ofSeconds(2),
                Duration.ofSeconds(5))))) {
            for (int i = 0; i < 30; i++) {
                assertThat(h.get("/").statusCode()).isEqualTo(200);
                assertThat(h.post("/", i % 2 == 0 ? "small" : big).statusCode()).isEqualTo(200);
            }
            for (Runnable fault : List.<Runnable>of(() -> h.backend(2).traffic().status(500),
                    () -> h.backend(2).traffic().resetMidResponse(), () -> h.backend(2).traffic().closeBeforeResponse(),
                    () -> h.backend(2).traffic().malformedResponse(),
                    () -> h.backend(2).traffic().slow(Duration.ofMillis(150)))) {
                fault.run();
                for (int i = 0; i < 12; i++) {
                    tolerate(() -> h.get("/"));     // retried, hedged or failed: whatever happens, no leak
                    tolerate(() -> h.post("/", big));
                }
                h.backend(2).traffic().ok();
            }
            for (int i = 0; i < 10; i++) {
                try (RawConnection client = h.raw()) {   // a streamed body the client gives up on halfway
                    client.send("POST", "/", "Transfer-Encoding: chunked").sendRaw("400\r\n" + "y".repeat(512));
                }
                try (RawConnection client = h.raw()) {   // a client gone before its answer
                    client.sendGet("/");
                }
            }
            assertThat(h.get("/").statusCode()).isEqualTo(200);
        }

        String onPurpose = leakOneOnPurpose();
        ProxyHarness.await("Netty to report the buffer leaked on purpose", () -> {
            System.gc();                            // leaks are found when their buffers are collected...
            PooledByteBufAllocator.DEFAULT.buffer(8).release();     // ...and reported at the next allocation
            return reports.list.stream().anyMatch(e -> e.getFormattedMessage().contains(onPurpose));
        });

        assertThat(reports.list).extracting(ILoggingEvent::getFormattedMessage)
                .allMatch(m -> m.contains(onPurpose), "only the leak made on purpose");
    }

    private interface Call {
        Object run() throws Exception;
    }

    /** Makes the call; a broken-off answer (an IOException in the client) is one of the outcomes under test. */
    private static void tolerate(Call call) throws Exception {
        try {
            call.run();
        } catch (java.io.IOException brokenOff) {
            // the proxy relayed what it had and closed: expected for a POST whose backend reset
        }
    }

    /** Allocates a buffer and drops it unreleased; returns what its leak report will name. */
    private static String leakOneOnPurpose() {
        ByteBuf leaked = PooledByteBufAllocator.DEFAULT.buffer(64);
        leaked.writeLong(42);
        return "leakOneOnPurpose";
    }
}
