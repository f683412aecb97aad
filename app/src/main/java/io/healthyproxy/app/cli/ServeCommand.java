package io.healthyproxy.app.cli;

import ch.qos.logback.classic.Level;
import io.healthyproxy.app.serve.Termination;
import io.healthyproxy.core.Balancing;
import io.healthyproxy.http.HttpProxy;
import io.healthyproxy.http.config.BackendConfig;
import io.healthyproxy.http.config.Endpoint;
import io.healthyproxy.http.config.HttpHealthCheck;
import io.healthyproxy.http.config.ProxyConfig;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code healthy-proxy serve}: the HTTP reverse proxy. */
@Command(name = "serve", mixinStandardHelpOptions = true, versionProvider = VersionProvider.class,
        description = "Runs the HTTP reverse proxy in front of the given backends, health-checking each, until "
                + "SIGTERM or SIGINT, then drains in-flight requests and exits 0.",
        footer = {"", "Example:", "  healthy-proxy serve --listen 127.0.0.1:8080 --backend 127.0.0.1:9101 "
                + "--backend 127.0.0.1:9102 --health-path /health"})
public final class ServeCommand implements Callable<Integer> {

    private static final Logger LOG = LoggerFactory.getLogger("healthyproxy");

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Option(names = "--listen", paramLabel = "HOST:PORT", description = "Where clients connect (default: 127.0.0.1:8080).")
    String listen;

    @Option(names = "--backend", paramLabel = "HOST:PORT", description = "A backend server; repeat for each.")
    List<String> backends = new ArrayList<>();

    @Option(names = "--health-path", paramLabel = "PATH", description = "Path of the active health check (default: /health).")
    String healthPath;

    @Option(names = "--admin", paramLabel = "HOST:PORT", description = "Where the admin API answers (default: 127.0.0.1:9901).")
    String admin;

    @Option(names = "--balancer", paramLabel = "STRATEGY", description = "round_robin or power_of_two_choices (default: round_robin).")
    Balancing balancing;

    @Option(names = "--access-log", description = "Log one line per request to stderr.")
    boolean accessLog;

    @Override
    public Integer call() throws InterruptedException {
        ProxyConfig config = config();
        if (config.accessLog()) {
            ((ch.qos.logback.classic.Logger) LoggerFactory.getLogger("healthyproxy.access")).setLevel(Level.INFO);
        }
        Termination termination = Termination.onSignals();
        HttpProxy proxy = HttpProxy.start(config);
        String signal = termination.await();
        LOG.info("{}: draining (at most {})", signal, io.healthyproxy.core.time.HumanDuration.format(
                config.timeouts().shutdownGrace()));
        int cutOff = proxy.stop(config.timeouts().shutdownGrace());
        return cutOff == 0 ? 0 : 1;
    }

    /** The config from the flags; a bad value is reported under the flag's name. */
    ProxyConfig config() {
        if (backends.isEmpty()) {
            throw new CommandLine.ParameterException(spec.commandLine(),
                    "At least one --backend HOST:PORT is needed");
        }
        try {
            ProxyConfig.Builder b = ProxyConfig.builder();
            for (String backend : backends) {
                b.backend(BackendConfig.of(Endpoint.parse(backend)));
            }
            if (listen != null) {
                b.listen(Endpoint.parse(listen));
            }
            if (admin != null) {
                b.admin(Endpoint.parse(admin));
            }
            if (healthPath != null) {
                b.healthCheck(HttpHealthCheck.defaults().withPath(healthPath));
            }
            if (balancing != null) {
                b.balancing(balancing);
            }
            return b.accessLog(accessLog).build();
        } catch (IllegalArgumentException e) {
            throw new CommandLine.ParameterException(spec.commandLine(), "Invalid option: " + e.getMessage(), e);
        }
    }
}
