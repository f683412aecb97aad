package io.healthyproxy.app.demo;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class NodeDemoTest {

    @Test
    void tellsTheWholeStoryOfThePartitionAndEndsWithEveryRequestAnswered() throws InterruptedException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();

        new NodeDemo(new PrintStream(bytes, true, StandardCharsets.UTF_8), 42, 0).run();

        String out = bytes.toString(StandardCharsets.UTF_8);
        assertThat(out).contains("network  n3 is cut off from n1")
                .contains("circuit  n3 closed -> open: 5 consecutive failures")
                .contains("circuit  n3 half_open -> open: a health check failed, so no request is risked")
                .contains("network  n1 and n3 can reach each other again")
                .contains("circuit  n3 half_open -> closed: the trial succeeded")
                .contains("6000 requests sent, 6000 answered ok (100.00%)");
        assertThat(out.indexOf("cut off")).isLessThan(out.indexOf("closed -> open"));
        assertThat(out.indexOf("reach each other again")).isLessThan(out.indexOf("half_open -> closed"));
    }
}
