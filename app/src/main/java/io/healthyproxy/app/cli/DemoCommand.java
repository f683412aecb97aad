package io.healthyproxy.app.cli;

import ch.qos.logback.classic.Level;
import io.healthyproxy.app.demo.HttpDemo;
import io.healthyproxy.app.demo.NodeDemo;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.Callable;
import org.slf4j.LoggerFactory;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code healthy-proxy demo}: a scripted failure story, watched live, with nothing to configure. */
@Command(name = "demo", mixinStandardHelpOptions = true, versionProvider = VersionProvider.class,
        description = "Starts three HTTP backends, the proxy in front of them and a steady load, then breaks the "
                + "backends one by one (one dies, one freezes, one answers 500s) and shows, second by second, how the "
                + "proxy routes around them, with the proxy's default settings. After about a minute the story ends and "
                + "everything keeps running for the dashboard (the admin URL, in a browser) until Ctrl-C or --linger. "
                + "With --node: the same idea for the "
                + "Maelstrom node, as a simulated 5-node cluster in virtual time.")
public final class DemoCommand implements Callable<Integer> {

    @Option(names = "--node", description = "Show the Maelstrom node in a simulated cluster instead.")
    boolean node;

    @Option(names = "--seed", description = "With --node: seed of the simulation (default: ${DEFAULT-VALUE}).")
    long seed = 42;

    @Option(names = "--speed", description = "With --node: virtual seconds shown per real second; 0 prints at once "
            + "(default: ${DEFAULT-VALUE}).")
    double speed = 10;

    @Option(names = "--linger", paramLabel = "DURATION", description = "After the HTTP story: keep the proxy, its "
            + "backends and the load up this long (e.g. 5m; 0s ends at once). Default: until Ctrl-C.")
    Duration linger;

    @Override
    public Integer call() throws InterruptedException {
        if (speed < 0) {
            throw new IllegalArgumentException("--speed: " + speed + " (expected: >= 0)");
        }
        if (node) {
            new NodeDemo(System.out, seed, speed).run();
        } else {
            // The demo shows events itself; the proxy's own log lines would only interleave with the table.
            ((ch.qos.logback.classic.Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME)).setLevel(Level.ERROR);
            new HttpDemo(System.out, 1.0, Optional.ofNullable(linger)).run();
        }
        return 0;
    }
}
