package io.healthyproxy.http.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

/** The start-up line names a few backends, never a thousand. */
class StartUpLineTest {

    @Test
    void aShortListIsShownWhole() {
        assertThat(ProxyServer.listed(List.of("b1=127.0.0.1:9101", "b2=127.0.0.1:9102"), "[", "]"))
                .isEqualTo("[b1=127.0.0.1:9101, b2=127.0.0.1:9102]");
    }

    @Test
    void aLongListShowsTheFirstTenAndCountsTheRest() {
        List<String> thousand = IntStream.rangeClosed(1, 1_000).mapToObj(i -> "b" + i).toList();

        String line = ProxyServer.listed(thousand, "[", "]");

        assertThat(line).isEqualTo("[b1, b2, b3, b4, b5, b6, b7, b8, b9, b10, ... and 990 more]");
    }
}
