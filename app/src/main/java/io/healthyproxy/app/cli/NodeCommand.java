package io.healthyproxy.app.cli;

import io.healthyproxy.maelstrom.json.JsonLimits;
import io.healthyproxy.maelstrom.node.NodeConfig;
import io.healthyproxy.maelstrom.runtime.StdioNode;
import java.io.BufferedOutputStream;
import java.io.FileDescriptor;
import java.io.FileInputStream;
import java.io.FileOutputStream;
import java.io.PrintStream;

/**
 * {@code healthy-proxy maelstrom}: parses the {@link NodeFlag}s without picocli (start-up time), then runs
 * the node on stdin/stdout. {@code --help} and {@code --version} go to picocli, where time does not matter.
 */
public final class NodeCommand {

    private NodeCommand() {
    }

    /** Runs the node with {@code args} (the words after {@code maelstrom}); returns the exit code. */
    public static int run(String[] args, PrintStream err) throws InterruptedException {
        for (String arg : args) {
            if (arg.equals("-h") || arg.equals("--help") || arg.equals("-V") || arg.equals("--version")) {
                String[] all = new String[args.length + 1];
                all[0] = "maelstrom";
                System.arraycopy(args, 0, all, 1, args.length);
                return HealthyProxyCommand.commandLine().execute(all);
            }
        }
        NodeSettings settings = new NodeSettings();
        NodeConfig config;
        try {
            parse(args, settings);
            config = settings.toConfig();
        } catch (IllegalArgumentException e) {
            err.println(e.getMessage());
            err.println("Try 'healthy-proxy maelstrom --help' for the options.");
            return 2;
        }
        return new StdioNode(config, JsonLimits.DEFAULT, settings.verbose).run(new FileInputStream(FileDescriptor.in),
                new BufferedOutputStream(new FileOutputStream(FileDescriptor.out), 1 << 16), err);
    }

    /** Reads {@code --flag value}, {@code --flag=value} and switches into {@code settings}. */
    static void parse(String[] args, NodeSettings settings) {
        for (int i = 0; i < args.length; i++) {
            String arg = args[i];
            int eq = arg.indexOf('=');
            String name = arg.startsWith("--") && eq > 0 ? arg.substring(0, eq) : arg;
            NodeFlag flag = NodeFlag.named(name).orElseThrow(() ->
                    new IllegalArgumentException("Unknown option: '" + arg + "'"));
            String value = null;
            if (flag.takesValue()) {
                if (eq > 0 && arg.startsWith("--")) {
                    value = arg.substring(eq + 1);
                } else if (i + 1 < args.length) {
                    value = args[++i];
                } else {
                    throw new IllegalArgumentException("Missing value for " + flag.flagName() + " (" + flag.paramLabel() + ")");
                }
            } else if (eq > 0) {
                throw new IllegalArgumentException(flag.flagName() + " takes no value");
            }
            flag.apply(settings, value);
        }
    }
}
