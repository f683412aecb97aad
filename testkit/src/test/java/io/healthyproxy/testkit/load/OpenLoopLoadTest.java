package io.healthyproxy.testkit.load;

import static org.assertj.core.api.Assertions.assertThat;

import io.healthyproxy.testkit.ControllableBackend;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class OpenLoopLoadTest {

    @Test
    void eachRequestGoesToThePathItsNumberChoosesAndItsResultSaysWhich() throws Exception {
        List<LoadResult> results = Collections.synchronizedList(new ArrayList<>());
        try (ControllableBackend backend = ControllableBackend.start("b1")) {
            try (OpenLoopLoad load = OpenLoopLoad.start(new InetSocketAddress("127.0.0.1", backend.port()),
                    n -> n % 4 == 3 ? "/broken" : "/", 200, Duration.ofSeconds(10), 1000, results::add)) {
                awaitSent(load, 100);
                load.stopSending();
                awaitResults(results, load);
            }
            List<LoadResult> all;
            synchronized (results) {
                all = List.copyOf(results);
            }
            assertThat(all).allSatisfy(r -> assertThat(r.path()).isIn("/", "/broken"));
            assertThat(all.stream().filter(r -> "/broken".equals(r.path())).count()).isEqualTo(all.size() / 4);
            assertThat(all).allSatisfy(r -> assertThat(r.status()).as(r.path() + ": " + r.error()).isEqualTo(200));
            assertThat(backend.requests("/broken")).isEqualTo(all.size() / 4);
            assertThat(backend.requests("/")).isEqualTo(all.size() - all.size() / 4);
        }
    }

    private static void awaitSent(OpenLoopLoad load, long n) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (load.sent() < n && System.nanoTime() < deadline) {
            Thread.sleep(5);
        }
        assertThat(load.sent()).as("requests sent").isGreaterThanOrEqualTo(n);
    }

    private static void awaitResults(List<LoadResult> results, OpenLoopLoad load) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        while (results.size() < load.sent() && System.nanoTime() < deadline) {
            Thread.sleep(5);
        }
        assertThat(results).as("a result per request").hasSize((int) load.sent());
    }
}
