package io.healthyproxy.app.cli;

import ch.qos.logback.classic.Level;
import io.healthyproxy.app.config.ConfigException;
import io.healthyproxy.app.config.ConfigProblem;
import io.healthyproxy.app.config.ProxyConfigLoader;
import io.healthyproxy.app.log.LogFormat;
import io.healthyproxy.app.serve.ConfigReloader;
import io.healthyproxy.app.serve.LeakDetection;
import io.healthyproxy.app.serve.Termination;
import io.healthyproxy.core.Balancing;
import io.healthyproxy.core.time.HumanDuration;
import io.healthyproxy.http.HttpProxy;
import io.healthyproxy.http.WarmupResult;
import io.healthyproxy.http.config.BackendConfig;
import io.healthyproxy.http.config.Endpoint;
import io.healthyproxy.http.config.HttpHealthCheck;
import io.healthyproxy.http.config.ProxyConfig;
import io.healthyproxy.http.config.TlsCertificate;
import io.healthyproxy.http.config.TlsConfig;
import io.healthyproxy.http.config.TlsEngine;
import java.nio.file.Path;
import java.time.Duration;
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
                + "SIGTERM or SIGINT, then drains in-flight requests and exits 0. Configure it with flags (quick form) "
                + "or with a YAML file (--config; see examples/full.yaml); --listen and --admin override the file.",
        footer = {"", "Examples:", "  healthy-proxy serve --listen 127.0.0.1:8080 --backend 127.0.0.1:9101 "
                + "--backend 127.0.0.1:9102 --health-path /health", "  healthy-proxy serve --listen 0.0.0.0:8443 "
                + "--tls-cert fullchain.pem --tls-key privkey.pem --backend 127.0.0.1:9101",
                "  healthy-proxy serve --config proxy.yaml"})
public final class ServeCommand implements Callable<Integer> {

    private static final Logger LOG = LoggerFactory.getLogger("healthyproxy");
    /** Past a minute a warm-up is more likely a slip of the unit than a wish: it would only hold the start back. */
    private static final Duration MAX_WARM_UP = Duration.ofSeconds(60);

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Option(names = "--config", paramLabel = "FILE", description = "A YAML config file (check it first with check-config).")
    Path configFile;

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

    @Option(names = "--log-format", paramLabel = "FORMAT", description = "text (default: a line for people) or json "
            + "(one JSON object per line: time in UTC, level, logger, thread, message, and each event's fields; "
            + "the access log's are method, path, status, cluster, route, backend, attempts, durationMs, bytes, "
            + "client, requestId, protocol).")
    LogFormat logFormat = LogFormat.TEXT;

    @Option(names = "--tls-cert", paramLabel = "FILE", description = "Terminate TLS on --listen with this PEM "
            + "certificate (and its chain, sent as it is); needs --tls-key. Clients may then speak h2 or HTTP/1.1.")
    Path tlsCert;

    @Option(names = "--tls-key", paramLabel = "FILE", description = "The certificate's private key (PEM, PKCS#8).")
    Path tlsKey;

    @Option(names = "--watch", description = "Reload the config file whenever it changes (as SIGHUP and POST /reload "
            + "on the admin API do): checked first, refused with every problem if it has any.")
    boolean watch;

    @Option(names = "--tls-engine", paramLabel = "ENGINE", description = "auto, openssl or jdk (default: auto: "
            + "OpenSSL where it loads).")
    TlsEngine tlsEngine;

    @Option(names = "--warm-up", paramLabel = "DURATION", defaultValue = "${sys:healthyproxy.warmUp:-1s}",
            description = "Before listening, run the request path this long against a backend inside the process, so "
                    + "the first clients meet compiled code (default: ${DEFAULT-VALUE}, or -Dhealthyproxy.warmUp in "
                    + "HEALTHY_PROXY_OPTS; 0 skips it).")
    String warmUp;

    @Override
    public Integer call() throws InterruptedException {
        Duration warmUpLength = warmUpLength();
        ProxyConfig config;
        try {
            config = config();
        } catch (ConfigException e) {
            for (ConfigProblem problem : e.problems()) {
                spec.commandLine().getErr().println(problem);
            }
            spec.commandLine().getErr().flush();
            return 1;
        }
        logFormat.apply();
        if (config.accessLog()) {
            ((ch.qos.logback.classic.Logger) LoggerFactory.getLogger("healthyproxy.access")).setLevel(Level.INFO);
        }
        LeakDetection.offUnlessAsked();
        Termination termination = Termination.onSignals();
        termination.interruptOnRequest(Thread.currentThread());     // a signal cuts the warm-up short
        try {
            warmUp(warmUpLength, config);
        } finally {
            termination.stopInterrupting();
        }
        if (termination.isRequested()) {
            LOG.info("{} during the warm-up: not starting", termination.await());
            return 0;
        }
        HttpProxy proxy = HttpProxy.start(config);
        ConfigReloader reloader = null;
        if (configFile != null) {
            reloader = new ConfigReloader(proxy, this::config, configFile).onHangUp();
            proxy.onReloadRequest(reloader::reloadFromAdmin);
            if (watch) {
                reloader.watch(1000);
            }
        } else if (watch) {
            LOG.warn("--watch needs --config FILE: nothing to watch");
        }
        String signal = termination.await();
        if (reloader != null) {
            reloader.stop();
        }
        LOG.info("{}: draining (at most {})", signal, HumanDuration.format(
                config.timeouts().shutdownGrace()));
        int cutOff = proxy.stop(config.timeouts().shutdownGrace());
        return cutOff == 0 ? 0 : 1;
    }

    private static void warmUp(Duration length, ProxyConfig config) {
        if (length.isZero()) {
            return;
        }
        LOG.info("warming up for {} before listening (--warm-up){}", HumanDuration.format(length),
                config.tls().isPresent() ? ", its second half over TLS as the listener will be" : "");
        WarmupResult result = HttpProxy.warmUp(length, config);
        long other = result.answered() - result.ok();
        LOG.info("warmed up in {} ms: {} requests through the request path{}{}{}", result.took().toMillis(),
                result.answered(), result.answeredOverH2() == 0 ? "" : " (" + result.answeredOverH2() + " over h2)",
                result.tlsHandshakes() == 0 ? "" : ", " + result.tlsHandshakes() + " TLS handshakes",
                other == 0 ? "" : " (" + other + " of them not the backend's answer: a timeout or an error)");
    }

    /** The {@code --warm-up} asked for; a value that is no duration, or over a minute, is a usage error. */
    Duration warmUpLength() {
        try {
            Duration length = warmUp.trim().equals("0") ? Duration.ZERO : HumanDuration.parse(warmUp);
            if (length.isNegative() || length.compareTo(MAX_WARM_UP) > 0) {
                throw new IllegalArgumentException("'" + warmUp + "' is not between 0 and "
                        + HumanDuration.format(MAX_WARM_UP));
            }
            return length;
        } catch (IllegalArgumentException e) {
            throw new CommandLine.ParameterException(spec.commandLine(), "Invalid value for option '--warm-up': "
                    + e.getMessage(), e);
        }
    }

    /** The config from the file and the flags; a bad flag is reported under its name. */
    ProxyConfig config() throws ConfigException {
        if (configFile == null && backends.isEmpty()) {
            throw new CommandLine.ParameterException(spec.commandLine(),
                    "Either --config FILE or at least one --backend HOST:PORT is needed");
        }
        if (configFile != null && (!backends.isEmpty() || healthPath != null || balancing != null)) {
            throw new CommandLine.ParameterException(spec.commandLine(),
                    "--config sets the backends, health checks and balancing; only --listen, --admin, "
                            + "--access-log, --log-format and the --tls flags may be given with it");
        }
        if ((tlsCert == null) != (tlsKey == null)) {
            throw new CommandLine.ParameterException(spec.commandLine(), "--tls-cert and --tls-key go together");
        }
        try {
            ProxyConfig.Builder b = configFile != null ? ProxyConfigLoader.load(configFile).toBuilder()
                    : ProxyConfig.builder();
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
            if (accessLog) {
                b.accessLog(true);
            }
            if (tlsCert != null) {
                TlsCertificate pair = TlsCertificate.of(tlsCert, tlsKey);
                pair.check();
                b.tls(new TlsConfig(List.of(pair), TlsConfig.DEFAULT_PROTOCOLS, TlsConfig.DEFAULT_CIPHERS,
                        TlsConfig.DEFAULT_RELOAD_INTERVAL, tlsEngine == null ? TlsEngine.AUTO : tlsEngine));
            }
            return b.build();
        } catch (IllegalArgumentException e) {
            throw new CommandLine.ParameterException(spec.commandLine(), "Invalid option: " + e.getMessage(), e);
        }
    }
}
