package io.healthyproxy.app;

import io.healthyproxy.app.cli.HealthyProxyCommand;
import io.healthyproxy.app.cli.NodeCommand;
import java.util.Arrays;

/** The entry point of the runnable jar. */
public final class Main {

    private Main() {
    }

    public static void main(String[] args) throws InterruptedException {
        if (args.length > 0 && args[0].equals("maelstrom")) {
            // The node is started often and by harnesses with time limits: skip picocli's ~100 ms of start-up.
            System.exit(NodeCommand.run(Arrays.copyOfRange(args, 1, args.length), System.err));
        }
        System.exit(HealthyProxyCommand.commandLine().execute(args));
    }
}
