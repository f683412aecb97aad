package io.healthyproxy.app.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;

/** {@code healthy-proxy}: the top-level command; it only dispatches. */
@Command(name = "healthy-proxy",
        mixinStandardHelpOptions = true,
        versionProvider = VersionProvider.class,
        description = "A health-aware load balancer: circuit breakers, active and passive health checks.",
        subcommands = {ServeCommand.class, CheckConfigCommand.class, DemoCommand.class, CommandLine.HelpCommand.class})
public final class HealthyProxyCommand implements Runnable {

    @CommandLine.Spec
    CommandSpec spec;

    /** The configured command line: duration options parse {@code 250ms}, {@code 5s} and the like. */
    public static CommandLine commandLine() {
        CommandLine cli = new CommandLine(new HealthyProxyCommand());
        cli.addSubcommand("maelstrom", new CommandLine(maelstromSpec()));
        cli.registerConverter(java.time.Duration.class, io.healthyproxy.core.time.HumanDuration::parse);
        cli.setCaseInsensitiveEnumValuesAllowed(true);
        return cli;
    }

    /**
     * The {@code maelstrom} command as picocli sees it: built from {@link NodeFlag} for help and usage. It
     * is run by {@link NodeCommand} (see {@link io.healthyproxy.app.Main}), never by picocli.
     */
    private static CommandSpec maelstromSpec() {
        CommandSpec node = CommandSpec.wrapWithoutInspection((Runnable) () -> {
            throw new IllegalStateException("the node is started by NodeCommand, not picocli");
        });
        node.name("maelstrom").mixinStandardHelpOptions(true).versionProvider(new VersionProvider());
        node.usageMessage().description(
                "Runs a node that speaks Maelstrom JSON on stdin/stdout: it routes client echo and relay_request "
                        + "messages to a backend (another node) whose circuit admits traffic, and health-checks every "
                        + "backend. Messages go to stdout, one per line; logs go to stderr. See docs/PROTOCOL.md.");
        for (NodeFlag flag : NodeFlag.values()) {
            OptionSpec.Builder option = OptionSpec.builder(flag.names().toArray(String[]::new))
                    .description(flag.description());
            if (flag.takesValue()) {
                option.paramLabel(flag.paramLabel()).type(String.class);
            } else {
                option.type(boolean.class).arity("0");
            }
            node.addOption(option.build());
        }
        return node;
    }

    @Override
    public void run() {
        spec.commandLine().usage(System.out);
    }
}
