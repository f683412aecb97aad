package io.healthyproxy.app.demo;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

class HttpDemoTest {

    /**
     * The whole story at a quarter of its length (15 s): every act happens and the summary is printed. Not
     * faster: the story has api-1's first trial fail while it is down (its circuit opens about 0.5 s after it dies,
     * the trial is 5 s later, it comes back 10 s after dying), and at 0.15x a busy machine's half-second stall
     * while killing the backend pushed the opening so late that the trial came after api-1 was back.
     */
    @Test
    @Timeout(60)
    void tellsTheWholeStoryAndSaysWhereToLook() throws InterruptedException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();

        new HttpDemo(new PrintStream(bytes, true, StandardCharsets.UTF_8), 0.25, Optional.of(Duration.ZERO)).run();

        String out = bytes.toString(StandardCharsets.UTF_8);
        assertThat(out).contains("curl -i http://127.0.0.1:").contains("/status").contains("/metrics")
                .contains(">> api-1 dies").contains(">> api-1 comes back").contains(">> api-2 freezes")
                .contains(">> api-3 starts answering 500").contains("circuit api-1: closed -> open")
                .contains("circuit api-3: closed -> open").contains("Summary").contains("succeeded (")
                .contains("The dashboard (circuits, health, traffic, a timeline), live in a browser: http://127.0.0.1:")
                // serve's breaker: a recovery the checks see brings api-1's trial forward.
                .contains("circuit api-1: open -> half_open, it passes its health checks again")
                .doesNotContain("The story is over");
        assertThat(out.lines().filter(l -> l.matches("\\s+\\d+s .*|\\s+1m .*"))).hasSizeGreaterThan(50);
    }
}
