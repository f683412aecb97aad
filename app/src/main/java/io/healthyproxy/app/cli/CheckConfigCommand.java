package io.healthyproxy.app.cli;

import io.healthyproxy.app.config.ConfigException;
import io.healthyproxy.app.config.ConfigProblem;
import io.healthyproxy.app.config.ProxyConfigLoader;
import io.healthyproxy.http.config.ProxyConfig;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code healthy-proxy check-config FILE}: loads a config the way the proxy would and says whether it is valid,
 * for CI and for a deploy step to run before a restart. Valid: {@code FILE: OK} and a summary of the effective
 * config (defaults filled in) on stdout, exit 0. Invalid: every problem on stderr, one per line, exit 1.
 */
@Command(name = "check-config", mixinStandardHelpOptions = true, versionProvider = VersionProvider.class,
        description = "Checks a YAML config file and prints the effective config, or every problem in the file "
                + "with its line.",
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {"0:the config is valid", "1:the config has problems (listed on stderr)", "2:usage error"})
public final class CheckConfigCommand implements Callable<Integer> {

    @Parameters(paramLabel = "FILE", description = "The YAML config file, e.g. examples/full.yaml.")
    Path file;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        ProxyConfig config;
        try {
            config = ProxyConfigLoader.load(file);
        } catch (ConfigException e) {
            for (ConfigProblem problem : e.problems()) {
                err.println(problem);
            }
            err.flush();
            return 1;
        }
        out.println(file + ": OK");
        out.print(ConfigSummary.of(config));
        out.flush();
        return 0;
    }
}
