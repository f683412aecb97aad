package io.healthyproxy.app.demo;

import io.healthyproxy.testkit.ControllableBackend;
import java.time.Duration;
import java.util.List;
import java.util.function.Consumer;

/**
 * What happens to the demo's three backends, and when. Times are at pace 1; {@link DemoConfig#scaled} scales them
 * and the proxy's clock alike (tests run the same story faster).
 */
final class DemoScript {

    /** One scripted event: when, what the user is told, and what is done to the backends. */
    record Step(Duration at, String says, Consumer<List<ControllableBackend>> does) {
    }

    static final Duration LENGTH = Duration.ofSeconds(60);

    static final List<Step> STEPS = List.of(
            new Step(Duration.ofSeconds(8), "api-1 dies (its process is gone: connections refused)",
                    b -> b.get(0).crash()),
            new Step(Duration.ofSeconds(18), "api-1 comes back", b -> b.get(0).restart()),
            new Step(Duration.ofSeconds(24), "api-2 freezes (accepts connections, never answers)",
                    b -> b.get(1).freeze()),
            new Step(Duration.ofSeconds(34), "api-2 thaws", b -> b.get(1).unfreeze()),
            new Step(Duration.ofSeconds(40), "api-3 starts answering 500 on every path but /health",
                    b -> b.get(2).traffic().status(500)),
            new Step(Duration.ofSeconds(47), "api-3 is fixed", b -> b.get(2).traffic().ok()));

    private DemoScript() {
    }
}
