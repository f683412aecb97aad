package io.healthyproxy.app.cli;

import io.healthyproxy.app.demo.NodeDemo;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code healthy-proxy demo}: a scripted failure, watched live, with nothing to configure. */
@Command(name = "demo", mixinStandardHelpOptions = true, versionProvider = VersionProvider.class,
        description = "Runs a simulated 5-node cluster in virtual time: a client sends to n1 every 10 ms, the network "
                + "cuts n3 off at 10 s and heals at 40 s. Prints n1's routing and circuit transitions as they happen, "
                + "then exits.")
public final class DemoCommand implements Callable<Integer> {

    @Option(names = "--seed", description = "Seed of the simulation; the same seed gives the same run (default: ${DEFAULT-VALUE}).")
    long seed = 42;

    @Option(names = "--speed", description = "Virtual seconds shown per real second; 0 prints at once (default: ${DEFAULT-VALUE}).")
    double speed = 10;

    @Override
    public Integer call() throws InterruptedException {
        if (speed < 0) {
            throw new IllegalArgumentException("--speed: " + speed + " (expected: >= 0)");
        }
        new NodeDemo(System.out, seed, speed).run();
        return 0;
    }
}
